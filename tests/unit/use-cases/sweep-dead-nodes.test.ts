import type { Eviction, NodeStanding, RoomStore } from '../../../src/application/ports/room-store';
import { SweepDeadNodes } from '../../../src/application/use-cases/sweep-dead-nodes';
import { person as someone } from '../../contract/room-store.contract';
import { RecordingNotifier } from '../../support/fakes';

/** A store that has already found these evictions, and answers the heartbeat with `standing`. */
class SweptRooms implements Pick<RoomStore, 'heartbeat' | 'evictDeadNodes'> {
  readonly calls: string[] = [];
  constructor(
    private readonly standing: NodeStanding,
    private readonly evictions: Eviction[],
  ) {}
  async heartbeat(): Promise<NodeStanding> {
    this.calls.push('heartbeat');
    return this.standing;
  }
  async evictDeadNodes(): Promise<Eviction[]> {
    this.calls.push('evictDeadNodes');
    return this.evictions;
  }
}

const started = new Date('2026-01-01T10:00:00Z');
const detected = new Date('2026-01-01T10:05:00Z');

describe('SweepDeadNodes', () => {
  it('heartbeats first, then tells each remaining call who left and who took over as host, and reports the calls that ended', async () => {
    const rooms = new SweptRooms('alive', [
      { participantId: 'gone-1', left: { callId: 'c1', remaining: [someone('stays', 'u-stays')], ended: null, roleChanges: [{ id: 'stays', role: 'host' }] } },
      {
        participantId: 'gone-2',
        left: { callId: 'c2', remaining: [], ended: { callId: 'c2', startedAt: started, endedAt: detected, peakSize: 2 }, roleChanges: [] },
      },
    ]);
    const notifier = new RecordingNotifier();
    await notifier.attach('stays', 'c1');

    const result = await new SweepDeadNodes(rooms, notifier).execute();

    expect(rooms.calls).toEqual(['heartbeat', 'evictDeadNodes']);
    expect(notifier.delivered).toEqual([
      { to: 'stays', event: { type: 'user-left', id: 'gone-1' } },
      { to: 'stays', event: { type: 'role-changed', id: 'stays', role: 'host' } },
    ]);
    expect(result).toEqual({ standing: 'alive', evicted: 2, ended: [{ callId: 'c2', startedAt: started, endedAt: detected, peakSize: 2 }] });
  });

  it('passes on that this node was taken for dead', async () => {
    const result = await new SweepDeadNodes(new SweptRooms('evicted', []), new RecordingNotifier()).execute();
    expect(result).toEqual({ standing: 'evicted', evicted: 0, ended: [] });
  });
});
