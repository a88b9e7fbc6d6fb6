import { fakePool, meshSettings } from '../../support/fake-media-server';
import { InMemoryMeetingRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { EndCall, KickParticipant, LiftBan, MuteParticipant, SetCallOptions, TransferHost } from '../../../src/application/use-cases/host-actions';
import { JoinCall } from '../../../src/application/use-cases/join-call';
import { expectCode } from '../../support/errors';
import { inCall } from '../../support/in-call';
import { FakeClock, RecordingAttendance, RecordingNotifier, SequentialSecrets } from '../../support/fakes';

const ROOM = 'https://meet.example/host-room';

function setup() {
  const clock = new FakeClock();
  const rooms = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1024 * 1024, clock });
  const notifier = new RecordingNotifier();
  const meetings = new InMemoryMeetingRepository();
  const attendance = new RecordingAttendance();
  const join = new JoinCall(rooms, notifier, meetings, attendance, new SequentialSecrets(), meshSettings(8), fakePool());
  const enter = async (id: string, userId: string | null) =>
    inCall(await join.execute({ participantId: id, callPath: ROOM, account: userId ? { userId, name: `Name ${id}` } : null, address: '10.0.0.9', connectionId: id, resumable: false }));
  return {
    clock,
    notifier,
    attendance,
    join,
    enter,
    kick: new KickParticipant(rooms, notifier, attendance, fakePool()),
    mute: new MuteParticipant(rooms, notifier, fakePool()),
    options: new SetCallOptions(rooms, notifier),
    transfer: new TransferHost(rooms, notifier),
    end: new EndCall(rooms, notifier, attendance, fakePool()),
    unban: new LiftBan(rooms),
  };
}

async function hostMemberGuest() {
  const s = setup();
  await s.enter('h', 'u-h');
  await s.enter('m', 'u-m');
  await s.enter('g', null);
  s.notifier.clear();
  return s;
}

describe('host actions', () => {
  it('shows a joiner that becomes host as host in the roster everyone gets', async () => {
    const s = setup();
    await s.enter('g', null);
    const joined = await s.enter('h', 'u-h');
    expect(joined.self.role).toBe('host');
    const last = s.notifier.eventsFor('g').at(-1);
    expect(last?.type === 'user-joined' ? last.participants.map((p) => [p.id, p.role]) : last).toEqual([
      ['g', 'member'],
      ['h', 'host'],
    ]);
  });

  it('KickParticipant tells the target, then the rest that it left; a ban keeps it out', async () => {
    const s = await hostMemberGuest();
    await s.kick.execute({ byId: 'h', targetId: 'm', ban: true });
    expect(s.notifier.eventsFor('m')).toEqual([{ type: 'kicked', by: 'h', banned: true }]);
    expect(s.notifier.eventsFor('g')).toEqual([{ type: 'user-left', id: 'm' }]);
    // Out of the call (its signals refused on the node holding it) before it is told, and detached once only.
    expect(s.notifier.log).toEqual(['detach:m', 'kicked:m', 'user-left:h', 'user-left:g']);
    await expectCode(s.enter('m2', 'u-m'), 'BANNED');
    expect(await s.unban.execute({ byId: 'h', userId: 'u-m' })).toEqual({ lifted: true });
    expect((await s.enter('m3', 'u-m')).self.role).toBe('member');
  });

  it('MuteParticipant shows the change to everyone and tells the target whether it is forced', async () => {
    const s = await hostMemberGuest();
    expect(await s.mute.execute({ byId: 'h', targetId: 'g', kind: 'video', force: true })).toMatchObject({ video: false });
    expect(s.notifier.eventsFor('g')).toEqual([
      { type: 'media-state', id: 'g', state: { audio: false, video: false, screen: false, hand: false } },
      { type: 'muted', by: 'h', kind: 'video', force: true },
    ]);
    expect(s.notifier.eventsFor('m')).toEqual([{ type: 'media-state', id: 'g', state: { audio: false, video: false, screen: false, hand: false } }]);
  });

  it('SetCallOptions and TransferHost tell the whole call; EndCall tells everyone and detaches them', async () => {
    const s = await hostMemberGuest();
    expect(await s.options.execute({ byId: 'h', change: { locked: true } })).toEqual({ locked: true, lobby: false });
    await s.transfer.execute({ byId: 'h', targetId: 'm' });
    expect(s.notifier.eventsFor('g')).toEqual([
      { type: 'call-options', options: { locked: true, lobby: false } },
      { type: 'role-changed', id: 'm', role: 'host' },
      { type: 'role-changed', id: 'h', role: 'member' },
    ]);
    await expectCode(s.end.execute({ byId: 'h' }), 'FORBIDDEN');
    s.notifier.clear();
    const ended = await s.end.execute({ byId: 'm' });
    expect(ended.ended).toMatchObject({ callId: 'host-room', peakSize: 3 });
    expect(s.notifier.delivered.map((d) => [d.to, d.event.type])).toEqual([
      ['h', 'call-ended'],
      ['m', 'call-ended'],
      ['g', 'call-ended'],
    ]);
    expect(s.notifier.members.get('host-room')?.size ?? 0).toBe(0);
    // Each is out of the call before it hears that it ended.
    expect(s.notifier.log.slice(-6)).toEqual(['detach:h', 'detach:m', 'detach:g', 'call-ended:h', 'call-ended:m', 'call-ended:g']);
  });

  it('TransferHost tells the new host of everyone waiting in the lobby, as knocks', async () => {
    const s = await hostMemberGuest();
    await s.options.execute({ byId: 'h', change: { lobby: true } });
    await s.join.execute({ participantId: 'w', callPath: ROOM, account: { userId: 'u-w', name: 'Name w' }, address: '10.0.0.8', connectionId: 'w', resumable: false });
    s.notifier.clear();
    await s.transfer.execute({ byId: 'h', targetId: 'm' });
    expect(s.notifier.eventsFor('m')).toEqual([
      { type: 'role-changed', id: 'm', role: 'host' },
      { type: 'lobby-knock', knock: { id: 'w', name: 'Name w', userId: 'u-w' } },
      { type: 'role-changed', id: 'h', role: 'member' },
    ]);
    expect(s.notifier.eventsFor('g').map((event) => event.type)).toEqual(['role-changed', 'role-changed']);
  });

  it('KickParticipant records the kicked logged-in participant’s stay, after the call has heard', async () => {
    const s = setup();
    const joinedAt = s.clock.now();
    await s.enter('h', 'u-h');
    await s.enter('m', 'u-m');
    s.clock.advance(60_000);
    const toldBeforeRecording: number[] = [];
    s.attendance.beforeAdd = () => toldBeforeRecording.push(s.notifier.eventsFor('h').length);
    s.notifier.clear();
    await s.kick.execute({ byId: 'h', targetId: 'm', ban: false });
    expect(s.attendance.records).toEqual([{ userId: 'u-m', meetingCode: 'host-room', joinedAt, leftAt: s.clock.now() }]);
    expect(toldBeforeRecording).toEqual([1]);
  });

  it('EndCall records the stay of everyone logged in as ending with the call, after telling them; a guest’s is not kept', async () => {
    const s = setup();
    const start = s.clock.now();
    await s.enter('h', 'u-h');
    s.clock.advance(1000);
    await s.enter('g', null);
    await s.enter('m', 'u-m');
    s.clock.advance(5000);
    const toldBeforeRecording: number[] = [];
    s.notifier.clear();
    s.attendance.beforeAdd = () => toldBeforeRecording.push(s.notifier.delivered.length);
    const { ended } = await s.end.execute({ byId: 'h' });
    const end = s.clock.now();
    expect(ended?.endedAt).toEqual(end);
    expect(s.attendance.records).toEqual([
      { userId: 'u-h', meetingCode: 'host-room', joinedAt: start, leftAt: end },
      { userId: 'u-m', meetingCode: 'host-room', joinedAt: new Date(start.getTime() + 1000), leftAt: end },
    ]);
    expect(toldBeforeRecording).toEqual([3, 3]);
  });
});
