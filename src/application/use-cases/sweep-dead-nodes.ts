import type { CallSummary } from '../../domain/call';
import type { AttendanceRepository } from '../ports/attendance-repository';
import type { CallNotifier } from '../ports/call-notifier';
import type { NodeLiveness, NodeStanding, ReconnectGrace } from '../ports/call-store';
import type { MediaServerPool } from '../ports/media-server';
import { announceRoles, recordAttendance } from './leave-call';
import { leaveMediaRoom } from './media-room';

export interface SweepDeadNodesResult {
  /**
   * evicted: other nodes took this one for dead meanwhile, and its participants are no longer in their calls;
   * reset: the store lost every call, so nobody on this node is in a call any longer.
   */
  standing: NodeStanding;
  /** Participants of dead nodes taken out of their calls. */
  evicted: number;
  /** Participants whose reconnect grace passed, taken out of their calls. */
  graceExpired: number;
  /** Calls that ended because their last participants were on a dead node. */
  ended: CallSummary[];
}

/**
 * Run every few seconds by each node: marks this node alive, then takes the participants of dead nodes (and those
 * whose reconnect grace passed) out of
 * their calls and tells the people who remain, as if each had left; then records the stays of those logged in,
 * as having ended when their node was found dead.
 */
export class SweepDeadNodes {
  constructor(
    private readonly calls: NodeLiveness & Pick<ReconnectGrace, 'expireGrace'>,
    private readonly notifier: CallNotifier,
    private readonly attendance: Pick<AttendanceRepository, 'add'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(): Promise<SweepDeadNodesResult> {
    const standing = await this.calls.heartbeat();
    const ofDeadNodes = await this.calls.evictDeadNodes();
    const pastGrace = await this.calls.expireGrace();
    const evictions = [...ofDeadNodes, ...pastGrace];
    const ended: CallSummary[] = [];
    for (const { participantId, left } of evictions) {
      // Their sockets are gone (with their node, or before their grace): there is nothing to detach, only people to tell.
      if (left.remaining.length > 0) this.notifier.toCall(left.callId, { type: 'user-left', id: participantId });
      announceRoles(this.notifier, left.callId, left.roleChanges);
      if (left.ended) ended.push(left.ended);
    }
    // A dead node's media connections went with its Janus session; a grace that passed leaves streams to take out.
    for (const { participantId, left } of evictions) await leaveMediaRoom(this.pool, participantId, left);
    for (const { left } of evictions) await recordAttendance(this.attendance, left);
    return { standing, evicted: ofDeadNodes.length, graceExpired: pastGrace.length, ended };
  }
}
