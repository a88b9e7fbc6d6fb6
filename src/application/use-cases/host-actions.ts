import type { CallOptions, ForcedKind, MediaState } from '../../domain/call';
import type { AttendanceRepository } from '../ports/attendance-repository';
import type { CallNotifier } from '../ports/call-notifier';
import type { CallModeration } from '../ports/call-store';
import type { MediaRoom, MediaServer, MediaServerPool } from '../ports/media-server';
import { isDomainError } from '../../domain/errors';
import { announceLeave, announceRoles, recordAttendance, recordStay, type LeaveCallResult } from './leave-call';
import { leaveMediaRoom, reachable } from './media-room';

/*
 * What a host can do to its call. The store checks, in the same atomic step as the change, that `byId` is the host
 * of a call the target is in (FORBIDDEN / NOT_FOUND / NOT_IN_CALL otherwise); these tell the people concerned.
 */

export interface KickInput {
  byId: string;
  targetId: string;
  ban: boolean;
}

/**
 * The target is told why, then leaves the call as if it had left itself (its stay recorded once everyone has
 * heard); a ban bars it from coming back. On the SFU its streams and subscription are taken out of the call's room,
 * whichever node its connection is on, so a modified client cannot keep sending.
 */
export class KickParticipant {
  constructor(
    private readonly calls: CallModeration,
    private readonly notifier: CallNotifier,
    private readonly attendance: Pick<AttendanceRepository, 'add'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: KickInput): Promise<LeaveCallResult> {
    const left = await this.calls.kick(input);
    // Out of the call before it hears of it: the node holding its connection applies the detach before the `kicked`
    // published after it, so nothing the target sends once told reaches the call.
    await this.notifier.detach(input.targetId, left.callId);
    this.notifier.toParticipant(input.targetId, { type: 'kicked', by: input.byId, banned: input.ban });
    const result = await announceLeave(this.notifier, input.targetId, left, true);
    await leaveMediaRoom(this.pool, input.targetId, left);
    await recordAttendance(this.attendance, left);
    return result;
  }
}

export interface MuteInput {
  byId: string;
  targetId: string;
  kind: ForcedKind;
  force: boolean | undefined;
}

/**
 * Turns the target's microphone or camera off for everyone to see; with force, the target cannot turn it back on,
 * and on the SFU the media server drops that kind of its streams (a modified client's packets go nowhere) until the
 * host allows it again. A target not publishing yet has it dropped from its first packet (PublishMedia,
 * AnnouncePublishing).
 */
export class MuteParticipant {
  constructor(
    private readonly calls: CallModeration,
    private readonly notifier: CallNotifier,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: MuteInput): Promise<MediaState> {
    const { callId, participant, room } = await this.calls.mute(input);
    this.notifier.toCall(callId, { type: 'media-state', id: participant.id, state: participant.media });
    this.notifier.toParticipant(participant.id, { type: 'muted', by: input.byId, kind: input.kind, force: participant.forcedOff[input.kind] });
    const found = room && input.force !== undefined ? reachable(this.pool, callId, room) : undefined;
    if (found) await moderate(found.server, found.room, participant.id, { [input.kind]: input.force });
    return participant.media;
  }
}

export class SetCallOptions {
  constructor(
    private readonly calls: CallModeration,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: { byId: string; change: Partial<CallOptions> }): Promise<CallOptions> {
    const { callId, options } = await this.calls.setCallOptions(input.byId, input.change);
    this.notifier.toCall(callId, { type: 'call-options', options });
    return options;
  }
}

export class TransferHost {
  constructor(
    private readonly calls: CallModeration,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: { byId: string; targetId: string }): Promise<void> {
    const { callId, roleChanges } = await this.calls.transferHost(input);
    announceRoles(this.notifier, callId, roleChanges);
  }
}

/**
 * Everyone is told and removed (those waiting in its lobby are denied), then their stays are recorded as ending with
 * the call; the call's chat goes with it, and its media server room is destroyed.
 */
export class EndCall {
  constructor(
    private readonly calls: CallModeration,
    private readonly notifier: CallNotifier,
    private readonly attendance: Pick<AttendanceRepository, 'add'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: { byId: string }): Promise<LeaveCallResult> {
    const { callId, removed, ended, turnedAway, room } = await this.calls.endCall(input.byId);
    await leaveMediaRoom(this.pool, input.byId, { callId, room, ended });
    // Each is out of the call (signals too) before it hears that the call ended, as a kicked participant is.
    for (const participant of removed) await this.notifier.detach(participant.id, callId);
    for (const participant of removed) this.notifier.toParticipant(participant.id, { type: 'call-ended', by: input.byId });
    for (const id of turnedAway) this.notifier.toParticipant(id, { type: 'denied' });
    for (const participant of removed) await recordStay(this.attendance, callId, participant, ended.endedAt);
    return { left: true, ended };
  }
}

export class LiftBan {
  constructor(private readonly calls: CallModeration) {}

  async execute(input: { byId: string; userId: string }): Promise<{ lifted: boolean }> {
    const { lifted } = await this.calls.unban(input.byId, input.userId);
    return { lifted };
  }
}

/** Moderation of one who is not publishing has nothing to act on: its publish applies what the store holds. */
async function moderate(server: MediaServer, room: MediaRoom, participantId: string, forcedOff: Partial<Record<ForcedKind, boolean>>): Promise<void> {
  try {
    await server.moderate(room, participantId, forcedOff);
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'NOT_FOUND') throw error;
  }
}
