import { fakePool, meshSettings } from '../../support/fake-media-server';
import { InMemoryMeetingRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { JoinCall, type JoinCallInput } from '../../../src/application/use-cases/join-call';
import { SuspendParticipant } from '../../../src/application/use-cases/suspend-participant';
import { FakeClock, RecordingAttendance, RecordingNotifier, SequentialSecrets } from '../../support/fakes';
import { inCall } from '../../support/in-call';

function setup() {
  const clock = new FakeClock();
  const rooms = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1024 * 1024, clock });
  const notifier = new RecordingNotifier();
  const joinCall = new JoinCall(rooms, notifier, new InMemoryMeetingRepository(), new RecordingAttendance(), new SequentialSecrets(), meshSettings(8), fakePool());
  return {
    notifier,
    join: { execute: async (input: JoinCallInput) => inCall(await joinCall.execute(input)) },
    suspend: new SuspendParticipant(rooms, notifier, 20_000),
  };
}

const joining = (id: string, extra: Partial<JoinCallInput> = {}): JoinCallInput => ({
  participantId: id,
  callPath: 'room',
  account: null,
  address: '10.0.0.1',
  connectionId: id,
  resumable: true,
  ...extra,
});

describe('JoinCall and SuspendParticipant: reconnecting', () => {
  it('hands a resume token only to a client that can take one', async () => {
    const s = setup();
    expect((await s.join.execute(joining('a'))).resumeToken).toBe('secret-1');
    expect((await s.join.execute(joining('b', { resumable: false }))).resumeToken).toBeNull();
  });

  it('tells the others a dropped participant is reconnecting, then reconnected, and rebinds it to its new connection', async () => {
    const s = setup();
    const first = await s.join.execute(joining('a'));
    await s.join.execute(joining('b'));
    s.notifier.clear();
    expect(await s.suspend.execute({ participantId: 'a', connectionId: 'a' })).toEqual({ suspended: true });
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'participant-reconnecting', id: 'a' } }]);

    s.notifier.clear();
    const back = await s.join.execute(joining('socket-2', { resumeToken: first.resumeToken ?? undefined }));
    expect(back).toMatchObject({ resumed: true, resumeToken: 'secret-3', self: { id: 'a', connected: true }, previous: null });
    expect(s.notifier.rebound).toEqual([{ participantId: 'a', connectionId: 'socket-2' }]);
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'participant-reconnected', id: 'a' } }]);
    expect(s.notifier.replaced).toEqual([]);
    const spent = await s.join.execute(joining('socket-3', { resumeToken: 'secret-1' }));
    expect(spent).toMatchObject({ resumed: false, self: { id: 'socket-3' } });
  });

  it('moves a connection that resumes someone else out of its own call first, as a leave, and closes the participant’s old connection', async () => {
    const s = setup();
    const victim = await s.join.execute(joining('a', { callPath: 'w' }));
    await s.join.execute(joining('s', { callPath: 'v' }));
    await s.join.execute(joining('t', { callPath: 'v' }));
    s.notifier.clear();
    const taken = await s.join.execute(joining('s', { callPath: 'w', resumeToken: victim.resumeToken ?? undefined }));
    expect(taken).toMatchObject({ resumed: true, self: { id: 'a' }, previous: { left: true, ended: null } });
    expect(s.notifier.eventsFor('t')).toEqual([{ type: 'user-left', id: 's' }]);
    expect(s.notifier.members.get('v')).toEqual(new Set(['t']));
    expect(s.notifier.replaced).toEqual(['a']);
  });

  it('joins anew when the token resumes nothing, and ignores the drop of a connection it no longer uses', async () => {
    const s = setup();
    await s.join.execute(joining('a'));
    const fresh = await s.join.execute(joining('c', { resumeToken: 'unknown' }));
    expect(fresh).toMatchObject({ resumed: false, self: { id: 'c' }, resumeToken: 'secret-2' });
    expect(await s.suspend.execute({ participantId: 'a', connectionId: 'an-old-socket' })).toEqual({ suspended: false });
  });
});
