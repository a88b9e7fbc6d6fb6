import type { CallSummary } from '../../domain/call';
import type { CallNotifier } from '../ports/call-notifier';
import type { Clock } from '../ports/clock';
import type { RoomStore } from '../ports/room-store';

export interface LeaveCallInput {
  participantId: string;
}

export interface LeaveCallResult {
  left: boolean;
  /** Set when this was the last participant and the call ended. */
  ended: CallSummary | null;
}

/** Leaving when in no call is not an error: disconnects always come through here. */
export class LeaveCall {
  constructor(
    private readonly rooms: RoomStore,
    private readonly notifier: CallNotifier,
    private readonly clock: Clock,
  ) {}

  async execute(input: LeaveCallInput): Promise<LeaveCallResult> {
    const result = await this.rooms.leave(input.participantId, this.clock.now());
    if (!result) return { left: false, ended: null };
    await this.notifier.detach(input.participantId, result.callId);
    if (result.remaining.length > 0) {
      this.notifier.toCall(result.callId, { type: 'user-left', id: input.participantId });
    }
    return { left: true, ended: result.ended };
  }
}
