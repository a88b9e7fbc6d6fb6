import { DomainError } from './errors';
import type { ForcedKind } from './call';

/** What each host action is called in "Only the host can …". */
export const HOST_ACTIONS = {
  kick: 'remove people',
  mute: 'mute people',
  options: 'change the call options',
  transfer: 'hand over the host role',
  end: 'end the call',
  unban: 'lift bans',
  admit: 'let people in',
  deny: 'turn people away',
} as const;

export type HostAction = keyof typeof HOST_ACTIONS;

/** Why a store refused a host action or a join; every CallStore answers with these same errors. */
export type Refusal = 'not-in-call' | 'not-host' | 'no-target' | 'guest-host' | 'banned' | 'locked' | 'not-waiting' | 'mesh-only' | `forced-${ForcedKind}`;

export function refusal(reason: Refusal, action?: HostAction): DomainError {
  switch (reason) {
    case 'not-in-call':
      return new DomainError('NOT_IN_CALL', 'Join a call first');
    case 'not-host':
      return new DomainError('FORBIDDEN', `Only the host can ${action ? HOST_ACTIONS[action] : 'do that'}`);
    case 'no-target':
      return new DomainError('NOT_FOUND', 'That participant is not in your call');
    case 'guest-host':
      return new DomainError('FORBIDDEN', 'Only a logged-in participant can be host');
    case 'banned':
      return new DomainError('BANNED', 'You were removed from this call and cannot rejoin it');
    case 'locked':
      return new DomainError('CALL_LOCKED', 'This call is locked: nobody new can join');
    case 'mesh-only':
      return new DomainError(
        'UNSUPPORTED_CLIENT',
        "This meeting's video goes through the media server, which this app cannot use: open the meeting link in a web browser to join it",
      );
    case 'not-waiting':
      return new DomainError('NOT_FOUND', 'That person is not waiting to join your call');
    case 'forced-audio':
      return new DomainError('FORBIDDEN', 'The host turned your microphone off');
    case 'forced-video':
      return new DomainError('FORBIDDEN', 'The host turned your camera off');
  }
}
