import { fakePool, meshSettings } from '../../support/fake-media-server';
import { InMemoryMeetingRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { GetIceServers } from '../../../src/application/use-cases/get-ice-servers';
import { EndCall } from '../../../src/application/use-cases/host-actions';
import { JoinCall } from '../../../src/application/use-cases/join-call';
import { AdmitParticipant, DenyParticipant } from '../../../src/application/use-cases/lobby';
import { expectCode } from '../../support/errors';
import { FakeClock, RecordingAttendance, RecordingNotifier, RecordingTurnIssuer, SequentialIds, SequentialSecrets } from '../../support/fakes';
import { inCall } from '../../support/in-call';

const ROOM = 'https://meet.example/lobby-room';

async function setup() {
  const clock = new FakeClock();
  const rooms = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1024 * 1024, clock });
  const notifier = new RecordingNotifier();
  const meetings = new InMemoryMeetingRepository();
  await meetings.add({ code: 'lobby-room', title: '', ownerId: 'u-owner', lobby: true, media: 'auto', createdAt: clock.now() });
  const attendance = new RecordingAttendance();
  const join = new JoinCall(rooms, notifier, meetings, attendance, new SequentialSecrets(), meshSettings(2), fakePool());
  const iceServers = new GetIceServers({ stunUrls: [], turn: { urls: ['turn:turn.example'], issuer: new RecordingTurnIssuer() } }, new SequentialIds());
  const enter = (id: string, userId: string | null, callPath = ROOM) =>
    join.execute({ participantId: id, callPath, account: userId ? { userId, name: `Name ${id}` } : null, address: '10.0.0.9', connectionId: id, resumable: false });
  return {
    rooms,
    notifier,
    enter,
    admit: new AdmitParticipant(rooms, notifier, iceServers, meshSettings(2), fakePool()),
    deny: new DenyParticipant(rooms, notifier),
    end: new EndCall(rooms, notifier, attendance, fakePool()),
  };
}

describe('the lobby', () => {
  it('JoinCall holds a newcomer back: nobody hears of it but the host, who gets lobby-knock', async () => {
    const s = await setup();
    await s.enter('o', 'u-owner');
    s.notifier.clear();
    expect(await s.enter('w', 'u-w')).toEqual({ callId: 'lobby-room', waiting: true, previous: null, resumable: false });
    expect(s.notifier.delivered).toEqual([{ to: 'o', event: { type: 'lobby-knock', knock: { id: 'w', name: 'Name w', userId: 'u-w' } } }]);
    expect(s.notifier.members.get('lobby-room')).toEqual(new Set(['o']));
  });

  it('JoinCall tells nobody of a newcomer arriving before the host; the host finds it in its own answer', async () => {
    const s = await setup();
    await s.enter('g', null);
    expect(s.notifier.delivered).toEqual([]);
    expect(inCall(await s.enter('o', 'u-owner')).lobby).toEqual([{ id: 'g', name: 'Guest', userId: null }]);
  });

  it('JoinCall tells the call a newcomer left for a lobby, as for any move between calls', async () => {
    const s = await setup();
    await s.enter('o', 'u-owner');
    await s.enter('a', null, 'https://meet.example/other');
    await s.enter('b', null, 'https://meet.example/other');
    s.notifier.clear();
    expect(await s.enter('a', null)).toMatchObject({ waiting: true, previous: { left: true, ended: null } });
    expect(s.notifier.eventsFor('b')).toEqual([{ type: 'user-left', id: 'a' }]);
  });

  it('AdmitParticipant attaches the newcomer, shows it to everyone, then sends it admitted with its ICE servers', async () => {
    const s = await setup();
    await s.enter('o', 'u-owner');
    await s.enter('w', 'u-w');
    s.notifier.clear();
    await s.admit.execute({ byId: 'o', targetId: 'w' });
    expect(s.notifier.members.get('lobby-room')).toEqual(new Set(['o', 'w']));
    expect(s.notifier.eventsFor('o').map((e) => e.type)).toEqual(['user-joined']);
    const [joinedEvent, admitted] = s.notifier.eventsFor('w');
    expect(joinedEvent).toMatchObject({ type: 'user-joined', id: 'w' });
    expect(admitted).toMatchObject({
      type: 'admitted',
      admission: { callId: 'lobby-room', self: { id: 'w', role: 'member' }, options: { locked: false, lobby: true } },
      iceServers: [{ urls: ['turn:turn.example'], username: 'user:u-w', credential: 'secret-for:u-w' }],
    });
    expect(admitted?.type === 'admitted' ? admitted.admission.participants.map((p) => p.id) : admitted).toEqual(['o', 'w']);
  });

  it('AdmitParticipant refuses a full call and leaves the newcomer waiting, unattached', async () => {
    const s = await setup();
    await s.enter('o', 'u-owner');
    await s.enter('a', 'u-a');
    await s.enter('b', 'u-b');
    await s.admit.execute({ byId: 'o', targetId: 'a' });
    s.notifier.clear();
    await expectCode(s.admit.execute({ byId: 'o', targetId: 'b' }), 'ROOM_FULL');
    expect(s.notifier.delivered).toEqual([]);
    await s.deny.execute({ byId: 'o', targetId: 'b' });
    expect(s.notifier.eventsFor('b')).toEqual([{ type: 'denied' }]);
  });

  it('DenyParticipant tells only the newcomer; EndCall denies whoever still waits', async () => {
    const s = await setup();
    await s.enter('o', 'u-owner');
    await s.enter('w', null);
    await s.enter('v', null);
    s.notifier.clear();
    await s.deny.execute({ byId: 'o', targetId: 'w' });
    expect(s.notifier.delivered).toEqual([{ to: 'w', event: { type: 'denied' } }]);
    await expectCode(s.deny.execute({ byId: 'o', targetId: 'w' }), 'NOT_FOUND');
    s.notifier.clear();
    await s.end.execute({ byId: 'o' });
    expect(s.notifier.delivered).toEqual([
      { to: 'o', event: { type: 'call-ended', by: 'o' } },
      { to: 'v', event: { type: 'denied' } },
    ]);
  });
});
