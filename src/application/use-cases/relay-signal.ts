import type { SignalPayload } from '../../domain/call';
import { DomainError } from '../../domain/errors';
import type { SignalRouter } from '../ports/signal-router';

export interface RelaySignalInput {
  fromId: string;
  toId: string;
  /** Opaque to the server (SDP or ICE); its size is checked at the edge. */
  message: SignalPayload;
}

/**
 * Signals go only between two participants of the same call. The sender's call is the one its node knows; the
 * signal travels with that call and reaches the target only if the target is in it where the target is connected.
 * Answered without waiting for the far node: a target on another node that is not in the call is dropped there,
 * silently (docs/protocol.md, `signal`).
 */
export class RelaySignal {
  constructor(private readonly router: SignalRouter) {}

  async execute(input: RelaySignalInput): Promise<void> {
    const callId = this.router.callOf(input.fromId);
    if (callId === null) throw new DomainError('NOT_IN_CALL', 'Join a call before signalling');
    if (input.toId === input.fromId) throw notInSameCall();
    const delivery = this.router.toMember(callId, input.toId, { type: 'signal', fromId: input.fromId, message: input.message });
    if (delivery === 'absent') throw notInSameCall();
  }
}

function notInSameCall(): DomainError {
  return new DomainError('NOT_IN_SAME_CALL', 'That participant is not in your call');
}
