import { fakePool, meshSettings } from '../../support/fake-media-server';
import { InMemoryMeetingRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { CreateMeeting } from '../../../src/application/use-cases/create-meeting';
import { GetMeeting } from '../../../src/application/use-cases/get-meeting';
import { JoinCall } from '../../../src/application/use-cases/join-call';
import { ListMyMeetings } from '../../../src/application/use-cases/list-my-meetings';
import { expectCode } from '../../support/errors';
import { FakeClock, RecordingAttendance, RecordingNotifier, ScriptedMeetingCodes, SequentialSecrets } from '../../support/fakes';

function setup(generated: string[] = []) {
  const clock = new FakeClock();
  const meetings = new InMemoryMeetingRepository();
  const codes = new ScriptedMeetingCodes(generated);
  const rooms = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1024 * 1024, clock });
  return {
    clock,
    codes,
    rooms,
    create: new CreateMeeting(meetings, codes, clock, rooms),
    get: new GetMeeting(meetings, rooms),
    list: new ListMyMeetings(meetings),
    join: new JoinCall(rooms, new RecordingNotifier(), meetings, new RecordingAttendance(), new SequentialSecrets(), meshSettings(8), fakePool()),
  };
}

describe('CreateMeeting', () => {
  it('stores the chosen code with its owner, trimmed title, lobby, media mode and creation time', async () => {
    const s = setup();
    const meeting = await s.create.execute({ ownerId: 'u1', code: 'team-standup', title: '  Daily standup ', lobby: true, media: 'mesh' });
    expect(meeting).toEqual({ code: 'team-standup', title: 'Daily standup', ownerId: 'u1', lobby: true, media: 'mesh', createdAt: s.clock.now() });
    expect(await s.list.execute({ ownerId: 'u1' })).toEqual([meeting]);
    expect(s.codes.asked).toBe(0);
  });

  it('generates a code when none is given, with an empty title no lobby and the auto media mode', async () => {
    const s = setup(['abc-defg-hij']);
    expect(await s.create.execute({ ownerId: 'u1' })).toEqual({ code: 'abc-defg-hij', title: '', ownerId: 'u1', lobby: false, media: 'auto', createdAt: s.clock.now() });
  });

  it('refuses a taken code with MEETING_CODE_TAKEN and keeps the first owner', async () => {
    const s = setup();
    await s.create.execute({ ownerId: 'u1', code: 'standup' });
    await expectCode(s.create.execute({ ownerId: 'u2', code: 'standup', title: 'mine now' }), 'MEETING_CODE_TAKEN');
    expect((await s.get.execute({ code: 'standup' })).title).toBe('');
    expect(await s.list.execute({ ownerId: 'u2' })).toEqual([]);
  });

  it('refuses the code of a live call, and of an ad-hoc call for the hold after it ended', async () => {
    const s = setup(['live-call', 'abc-defg-hij']);
    await s.join.execute({ participantId: 'p1', callPath: 'http://host/live-call', account: null, address: '192.0.2.1', connectionId: 'p1', resumable: false });
    await expectCode(s.create.execute({ ownerId: 'u1', code: 'live-call' }), 'MEETING_CODE_TAKEN');
    expect((await s.create.execute({ ownerId: 'u1' })).code).toBe('abc-defg-hij');
    await s.rooms.leave('p1');
    s.clock.advance(59_999);
    await expectCode(s.create.execute({ ownerId: 'u1', code: 'live-call' }), 'MEETING_CODE_TAKEN');
    s.clock.advance(1);
    expect((await s.create.execute({ ownerId: 'u1', code: 'live-call' })).ownerId).toBe('u1');
  });

  it('draws another generated code when one is taken', async () => {
    const s = setup(['aaa-aaaa-aaa', 'aaa-aaaa-aaa', 'bbb-bbbb-bbb']);
    await s.create.execute({ ownerId: 'u1' });
    expect((await s.create.execute({ ownerId: 'u2' })).code).toBe('bbb-bbbb-bbb');
    expect(s.codes.asked).toBe(3);
  });

  it('gives up after five taken generated codes rather than loop', async () => {
    const s = setup(Array.from({ length: 6 }, () => 'aaa-aaaa-aaa'));
    await s.create.execute({ ownerId: 'u1' });
    await expectCode(s.create.execute({ ownerId: 'u2' }), 'INTERNAL');
    expect(s.codes.asked).toBe(6);
  });

  it('refuses a code that is not link-safe and an over-long or unprintable title, naming each field', async () => {
    const s = setup();
    const error = await expectCode(s.create.execute({ ownerId: 'u1', code: 'Stand Up', title: 'x'.repeat(201) }), 'VALIDATION_FAILED');
    expect(error.details?.map((d) => d.field)).toEqual(['code', 'title']);
    expect(error.message).toBe('code must be 3-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit');
    await expectCode(s.create.execute({ ownerId: 'u1', code: 'ok-code', title: 'a\u0007b' }), 'VALIDATION_FAILED');
    await expect(s.create.execute({ ownerId: 'u1', code: 'ok-code', title: 'x'.repeat(200) })).resolves.toMatchObject({ code: 'ok-code' });
  });
});

describe('GetMeeting', () => {
  it('says the call is not live before anyone joins, and how many are in it once they do', async () => {
    const s = setup();
    await s.create.execute({ ownerId: 'u1', code: 'standup', title: 'Standup' });
    expect(await s.get.execute({ code: 'standup' })).toEqual({ code: 'standup', title: 'Standup', lobby: false, live: false, participants: 0 });
    await s.join.execute({ participantId: 'p1', callPath: 'http://localhost:3000/standup', account: null, requestedName: 'Ann', address: '10.0.0.1', connectionId: 'p1', resumable: false });
    await s.join.execute({ participantId: 'p2', callPath: 'standup', account: null, address: '10.0.0.1', connectionId: 'p2', resumable: false });
    const live = await s.get.execute({ code: 'standup' });
    expect(live).toEqual({ code: 'standup', title: 'Standup', lobby: false, live: true, participants: 2 });
    expect(JSON.stringify(live)).not.toContain('Ann');
  });

  it('answers NOT_FOUND for a code nobody created, even while an ad-hoc call of that code is live', async () => {
    const s = setup();
    await s.join.execute({ participantId: 'p1', callPath: 'http://localhost:3000/ad-hoc', account: null, address: '10.0.0.1', connectionId: 'p1', resumable: false });
    await expectCode(s.get.execute({ code: 'ad-hoc' }), 'NOT_FOUND');
  });
});

describe('ListMyMeetings', () => {
  it('lists only the caller’s meetings, newest first, up to the limit', async () => {
    const s = setup();
    for (const code of ['one', 'two', 'three']) {
      await s.create.execute({ ownerId: 'u1', code });
      s.clock.advance(1000);
    }
    await s.create.execute({ ownerId: 'u2', code: 'theirs' });
    expect((await s.list.execute({ ownerId: 'u1' })).map((m) => m.code)).toEqual(['three', 'two', 'one']);
    expect((await s.list.execute({ ownerId: 'u1', limit: 2 })).map((m) => m.code)).toEqual(['three', 'two']);
    expect(await s.list.execute({ ownerId: 'nobody' })).toEqual([]);
  });

  it('refuses a limit outside 1..200', async () => {
    const s = setup();
    await expectCode(s.list.execute({ ownerId: 'u1', limit: 0 }), 'VALIDATION_FAILED');
    await expectCode(s.list.execute({ ownerId: 'u1', limit: 201 }), 'VALIDATION_FAILED');
    await expectCode(s.list.execute({ ownerId: 'u1', limit: 1.5 }), 'VALIDATION_FAILED');
  });
});
