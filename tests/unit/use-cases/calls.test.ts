import { fakePool, meshSettings } from '../../support/fake-media-server';
import { InMemoryMeetingRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { JoinCall, type JoinCallInput } from '../../../src/application/use-cases/join-call';
import { LeaveCall } from '../../../src/application/use-cases/leave-call';
import { PostChat } from '../../../src/application/use-cases/post-chat';
import { RelaySignal } from '../../../src/application/use-cases/relay-signal';
import { UpdateMediaState } from '../../../src/application/use-cases/update-media-state';
import { person, meshMedia } from '../../support/participants';
import { expectCode } from '../../support/errors';
import { inCall } from '../../support/in-call';
import { FakeClock, RecordingAttendance, RecordingNotifier, SequentialIds, SequentialSecrets } from '../../support/fakes';

const HOUR = 3600_000;

function setup(options: { capacity?: number; historyLimit?: number } = {}) {
  const clock = new FakeClock();
  const rooms = new InMemoryCallStore({ historyTtlMs: HOUR, codeHoldMs: HOUR, chatMemoryLimitBytes: 64 * 1024 * 1024, clock });
  const notifier = new RecordingNotifier();
  const attendance = new RecordingAttendance();
  const joinCall = new JoinCall(rooms, notifier, new InMemoryMeetingRepository(), attendance, new SequentialSecrets(), meshSettings(options.capacity ?? 8), fakePool());
  /** Joins of ad-hoc calls, which have no lobby: always in the call. */
  const join = { execute: async (input: JoinCallInput) => inCall(await joinCall.execute(input)) };
  return {
    clock,
    rooms,
    notifier,
    attendance,
    leave: new LeaveCall(rooms, notifier, attendance, fakePool()),
    join,
    signal: new RelaySignal(notifier),
    chat: new PostChat(rooms, notifier, new SequentialIds('msg'), { historyLimit: options.historyLimit ?? 100 }),
    media: new UpdateMediaState(rooms, notifier),
    /** Who a newcomer to call `callId` would see besides itself (the newcomer then leaves again). */
    async rosterOf(callId = 'room-1'): Promise<string[]> {
      const seen = inCall(await rooms.join({ callId, participant: person('look', null, 'Look'), naming: null, media: meshMedia(100), ownerId: null, resumeToken: null, connectionId: 'look' }));
      await rooms.leave('look');
      return seen.participants.map((p) => p.id).filter((id) => id !== 'look');
    },
  };
}

const guest = (id: string, callPath = 'https://meet.example/room-1', requestedName?: string) => ({
  participantId: id,
  callPath,
  account: null,
  requestedName,
  address: '10.0.0.1',
  connectionId: id,
  resumable: false,
});

describe('JoinCall', () => {
  it('tells everyone, the joiner included, and returns the roster in join order', async () => {
    const s = setup();
    await s.join.execute(guest('a', undefined, 'Ann'));
    s.notifier.clear();
    const result = await s.join.execute(guest('b', undefined, 'Bob'));
    expect(result.participants.map((p) => p.id)).toEqual(['a', 'b']);
    expect(result.self).toMatchObject({ id: 'b', name: 'Bob', userId: null });
    for (const id of ['a', 'b']) {
      expect(s.notifier.eventsFor(id)).toEqual([{ type: 'user-joined', id: 'b', participants: result.participants }]);
    }
  });

  it('uses the account name for logged-in users, whatever name they ask for', async () => {
    const s = setup();
    const result = await s.join.execute({ ...guest('a'), account: { userId: 'u1', name: 'Ann Lee' }, requestedName: 'The Boss' });
    expect(result.self).toMatchObject({ name: 'Ann Lee', userId: 'u1', unnamed: false });
  });

  it('gives a guest the name of a logged-in participant of the call only with a "(guest)" mark', async () => {
    const s = setup();
    await s.join.execute({ ...guest('ann'), account: { userId: 'u1', name: 'Ann Lee' } });
    expect((await s.join.execute(guest('g1', undefined, 'Ann Lee'))).self.name).toBe('Ann Lee (guest)');
    expect((await s.join.execute(guest('g2', undefined, 'ＡＮＮ LEE'))).self.name).toBe('ＡＮＮ LEE (guest)');
    expect((await s.join.execute(guest('g3', undefined, 'Ann Leek'))).self.name).toBe('Ann Leek');
    const long = (await s.join.execute(guest('g4', 'other-call', 'x'.repeat(64)))).self.name;
    expect(long).toBe('x'.repeat(64));
  });

  it('trims guest names to 64 characters and falls back to Guest', async () => {
    const s = setup();
    expect((await s.join.execute(guest('a', undefined, `  ${'x'.repeat(80)}  `))).self.name).toBe('x'.repeat(64));
    expect((await s.join.execute(guest('b', undefined, '   '))).self).toMatchObject({ name: 'Guest', unnamed: true });
  });

  it('refuses the participant past capacity with ROOM_FULL and changes nothing', async () => {
    const s = setup({ capacity: 2 });
    await s.join.execute(guest('a'));
    await s.join.execute(guest('b'));
    await expectCode(s.join.execute(guest('c')), 'ROOM_FULL');
    expect(await s.rosterOf()).toEqual(['a', 'b']);
    expect(await s.rooms.routeSignal('c', 'a')).toBe('sender-not-in-call');
  });

  it('moves a participant out of their previous call first', async () => {
    const s = setup();
    await s.join.execute(guest('a', 'one'));
    await s.join.execute(guest('b', 'one'));
    s.notifier.clear();
    const result = await s.join.execute(guest('a', 'two'));
    expect(result.previous).toEqual({ left: true, ended: null });
    expect(s.notifier.eventsFor('b')).toEqual([{ type: 'user-left', id: 'a' }]);
    expect(await s.rosterOf('two')).toEqual(['a']);
    expect(await s.rosterOf('one')).toEqual(['b']);
  });

  it('keys the call by its meeting code: a page URL with or without a trailing slash and the bare code are one call', async () => {
    const s = setup();
    const first = await s.join.execute(guest('a', 'http://a/x'));
    await s.join.execute(guest('b', 'http://a/x/'));
    const third = await s.join.execute(guest('c', 'x'));
    expect(first.callId).toBe('x');
    expect(third).toMatchObject({ callId: 'x' });
    expect(third.participants.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(await s.rooms.routeSignal('a', 'c')).toBe('deliver');
  });

  it('keeps calls of different codes apart, whatever the host', async () => {
    const s = setup();
    await s.join.execute(guest('a', 'http://a/x'));
    await s.join.execute(guest('b', 'http://a/y'));
    await s.join.execute(guest('c', 'https://other.example:8443/x?ref=mail'));
    expect(await s.rosterOf('x')).toEqual(['a', 'c']);
    expect(await s.rosterOf('y')).toEqual(['b']);
  });

  it('refuses an empty or over-long path', async () => {
    const s = setup();
    await expectCode(s.join.execute(guest('a', '')), 'VALIDATION_FAILED');
    await expectCode(s.join.execute(guest('a', 'x'.repeat(1025))), 'VALIDATION_FAILED');
  });
});

describe('RelaySignal', () => {
  it('delivers only between members of the same call', async () => {
    const s = setup();
    await s.join.execute(guest('a', 'one'));
    await s.join.execute(guest('b', 'one'));
    await s.join.execute(guest('c', 'two'));
    s.notifier.clear();
    await s.signal.execute({ fromId: 'a', toId: 'b', message: { sdp: 'offer' } });
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'signal', fromId: 'a', message: { sdp: 'offer' } } }]);
    await expectCode(s.signal.execute({ fromId: 'a', toId: 'c', message: 'x' }), 'NOT_IN_SAME_CALL');
    await expectCode(s.signal.execute({ fromId: 'a', toId: 'nobody', message: 'x' }), 'NOT_IN_SAME_CALL');
    await expectCode(s.signal.execute({ fromId: 'a', toId: 'a', message: 'x' }), 'NOT_IN_SAME_CALL');
    await expectCode(s.signal.execute({ fromId: 'z', toId: 'a', message: 'x' }), 'NOT_IN_CALL');
    expect(s.notifier.delivered).toHaveLength(1);
  });

  it('reads no store: the sender\'s call is the one its node knows', async () => {
    const s = setup();
    await s.join.execute(guest('a', 'one'));
    await s.join.execute(guest('b', 'one'));
    s.notifier.clear();
    const reads = jest.spyOn(s.rooms, 'routeSignal');
    await s.signal.execute({ fromId: 'a', toId: 'b', message: 'x' });
    expect(reads).not.toHaveBeenCalled();
    expect(s.notifier.delivered).toHaveLength(1);
  });

  it('sends a signal to a target on another node with the sender\'s call: delivered there only if the target is in it', async () => {
    const s = setup();
    await s.join.execute(guest('a', 'one'));
    await s.join.execute(guest('b', 'one'));
    await s.join.execute(guest('c', 'two'));
    s.notifier.remote.add('b');
    s.notifier.remote.add('c');
    s.notifier.clear();
    // Accepted for delivery either way: the far node decides, and drops what is not for its participant's call.
    await s.signal.execute({ fromId: 'a', toId: 'b', message: 'offer' });
    await s.signal.execute({ fromId: 'a', toId: 'c', message: 'sneak' });
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'signal', fromId: 'a', message: 'offer' } }]);
    expect(s.notifier.dropped).toEqual([{ to: 'c', callId: 'one', event: { type: 'signal', fromId: 'a', message: 'sneak' } }]);
  });

  it('stops at once for a sender who left or moved calls, and never reaches one who left', async () => {
    const s = setup();
    await s.join.execute(guest('a', 'one'));
    await s.join.execute(guest('b', 'one'));
    await s.join.execute(guest('c', 'one'));
    await s.join.execute(guest('d', 'two'));
    s.notifier.remote.add('c');
    await s.leave.execute({ participantId: 'c' });
    // a moves to call two: it reaches d there, and no longer b in call one.
    await s.join.execute(guest('a', 'two'));
    s.notifier.clear();
    await s.signal.execute({ fromId: 'a', toId: 'd', message: 'x' });
    await expectCode(s.signal.execute({ fromId: 'a', toId: 'b', message: 'x' }), 'NOT_IN_SAME_CALL');
    await s.signal.execute({ fromId: 'b', toId: 'c', message: 'x' });
    await s.leave.execute({ participantId: 'b' });
    await expectCode(s.signal.execute({ fromId: 'b', toId: 'a', message: 'x' }), 'NOT_IN_CALL');
    expect(s.notifier.delivered.filter((d) => d.event.type === 'signal').map((d) => d.to)).toEqual(['d']);
    expect(s.notifier.dropped.map((d) => d.to)).toEqual(['c']);
  });
});

describe('PostChat', () => {
  it('stores the message and sends it to the others only, under the account name', async () => {
    const s = setup();
    await s.join.execute({ ...guest('a'), account: { userId: 'u1', name: 'Ann Lee' } });
    await s.join.execute(guest('b'));
    s.notifier.clear();
    const message = await s.chat.execute({ participantId: 'a', text: 'hello', sender: 'Mallory', echoToSender: false });
    expect(message).toMatchObject({ id: 'msg-1', text: 'hello', sender: 'Ann Lee', senderId: 'a', userId: 'u1' });
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'chat-message', message } }]);
  });

  it('echoes to the sender too when asked', async () => {
    const s = setup();
    await s.join.execute(guest('a'));
    await s.join.execute(guest('b'));
    s.notifier.clear();
    await s.chat.execute({ participantId: 'a', text: 'hi', echoToSender: true });
    expect(s.notifier.delivered.map((d) => d.to).sort()).toEqual(['a', 'b']);
  });

  it('names an unnamed guest by the sender of its first chat, for good; a named guest keeps its name', async () => {
    const s = setup();
    await s.join.execute(guest('a'));
    await s.join.execute(guest('b', undefined, 'Bob'));
    await s.join.execute(guest('c'));
    const say = (participantId: string, sender?: string) => s.chat.execute({ participantId, text: 'x', sender, echoToSender: false });
    expect((await say('c')).sender).toBe('Guest');
    expect((await say('a', '  Alice  ')).sender).toBe('Alice');
    expect((await say('a')).sender).toBe('Alice');
    expect((await say('a', 'Mallory')).sender).toBe('Alice');
    expect((await say('b', 'Eve')).sender).toBe('Bob');
    const roster = (await s.join.execute(guest('z'))).participants;
    expect(roster.find((p) => p.id === 'a')).toMatchObject({ name: 'Alice', unnamed: false });
  });

  it('marks a guest who names itself after a logged-in participant of the call as a guest', async () => {
    const s = setup();
    await s.join.execute({ ...guest('ann'), account: { userId: 'u1', name: 'Ann Lee' } });
    await s.join.execute(guest('g'));
    expect((await s.chat.execute({ participantId: 'g', text: 'hi', sender: 'ann  LEE', echoToSender: false })).sender).toBe('ann  LEE (guest)');
  });

  it('refuses chat outside a call and empty or over-long text', async () => {
    const s = setup();
    await expectCode(s.chat.execute({ participantId: 'a', text: 'hi', echoToSender: false }), 'NOT_IN_CALL');
    await s.join.execute(guest('a'));
    await expectCode(s.chat.execute({ participantId: 'a', text: '   ', echoToSender: false }), 'VALIDATION_FAILED');
    await expectCode(s.chat.execute({ participantId: 'a', text: 'x'.repeat(2001), echoToSender: false }), 'VALIDATION_FAILED');
  });

  it('keeps only the newest messages up to the limit and replays them, oldest first, to a joiner', async () => {
    const s = setup({ historyLimit: 3 });
    await s.join.execute(guest('a'));
    for (let i = 1; i <= 5; i += 1) await s.chat.execute({ participantId: 'a', text: `m${i}`, echoToSender: false });
    s.notifier.clear();
    const result = await s.join.execute(guest('b'));
    expect(result.history.map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
    const replayed = s.notifier.eventsFor('b').filter((e) => e.type === 'chat-message');
    expect(replayed.map((e) => (e.type === 'chat-message' ? e.message.text : ''))).toEqual(['m3', 'm4', 'm5']);
  });

  it('keeps an empty call’s history for the TTL, then drops it', async () => {
    const s = setup();
    await s.join.execute(guest('a'));
    await s.chat.execute({ participantId: 'a', text: 'remember me', echoToSender: false });
    const left = await s.leave.execute({ participantId: 'a' });
    expect(left.ended).toMatchObject({ peakSize: 1 });
    s.clock.advance(HOUR - 1);
    expect((await s.join.execute(guest('b'))).history.map((m) => m.text)).toEqual(['remember me']);
    await s.leave.execute({ participantId: 'b' });
    s.clock.advance(HOUR);
    expect((await s.join.execute(guest('c'))).history).toEqual([]);
  });
});

describe('UpdateMediaState', () => {
  it('merges and broadcasts to the others; appears in the next join snapshot', async () => {
    const s = setup();
    await s.join.execute(guest('a'));
    await s.join.execute(guest('b'));
    s.notifier.clear();
    const state = await s.media.execute({ participantId: 'a', change: { audio: true, hand: true } });
    expect(state).toEqual({ audio: true, video: false, screen: false, hand: true });
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'media-state', id: 'a', state } }]);
    const snapshot = await s.join.execute(guest('c'));
    expect(snapshot.participants.find((p) => p.id === 'a')?.media).toEqual(state);
  });

  it('refuses outside a call', async () => {
    await expectCode(setup().media.execute({ participantId: 'x', change: { audio: true } }), 'NOT_IN_CALL');
  });
});

describe('LeaveCall', () => {
  it('tells the rest, and the last one out ends the call with its duration and peak size', async () => {
    const s = setup();
    await s.join.execute(guest('a'));
    await s.join.execute(guest('b'));
    s.clock.advance(90_000);
    s.notifier.clear();
    expect(await s.leave.execute({ participantId: 'a' })).toEqual({ left: true, ended: null });
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'user-left', id: 'a' } }]);
    const last = await s.leave.execute({ participantId: 'b' });
    expect(last.ended).toMatchObject({ peakSize: 2 });
    expect(last.ended!.endedAt.getTime() - last.ended!.startedAt.getTime()).toBe(90_000);
    expect(await s.rosterOf()).toEqual([]);
  });

  it('is harmless when not in a call', async () => {
    expect(await setup().leave.execute({ participantId: 'x' })).toEqual({ left: false, ended: null });
  });
});

describe('attendance of logged-in participants', () => {
  const PATH = 'https://meet.example/room-1';
  const member = (id: string, userId: string, callPath = PATH) => ({ ...guest(id, callPath), account: { userId, name: `Name ${userId}` } });

  it('LeaveCall records who stayed in which call from when to when, by the store’s clock, after telling the rest', async () => {
    const s = setup();
    const joinedAt = s.clock.now();
    await s.join.execute(member('a', 'u1'));
    await s.join.execute(guest('b'));
    s.clock.advance(90_500);
    s.notifier.clear();
    const toldBeforeRecording: number[] = [];
    s.attendance.beforeAdd = () => toldBeforeRecording.push(s.notifier.delivered.length);

    expect(await s.leave.execute({ participantId: 'a' })).toEqual({ left: true, ended: null });
    expect(s.attendance.records).toEqual([{ userId: 'u1', meetingCode: 'room-1', joinedAt, leftAt: s.clock.now() }]);
    expect(toldBeforeRecording).toEqual([1]);
  });

  it('records the last one out too, as the call ends', async () => {
    const s = setup();
    await s.join.execute(member('a', 'u1'));
    s.clock.advance(1000);
    expect((await s.leave.execute({ participantId: 'a' })).ended).not.toBeNull();
    expect(s.attendance.records.map((r) => r.leftAt)).toEqual([s.clock.now()]);
  });

  it('records nothing for a guest, nor for a leave when in no call', async () => {
    const s = setup();
    await s.join.execute(guest('g'));
    s.clock.advance(1000);
    await s.leave.execute({ participantId: 'g' });
    await s.leave.execute({ participantId: 'g' });
    expect(s.attendance.records).toEqual([]);
  });

  it('lets a failed write reach the caller, once the leave has happened and been announced', async () => {
    const s = setup();
    await s.join.execute(member('a', 'u1'));
    await s.join.execute(guest('b'));
    s.notifier.clear();
    s.attendance.failure = new Error('database is away');
    await expect(s.leave.execute({ participantId: 'a' })).rejects.toThrow('database is away');
    expect(s.notifier.delivered).toEqual([{ to: 'b', event: { type: 'user-left', id: 'a' } }]);
    expect(await s.rosterOf()).toEqual(['b']);
  });

  it('JoinCall records the stay in the call left for another, once the joiner is in the new one', async () => {
    const s = setup();
    const joinedAt = s.clock.now();
    await s.join.execute(member('a', 'u1', 'one'));
    await s.join.execute(guest('b', 'one'));
    s.clock.advance(30_000);
    s.notifier.clear();
    const seenBeforeRecording: string[][] = [];
    s.attendance.beforeAdd = () => seenBeforeRecording.push(s.notifier.delivered.map((d) => `${d.to}:${d.event.type}`));

    await s.join.execute(member('a', 'u1', 'two'));
    expect(s.attendance.records).toEqual([{ userId: 'u1', meetingCode: 'one', joinedAt, leftAt: s.clock.now() }]);
    expect(seenBeforeRecording).toEqual([['b:user-left', 'a:user-joined']]);
  });

  it('JoinCall records nothing for a first join, nor for a guest moving between calls', async () => {
    const s = setup();
    await s.join.execute(member('a', 'u1', 'one'));
    await s.join.execute(guest('g', 'one'));
    s.clock.advance(1000);
    await s.join.execute(guest('g', 'two'));
    expect(s.attendance.records).toEqual([]);
  });
});
