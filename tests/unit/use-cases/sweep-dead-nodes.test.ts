import { fakePool } from '../../support/fake-media-server';
import type { Eviction, NodeStanding, CallStore } from '../../../src/application/ports/call-store';
import { SweepDeadNodes } from '../../../src/application/use-cases/sweep-dead-nodes';
import type { Participant } from '../../../src/domain/call';
import { person } from '../../support/participants';
import { RecordingAttendance, RecordingNotifier } from '../../support/fakes';

/** A store that has already found these evictions (of dead nodes, then of passed graces), and answers the heartbeat with `standing`. */
class SweptRooms implements Pick<CallStore, 'heartbeat' | 'evictDeadNodes' | 'expireGrace'> {
  readonly calls: string[] = [];
  constructor(
    private readonly standing: NodeStanding,
    private readonly evictions: Eviction[],
    private readonly expired: Eviction[] = [],
  ) {}
  async expireGrace(): Promise<Eviction[]> {
    this.calls.push('expireGrace');
    return this.expired;
  }
  async heartbeat(): Promise<NodeStanding> {
    this.calls.push('heartbeat');
    return this.standing;
  }
  async evictDeadNodes(): Promise<Eviction[]> {
    this.calls.push('evictDeadNodes');
    return this.evictions;
  }
}

const joined = new Date('2026-01-01T09:00:00Z');
const started = new Date('2026-01-01T10:00:00Z');
const detected = new Date('2026-01-01T10:05:00Z');
const someone = (id: string, userId: string | null = null): Participant => ({ ...person(id, userId), joinedAt: joined, connected: true });

const evictions = (): Eviction[] => [
  {
    participantId: 'gone-1',
    left: {
      callId: 'c1',
      participant: { ...someone('gone-1', 'u1'), role: 'host' },
      at: detected,
      remaining: [someone('stays', 'u-stays')],
      ended: null,
      roleChanges: [{ id: 'stays', role: 'host', lobby: [] }],
      room: null,
    },
  },
  {
    participantId: 'gone-2',
    left: {
      callId: 'c2',
      participant: someone('gone-2'),
      at: detected,
      remaining: [],
      ended: { callId: 'c2', startedAt: started, endedAt: detected, peakSize: 2 },
      roleChanges: [],
      room: null,
    },
  },
];

describe('SweepDeadNodes', () => {
  it('heartbeats first, then tells each remaining call who left and who took over as host, and reports the calls that ended', async () => {
    const rooms = new SweptRooms('alive', evictions());
    const notifier = new RecordingNotifier();
    await notifier.attach('stays', 'c1');

    const result = await new SweepDeadNodes(rooms, notifier, new RecordingAttendance(), fakePool()).execute();

    expect(rooms.calls).toEqual(['heartbeat', 'evictDeadNodes', 'expireGrace']);
    expect(notifier.delivered).toEqual([
      { to: 'stays', event: { type: 'user-left', id: 'gone-1' } },
      { to: 'stays', event: { type: 'role-changed', id: 'stays', role: 'host' } },
    ]);
    expect(result).toEqual({ standing: 'alive', evicted: 2, graceExpired: 0, ended: [{ callId: 'c2', startedAt: started, endedAt: detected, peakSize: 2 }] });
  });

  it('counts participants of dead nodes apart from those whose reconnect grace passed', async () => {
    const [deadNode, pastGrace] = evictions();
    if (!deadNode || !pastGrace) throw new Error('the fixture has two evictions');
    const result = await new SweepDeadNodes(new SweptRooms('alive', [deadNode], [pastGrace]), new RecordingNotifier(), new RecordingAttendance(), fakePool()).execute();
    expect(result).toMatchObject({ evicted: 1, graceExpired: 1 });
  });

  it('records the stay of each evicted logged-in participant as ending when the dead node was found, after telling the calls', async () => {
    const notifier = new RecordingNotifier();
    await notifier.attach('stays', 'c1');
    const attendance = new RecordingAttendance();
    const toldBeforeRecording: number[] = [];
    attendance.beforeAdd = () => toldBeforeRecording.push(notifier.delivered.length);

    await new SweepDeadNodes(new SweptRooms('alive', evictions()), notifier, attendance, fakePool()).execute();

    expect(attendance.records).toEqual([{ userId: 'u1', meetingCode: 'c1', joinedAt: joined, leftAt: detected }]);
    expect(toldBeforeRecording).toEqual([2]);
  });

  it('passes on that this node was taken for dead', async () => {
    const result = await new SweepDeadNodes(new SweptRooms('evicted', []), new RecordingNotifier(), new RecordingAttendance(), fakePool()).execute();
    expect(result).toEqual({ standing: 'evicted', evicted: 0, graceExpired: 0, ended: [] });
  });

  it('passes on that the store lost its data, telling nobody itself (the calls it would tell are gone)', async () => {
    const notifier = new RecordingNotifier();
    const result = await new SweepDeadNodes(new SweptRooms('reset', []), notifier, new RecordingAttendance(), fakePool()).execute();
    expect(result).toEqual({ standing: 'reset', evicted: 0, graceExpired: 0, ended: [] });
    expect(notifier.delivered).toEqual([]);
  });
});
