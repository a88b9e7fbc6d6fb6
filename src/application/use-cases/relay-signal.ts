import type { SignalPayload } from '../../domain/call';
import { DomainError } from '../../domain/errors';
import type { CallNotifier } from '../ports/call-notifier';
import type { CallRoster } from '../ports/call-store';

export interface RelaySignalInput {
  fromId: string;
  toId: string;
  /** Opaque to the server (SDP or ICE); its size is checked at the edge. */
  message: SignalPayload;
}

/** Signals go only between two participants of the same call. */
export class RelaySignal {
  constructor(
    private readonly calls: Pick<CallRoster, 'routeSignal'>,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: RelaySignalInput): Promise<void> {
    const route = await this.calls.routeSignal(input.fromId, input.toId);
    if (route === 'sender-not-in-call') throw new DomainError('NOT_IN_CALL', 'Join a call before signalling');
    if (route === 'not-in-same-call') throw new DomainError('NOT_IN_SAME_CALL', 'That participant is not in your call');
    this.notifier.toParticipant(input.toId, { type: 'signal', fromId: input.fromId, message: input.message });
  }
}
