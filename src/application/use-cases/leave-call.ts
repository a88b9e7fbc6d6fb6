import { Attendance } from '../../domain/attendance';
import type { CallSummary, Participant, RoleChange } from '../../domain/call';
import type { AttendanceRepository } from '../ports/attendance-repository';
import type { CallNotifier } from '../ports/call-notifier';
import type { CallRoster, LeaveResult } from '../ports/call-store';
import type { MediaServerPool } from '../ports/media-server';
import { leaveMediaRoom } from './media-room';

export interface LeaveCallInput {
  participantId: string;
  /** The connection leaving: when the participant has resumed on another one meanwhile, it stays. */
  connectionId?: string;
}

export interface LeaveCallResult {
  left: boolean;
  /** Set when this was the last participant and the call ended. */
  ended: CallSummary | null;
}

/**
 * Stops delivering the call to the participant who left it (signals too: CallNotifier.detach) and tells those who
 * remain. `detached`: the caller has detached it already.
 */
export async function announceLeave(notifier: CallNotifier, participantId: string, left: LeaveResult, detached = false): Promise<LeaveCallResult> {
  if (!detached) await notifier.detach(participantId, left.callId);
  if (left.remaining.length > 0) notifier.toCall(left.callId, { type: 'user-left', id: participantId });
  announceRoles(notifier, left.callId, left.roleChanges);
  return { left: true, ended: left.ended };
}

export function announceRoles(notifier: CallNotifier, callId: string, changes: RoleChange[]): void {
  for (const change of changes) {
    notifier.toCall(callId, { type: 'role-changed', id: change.id, role: change.role });
    // A new host hears of everyone already waiting as if they had just knocked: it is the one to decide now.
    if (change.role === 'host') for (const knock of change.lobby) notifier.toParticipant(change.id, { type: 'lobby-knock', knock });
  }
}

/** Records a logged-in participant's stay in a call until `leftAt`, by the store's clock; a guest's is not kept. */
export async function recordStay(
  attendance: Pick<AttendanceRepository, 'add'>,
  callId: string,
  participant: Participant,
  leftAt: Date,
): Promise<void> {
  const { userId, joinedAt } = participant;
  if (userId === null) return;
  await attendance.add(Attendance.of({ userId, meetingCode: callId, joinedAt, leftAt }));
}

/** Records the stay of the participant a leave reports, up to the time of that leave. */
export async function recordAttendance(attendance: Pick<AttendanceRepository, 'add'>, left: LeaveResult): Promise<void> {
  await recordStay(attendance, left.callId, left.participant, left.at);
}

/**
 * Leaving when in no call is not an error: disconnects always come through here. The people who remain hear of
 * it before the stay is recorded, so a slow database does not hold them up.
 */
export class LeaveCall {
  constructor(
    private readonly calls: Pick<CallRoster, 'leave'>,
    private readonly notifier: CallNotifier,
    private readonly attendance: Pick<AttendanceRepository, 'add'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: LeaveCallInput): Promise<LeaveCallResult> {
    const left = await this.calls.leave(input.participantId, input.connectionId);
    if (!left) return { left: false, ended: null };
    const result = await announceLeave(this.notifier, input.participantId, left);
    await leaveMediaRoom(this.pool, input.participantId, left);
    await recordAttendance(this.attendance, left);
    return result;
  }
}
