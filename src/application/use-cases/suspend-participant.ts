import type { CallNotifier } from '../ports/call-notifier';
import type { ReconnectGrace } from '../ports/call-store';

export interface SuspendParticipantInput {
  participantId: string;
  /** The connection that dropped: when the participant has already resumed on another one, nothing happens. */
  connectionId: string;
}

/**
 * A resumable participant whose connection dropped stays in its call, marked disconnected, for the reconnect grace;
 * the others are told it is reconnecting. Past the grace the node sweep takes it out (see SweepDeadNodes).
 */
export class SuspendParticipant {
  constructor(
    private readonly calls: Pick<ReconnectGrace, 'suspend'>,
    private readonly notifier: CallNotifier,
    private readonly graceMs: number,
  ) {}

  async execute(input: SuspendParticipantInput): Promise<{ suspended: boolean }> {
    const suspended = await this.calls.suspend(input.participantId, input.connectionId, this.graceMs);
    if (!suspended) return { suspended: false };
    this.notifier.toCall(suspended.callId, { type: 'participant-reconnecting', id: input.participantId }, input.participantId);
    return { suspended: true };
  }
}
