import type { CallSummary, RoleChange } from '../../domain/call';
import type { CallNotifier } from '../ports/call-notifier';
import type { LeaveResult, RoomStore } from '../ports/room-store';

export interface LeaveCallInput {
  participantId: string;
}

export interface LeaveCallResult {
  left: boolean;
  /** Set when this was the last participant and the call ended. */
  ended: CallSummary | null;
}

/** Stops delivering the call to the participant who left it and tells those who remain. */
export async function announceLeave(notifier: CallNotifier, participantId: string, left: LeaveResult): Promise<LeaveCallResult> {
  await notifier.detach(participantId, left.callId);
  if (left.remaining.length > 0) notifier.toCall(left.callId, { type: 'user-left', id: participantId });
  announceRoles(notifier, left.callId, left.roleChanges);
  return { left: true, ended: left.ended };
}

export function announceRoles(notifier: CallNotifier, callId: string, changes: RoleChange[]): void {
  for (const { id, role } of changes) notifier.toCall(callId, { type: 'role-changed', id, role });
}

/** Leaving when in no call is not an error: disconnects always come through here. */
export class LeaveCall {
  constructor(
    private readonly rooms: RoomStore,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: LeaveCallInput): Promise<LeaveCallResult> {
    const left = await this.rooms.leave(input.participantId);
    return left ? announceLeave(this.notifier, input.participantId, left) : { left: false, ended: null };
  }
}
