import pino from 'pino';
import type { NodeStanding } from '../../src/application/ports/call-store';
import type { SweepDeadNodesResult } from '../../src/application/use-cases/sweep-dead-nodes';
import { scheduleNodeSweep } from '../../src/main/node-sweep';

/** A sweep whose heartbeats answer `standings` in turn (then 'alive'), one of them failing like an unreachable Redis. */
class ScriptedSweep {
  ticks = 0;
  constructor(private readonly standings: Array<NodeStanding | 'unreachable'>) {}
  async execute(): Promise<SweepDeadNodesResult> {
    const standing = this.standings[this.ticks++] ?? 'alive';
    if (standing === 'unreachable') throw new Error('Command timed out');
    return { standing, evicted: 0, graceExpired: 0, ended: [] };
  }
}

describe('scheduleNodeSweep', () => {
  it('makes callers reconnect when this node was taken for dead, tells them of a reset when Redis lost its data, and carries on past a failed tick', async () => {
    const sweep = new ScriptedSweep(['alive', 'reset', 'unreachable', 'evicted', 'alive', 'reset']);
    const reactions: string[] = [];
    const schedule = scheduleNodeSweep(sweep, 5, pino({ level: 'silent' }), {
      onEvicted: () => reactions.push('reconnect'),
      onReset: () => reactions.push('reset'),
    });
    try {
      const deadline = Date.now() + 5000;
      while (sweep.ticks < 7 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(reactions).toEqual(['reset', 'reconnect', 'reset']);
    } finally {
      schedule.stop();
    }
  });
});
