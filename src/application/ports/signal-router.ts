import type { CallEvent } from './call-notifier';

export type SignalEvent = Extract<CallEvent, { type: 'signal' }>;

/**
 * What became of a signal handed to the router:
 * delivered — the target's connection is on this node, in the call, and was written to;
 * absent — the target's connection is on this node and is not in the call (or is not this participant's);
 * forwarded — the target's connection is not on this node: the signal went out (one publish) with its call, and the
 *   node holding the target delivers it only if the target is in that call when it arrives, else drops it silently;
 *   with no node holding it (a connection in its reconnect grace, an unknown id) it goes nowhere.
 */
export type SignalDelivery = 'delivered' | 'absent' | 'forwarded';

/**
 * Routes a signal by the call it belongs to, with no shared-store read: the sending node knows its sender's call,
 * the target's node knows its target's. Membership here follows CallNotifier.attach/detach, which every change of
 * membership goes through (join, admit, resume, leave, kick, end, a node's reset) on the node holding the connection.
 */
export interface SignalRouter {
  /** The call the participant's connection on this node is in; null when it is in none (or not connected here). */
  callOf(participantId: string): string | null;
  /** Sends `event` to `toId` only if `toId` is in `callId` (see SignalDelivery). */
  toMember(callId: string, toId: string, event: SignalEvent): SignalDelivery;
}
