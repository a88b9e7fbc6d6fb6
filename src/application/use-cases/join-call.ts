import {
  addressBanKeyOf,
  banKeyOf,
  CallPath,
  DEFAULT_GUEST_NAME,
  GuestName,
  INITIAL_MEDIA,
  nameKey,
  type CallOptions,
  type ChatMessage,
  type Participant,
  type ParticipantDraft,
} from '../../domain/call';
import { assertValid } from '../../domain/errors';
import type { LobbyEntry } from '../../domain/lobby';
import { MeetingCode } from '../../domain/meeting-code';
import type { AttendanceRepository } from '../ports/attendance-repository';
import type { CallNotifier } from '../ports/call-notifier';
import type { MeetingRepository } from '../ports/meeting-repository';
import type { CallRoster, ReconnectGrace } from '../ports/call-store';
import type { MediaServerPool, MediaSettings } from '../ports/media-server';
import type { SecretGenerator } from '../ports/secret-generator';
import type { MediaPath } from '../../domain/media-path';
import { announceLeave, announceRoles, recordAttendance, type LeaveCallResult } from './leave-call';
import { announceKnock } from './lobby';
import { leaveMediaRoom } from './media-room';

export interface JoinCallInput {
  participantId: string;
  /** As the client sent it (often its page's URL); the call is the code MeetingCode.fromJoinPath finds in it. */
  callPath: string;
  /** The account behind the connection, when logged in: its name is the only name used. */
  account: { userId: string; name: string } | null;
  requestedName?: string;
  /** The client's address: what a ban of a guest bars. */
  address: string;
  /** The connection (socket) joining; for a first join, the participant id itself. */
  connectionId: string;
  /** The client can take a resume token (it asked with an ack): a dropped connection then waits for it to resume. */
  resumable: boolean;
  /** A token from an earlier join of this call: within the grace, the participant comes back as it was. */
  resumeToken?: string;
  /** The client takes part in mesh calls only (a front end that knows no acks, nor the SFU); false when left out. */
  meshOnly?: boolean;
}

export interface JoinCallResult {
  callId: string;
  self: Participant;
  participants: Participant[];
  history: ChatMessage[];
  /** The call this participant was in before, when joining moved them out of it. */
  previous: LeaveCallResult | null;
  options: CallOptions;
  /** True when this brought back an earlier participant (same id, role and media) with `resumeToken`. */
  resumed: boolean;
  /** What the client sends as `resume` after a drop; null when it cannot resume (joined without an ack). */
  resumeToken: string | null;
  /** For the host: who waits in the lobby; [] for anyone else. */
  lobby: LobbyEntry[];
  /** How the call's media travels now. */
  path: MediaPath;
}

/** A join the lobby held back: the joiner is in no call until a host admits or denies it. */
export interface WaitingInLobby {
  callId: string;
  waiting: true;
  previous: LeaveCallResult | null;
  /** Its join brought a resume token (an acked join): once admitted, a drop leaves it waiting to resume. */
  resumable: boolean;
}

/**
 * One call per participant: joining another call leaves the current one, in the same store step. The stay in the
 * call left is recorded once the joiner is in the new call and everyone concerned has heard of it.
 */
export class JoinCall {
  constructor(
    private readonly calls: Pick<CallRoster, 'join'> & Pick<ReconnectGrace, 'resume'>,
    private readonly notifier: CallNotifier,
    /** Who owns the meeting of a code: its owner is its host whenever present. */
    private readonly meetings: Pick<MeetingRepository, 'findByCode'>,
    private readonly attendance: Pick<AttendanceRepository, 'add'>,
    private readonly secrets: SecretGenerator,
    private readonly media: MediaSettings,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: JoinCallInput): Promise<JoinCallResult | WaitingInLobby> {
    assertValid({ path: CallPath.problem(input.callPath) });
    const callId = MeetingCode.fromJoinPath(input.callPath);
    // Drawn before a resume, which spends the token it came with; a join that follows a failed resume takes it.
    const nextToken = input.resumable || input.resumeToken !== undefined ? this.secrets.next() : null;
    if (input.resumeToken !== undefined && nextToken !== null) {
      const resumed = await this.calls.resume({
        token: input.resumeToken,
        callId,
        connectionId: input.connectionId,
        participantId: input.participantId,
        nextToken,
      });
      if (resumed) {
        const { self, participants, history, options } = resumed;
        const previous = resumed.previous ? await announceLeave(this.notifier, input.participantId, resumed.previous) : null;
        if (resumed.previous) await leaveMediaRoom(this.pool, input.participantId, resumed.previous);
        // Whoever held this participant's connection until now hears why it ends: two connections never speak as one.
        if (resumed.replaced !== null) this.notifier.closeReplaced(resumed.replaced, input.connectionId);
        await this.notifier.rebind(self.id, input.connectionId);
        await this.notifier.attach(self.id, callId);
        this.notifier.toCall(callId, { type: 'participant-reconnected', id: self.id }, self.id);
        if (resumed.previous) await recordAttendance(this.attendance, resumed.previous);
        return { callId, self, participants, history, previous, options, resumed: true, resumeToken: nextToken, lobby: [], path: resumed.path };
      }
    }
    const chosenName = input.account ? null : GuestName.from(input.requestedName);
    const name = input.account?.name ?? chosenName ?? DEFAULT_GUEST_NAME;
    const participant: ParticipantDraft = {
      id: input.participantId,
      name,
      nameKey: nameKey(name),
      userId: input.account?.userId ?? null,
      unnamed: !input.account && chosenName === null,
      media: { ...INITIAL_MEDIA },
      role: 'member',
      forcedOff: { audio: false, video: false },
      banKey: banKeyOf(input.account?.userId ?? null, input.address),
      addressBanKey: addressBanKeyOf(input.address),
      meshOnly: input.meshOnly ?? false,
    };
    const resumeToken = input.resumable ? nextToken : null;
    const meeting = await this.meetings.findByCode(callId);
    const joined = await this.calls.join({
      callId,
      participant,
      naming: input.account ? null : GuestName.naming(name),
      // A meeting left at auto follows the deployment's MEDIA_MODE; mesh or sfu is the owner's choice for it.
      media: { ...this.media, mode: meeting && meeting.media !== 'auto' ? meeting.media : this.media.mode, sfuAvailable: this.pool.usable().length > 0 },
      ownerId: meeting?.ownerId ?? null,
      lobbyByDefault: meeting?.lobby ?? false,
      resumeToken,
      connectionId: input.connectionId,
    });
    const previous = joined.previous ? await announceLeave(this.notifier, participant.id, joined.previous) : null;
    if (joined.previous) await leaveMediaRoom(this.pool, participant.id, joined.previous);
    if ('waiting' in joined) {
      announceKnock(this.notifier, joined);
      if (joined.previous) await recordAttendance(this.attendance, joined.previous);
      return { callId, waiting: true, previous, resumable: resumeToken !== null };
    }

    await this.notifier.attach(participant.id, callId);
    this.notifier.toCall(callId, { type: 'user-joined', id: participant.id, participants: joined.participants });
    announceRoles(this.notifier, callId, joined.roleChanges);
    if (joined.media.moved) this.notifier.toCall(callId, { type: 'media-path', path: 'sfu', reason: 'grew' }, participant.id);
    for (const message of joined.history) {
      this.notifier.toParticipant(participant.id, { type: 'chat-message', message });
    }
    if (joined.previous) await recordAttendance(this.attendance, joined.previous);
    return {
      callId,
      self: joined.self,
      participants: joined.participants,
      history: joined.history,
      previous,
      options: joined.options,
      resumed: false,
      resumeToken,
      lobby: joined.lobby,
      path: joined.media.path,
    };
  }
}
