import type { CallNotifier } from '../ports/call-notifier';
import type { CallLobby, LobbyWait } from '../ports/call-store';
import type { MediaServerPool, MediaSettings } from '../ports/media-server';
import type { GetIceServers } from './get-ice-servers';

/*
 * The lobby: a call with the lobby option holds newcomers back until its host decides. The store queues them (see
 * CallStore); these tell the people concerned. A waiter who leaves or disconnects simply drops off the list: the
 * host is not told, and admitting or denying it answers NOT_FOUND.
 */

/** The host, when the call has one, hears who knocks; without one the newcomer waits for a host to arrive. */
export function announceKnock(notifier: CallNotifier, wait: LobbyWait): void {
  if (wait.hostId !== null) notifier.toParticipant(wait.hostId, { type: 'lobby-knock', knock: wait.knock });
}

export interface LobbyDecision {
  byId: string;
  targetId: string;
}

/**
 * The waiter joins the call as if its join had gone through now: everyone (the newcomer included) gets user-joined,
 * the newcomer the call's history as chat messages (for front ends that know no lobby) and then `admitted` with what
 * a join answers.
 */
export class AdmitParticipant {
  constructor(
    private readonly calls: CallLobby,
    private readonly notifier: CallNotifier,
    private readonly iceServers: Pick<GetIceServers, 'execute'>,
    private readonly media: Pick<MediaSettings, 'sfuFrom' | 'capacity'>,
    private readonly pool: Pick<MediaServerPool, 'usable'>,
  ) {}

  async execute(input: LobbyDecision): Promise<void> {
    const admission = await this.calls.admit({ ...input, media: { ...this.media, sfuAvailable: this.pool.usable().length > 0 } });
    const { callId, self, participants, history } = admission;
    await this.notifier.attach(self.id, callId);
    this.notifier.toCall(callId, { type: 'user-joined', id: self.id, participants });
    if (admission.media.moved) this.notifier.toCall(callId, { type: 'media-path', path: 'sfu', reason: 'grew' }, self.id);
    for (const message of history) this.notifier.toParticipant(self.id, { type: 'chat-message', message });
    const iceServers = await this.iceServers.execute({ userId: self.userId, participantId: self.id });
    this.notifier.toParticipant(self.id, { type: 'admitted', admission, iceServers });
  }
}

/** The waiter is turned away: it is told, and is in no call, free to join another. */
export class DenyParticipant {
  constructor(
    private readonly calls: CallLobby,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: LobbyDecision): Promise<void> {
    await this.calls.deny(input);
    this.notifier.toParticipant(input.targetId, { type: 'denied' });
  }
}
