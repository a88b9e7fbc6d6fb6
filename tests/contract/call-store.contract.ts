import type { Clock } from '../../src/application/ports/clock';
import type { CallStore } from '../../src/application/ports/call-store';
import { GuestName, INITIAL_MEDIA, type Participant, type ParticipantDraft } from '../../src/domain/call';
import { entryRefusal, placement, successor, type EntryFacts, type EntryRefusal, type PlacementFacts } from '../../src/domain/call-rules';
import { DomainError, type ErrorCode } from '../../src/domain/errors';
import { expectCode } from '../support/errors';
import { heldBack, inCall } from '../support/in-call';
import { FakeClock } from '../support/fakes';
import { participantDraft, person, meshMedia } from '../support/participants';

export const CONTRACT_HISTORY_TTL_MS = 60_000;

/** The refusal a join's error stands for. */
const REFUSALS = new Map<ErrorCode, EntryRefusal>([
  ['BANNED', 'banned'],
  ['CALL_LOCKED', 'locked'],
  ['ROOM_FULL', 'full'],
]);
export const CONTRACT_CODE_HOLD_MS = 120_000;

export interface ContractStoreOptions {
  historyTtlMs: number;
  codeHoldMs: number;
  chatMemoryLimitBytes: number;
  clock: Clock;
}

/** What the contract's stores hold unless a test asks for less. */
export const CONTRACT_CHAT_MEMORY_LIMIT = 64 * 1024 * 1024;

/**
 * Every CallStore adapter must pass this unchanged. `open` returns an empty store with these options; stores
 * opened in one test share their state when the adapter is shared (two nodes on one Redis), so `open` may be
 * called more than once per test.
 */
export function callStoreContract(open: (options: ContractStoreOptions) => Promise<CallStore>, close: (store: CallStore) => Promise<void> = async () => {}): void {
  let clock: FakeClock;
  let store: CallStore;
  const opened: CallStore[] = [];
  const another = async () => {
    const next = await open({ historyTtlMs: CONTRACT_HISTORY_TTL_MS, codeHoldMs: CONTRACT_CODE_HOLD_MS, chatMemoryLimitBytes: CONTRACT_CHAT_MEMORY_LIMIT, clock });
    opened.push(next);
    return next;
  };
  beforeEach(async () => {
    clock = new FakeClock();
    store = await another();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map(close));
  });

  const t0 = new FakeClock().now();
  /** `ms` after the test's start, by the store's clock. */
  const after = (ms: number) => new Date(t0.getTime() + ms);
  /** The participant as stored when it joined `ms` after the test's start. */
  const joined = (participant: ParticipantDraft, ms = 0): Participant => ({ ...participant, joinedAt: after(ms), connected: true });
  const enter = (callId: string, participant: ParticipantDraft, capacity = 8, on: CallStore = store, ownerId: string | null = null, lobbyByDefault = false) =>
    on.join({
      callId,
      participant,
      naming: participant.userId === null ? GuestName.naming(participant.name) : null,
      media: meshMedia(capacity),
      ownerId,
      lobbyByDefault,
      resumeToken: null,
      connectionId: participant.id,
    });
  /** A join that must put the joiner in the call. */
  const join = async (callId: string, participant: ParticipantDraft, capacity = 8, on: CallStore = store, ownerId: string | null = null) =>
    inCall(await enter(callId, participant, capacity, on, ownerId));
  const rosterOf = async (callId: string) => (await join(callId, person('observer'))).participants.filter((p) => p.id !== 'observer');
  /** A resume on a fresh connection (one that speaks for nobody yet); the next token is the spent one's and a prime. */
  const reconnect = (on: CallStore, token: string, callId: string, connectionId: string) =>
    on.resume({ token, callId, connectionId, participantId: connectionId, nextToken: `${token}'` });
  const chat = (participantId: string, id: string, limit = 100) => store.postChat(participantId, { id, text: `text-${id}`, naming: null }, limit);

  it('joins in order and returns the participant, the roster and the history together', async () => {
    const host: Participant = { ...joined(person('a', 'u1')), role: 'host' };
    expect(await join('c1', person('a', 'u1'))).toEqual({
      self: host,
      participants: [host],
      history: [],
      previous: null,
      roleChanges: [],
      options: { locked: false, lobby: false },
      lobby: [],
      media: { path: 'mesh', moved: false },
    });
    const second = await join('c1', person('b'));
    expect(second.participants).toEqual([host, joined(person('b'))]);
    expect(await store.routeSignal('b', 'a')).toBe('deliver');
  });

  it('answers null for someone in no call', async () => {
    expect(await store.leave('x')).toBeNull();
    expect(await store.setMedia('x', { audio: true })).toBeNull();
    expect(await chat('x', 'm1')).toBeNull();
    expect(await store.routeSignal('x', 'y')).toBe('sender-not-in-call');
  });

  it('throws ROOM_FULL at capacity, leaving the call and the joiner as they were', async () => {
    await join('c1', person('a'), 2);
    await join('c1', person('b'), 2);
    await join('elsewhere', person('c'), 2);
    await expectCode(join('c1', person('c'), 2), 'ROOM_FULL');
    expect(await store.routeSignal('c', 'a')).toBe('not-in-same-call');
    expect((await join('elsewhere', person('d'))).participants.map((p) => p.id)).toEqual(['c', 'd']);
    expect((await store.leave('a'))?.remaining.map((p) => p.id)).toEqual(['b']);
  });

  it('admits exactly `capacity` of many concurrent joins, across store instances sharing the state', async () => {
    const other = await another();
    const attempts = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => join('c1', person(`p${i}`), 4, i % 2 ? other : store)));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(4);
    const refusals: unknown[] = attempts.flatMap((a): unknown[] => (a.status === 'rejected' ? [a.reason] : []));
    expect(refusals).toHaveLength(6);
    for (const reason of refusals) expect(reason).toMatchObject({ code: 'ROOM_FULL' });
    expect(await rosterOf('c1')).toHaveLength(4);
  });

  it('moves a participant out of its previous call in the same step, ending that call when it was the last', async () => {
    clock.advance(5);
    await join('one', person('a'));
    await join('one', person('b'));
    clock.advance(3);
    const moved = await join('two', person('a'));
    expect(moved.previous).toEqual({
      callId: 'one',
      participant: joined(person('a'), 5),
      at: after(8),
      remaining: [joined(person('b'), 5)],
      ended: null,
      roleChanges: [],
      room: null,
    });
    expect(moved.self).toEqual(joined(person('a'), 8));
    expect(await store.routeSignal('a', 'b')).toBe('not-in-same-call');
    clock.advance(10);
    const last = await join('three', person('b'));
    expect(last.previous).toEqual({
      callId: 'one',
      participant: joined(person('b'), 5),
      at: after(18),
      remaining: [],
      ended: { callId: 'one', startedAt: after(5), endedAt: after(18), peakSize: 2 },
      roleChanges: [],
      room: null,
    });
  });

  it('rejoining the call one is in keeps one entry for it, as a leave and a new join', async () => {
    await join('c1', person('a'));
    await join('c1', person('b'));
    clock.advance(10);
    const again = await join('c1', person('a'));
    expect(again.participants).toEqual([joined(person('b')), joined(person('a'), 10)]);
    expect(again.previous).toEqual({ callId: 'c1', participant: joined(person('a')), at: after(10), remaining: [joined(person('b'))], ended: null, roleChanges: [], room: null });
  });

  it('keeps calls apart', async () => {
    await join('c1', person('a'));
    await join('c2', person('b'));
    expect((await rosterOf('c1')).map((p) => p.id)).toEqual(['a']);
    expect(await store.routeSignal('a', 'b')).toBe('not-in-same-call');
  });

  it('leave returns who left with when they joined, when they left, and the rest; the last leave ends the call with start, end and peak size', async () => {
    await join('c1', person('a'));
    clock.advance(10);
    await join('c1', person('b', 'u2'));
    await join('c1', person('c', 'u3'));
    clock.advance(20);
    const hostB: Participant = { ...joined(person('b', 'u2'), 10), role: 'host' };
    expect(await store.leave('c')).toEqual({
      callId: 'c1',
      participant: joined(person('c', 'u3'), 10),
      at: after(30),
      remaining: [joined(person('a')), hostB],
      ended: null,
      roleChanges: [],
      room: null,
    });
    await store.leave('a');
    clock.advance(20);
    expect(await store.leave('b')).toEqual({
      callId: 'c1',
      participant: hostB,
      at: after(50),
      remaining: [],
      ended: { callId: 'c1', startedAt: t0, endedAt: after(50), peakSize: 3 },
      roleChanges: [],
      room: null,
    });
    expect(await store.leave('b')).toBeNull();
  });

  it('keeps the time of joining through media changes and a guest’s naming, for a leave through another instance', async () => {
    const unnamed = { ...person('g'), name: 'Guest', nameKey: 'guest', unnamed: true };
    await join('c1', unnamed);
    clock.advance(1000);
    await store.setMedia('g', { audio: true });
    await store.postChat('g', { id: 'm1', text: 'hi', naming: GuestName.naming('Gil') }, 100);
    clock.advance(1000);
    const other = await another();
    expect(await other.leave('g')).toMatchObject({
      participant: { ...joined(unnamed), name: 'Gil', nameKey: 'gil', unnamed: false, media: { ...INITIAL_MEDIA, audio: true } },
      at: after(2000),
    });
  });

  it('routes a signal only between two different members of one call', async () => {
    await join('c1', person('a'));
    await join('c1', person('b'));
    await join('c2', person('c'));
    expect(await store.routeSignal('a', 'b')).toBe('deliver');
    expect(await store.routeSignal('b', 'a')).toBe('deliver');
    expect(await store.routeSignal('a', 'c')).toBe('not-in-same-call');
    expect(await store.routeSignal('a', 'a')).toBe('not-in-same-call');
    expect(await store.routeSignal('a', 'nobody')).toBe('not-in-same-call');
    expect(await store.routeSignal('nobody', 'a')).toBe('sender-not-in-call');
    await store.leave('b');
    expect(await store.routeSignal('a', 'b')).toBe('not-in-same-call');
  });

  it('merges media changes and returns the call with the participant', async () => {
    await join('c1', person('a'));
    await store.setMedia('a', { audio: true });
    const updated = await store.setMedia('a', { video: true });
    expect(updated).toEqual({ callId: 'c1', participant: { ...joined(person('a')), media: { audio: true, video: true, screen: false, hand: false } } });
    expect((await rosterOf('c1'))[0]?.media).toEqual(updated?.participant.media);
  });

  it('stamps chat with the sender as stored and the store clock, keeps it in order, capped to the newest `limit`', async () => {
    await join('c1', person('a', 'u1'));
    clock.advance(7);
    expect(await chat('a', 'm1', 3)).toEqual({
      callId: 'c1',
      message: { id: 'm1', text: 'text-m1', sender: 'name-a', senderId: 'a', userId: 'u1', ts: after(7) },
    });
    for (const id of ['m2', 'm3', 'm4']) await chat('a', id, 3);
    expect((await join('c1', person('b'))).history.map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
  });

  it('names an unnamed guest with its first chat, for good; a named one keeps its name', async () => {
    await join('c1', { ...person('a'), name: 'Guest', nameKey: 'guest', unnamed: true });
    await join('c1', person('b'));
    const named = (id: string, participantId: string, chosen: string) =>
      store.postChat(participantId, { id, text: 'hi', naming: GuestName.naming(chosen) }, 100);
    expect((await named('m1', 'a', 'Alice'))?.message.sender).toBe('Alice');
    expect((await named('m2', 'a', 'Mallory'))?.message.sender).toBe('Alice');
    expect((await named('m3', 'b', 'Mallory'))?.message.sender).toBe('name-b');
    expect((await rosterOf('c1')).map((p) => [p.name, p.unnamed])).toEqual([
      ['Alice', false],
      ['name-b', false],
    ]);
  });

  it('marks a guest who takes the name of a logged-in participant of the call, at join and at first chat', async () => {
    await join('c1', person('ann', 'u1', 'Ann Lee'));
    expect((await join('c1', person('g1', null, 'ann  LEE'))).self.name).toBe('ann  LEE (guest)');
    expect((await join('c2', person('g2', null, 'Ann Lee'))).self.name).toBe('Ann Lee');
    await join('c1', { ...person('g3'), name: 'Guest', nameKey: 'guest', unnamed: true });
    const posted = await store.postChat('g3', { id: 'm1', text: 'hi', naming: GuestName.naming('Ann Lee') }, 100);
    expect(posted?.message.sender).toBe('Ann Lee (guest)');
  });

  it('keeps an emptied call’s chat for the TTL, restores it on rejoin, and drops it after', async () => {
    await join('c1', person('a'));
    await chat('a', 'm1');
    clock.advance(1000);
    await store.leave('a');
    clock.advance(CONTRACT_HISTORY_TTL_MS - 1);
    const back = await join('c1', person('b'));
    expect(back.history.map((m) => m.id)).toEqual(['m1']);
    await store.leave('b');
    clock.advance(CONTRACT_HISTORY_TTL_MS);
    expect((await join('c1', person('c'))).history).toEqual([]);
  });

  it('never takes a node that heartbeats for dead', async () => {
    expect(await store.heartbeat()).toBe('alive');
    await join('c1', person('a'));
    const other = await another();
    expect(await other.heartbeat()).toBe('alive');
    await join('c1', person('b'), 8, other);
    expect(await other.evictDeadNodes()).toEqual([]);
    expect(await store.evictDeadNodes()).toEqual([]);
    expect(await store.heartbeat()).toBe('alive');
    expect(await store.routeSignal('a', 'b')).toBe('deliver');
  });

  describe('roles and host actions', () => {
    const roles = async (callId: string) => (await rosterOf(callId)).map((p) => [p.id, p.role]);

    it('makes the first logged-in joiner of an ad-hoc call host; guests alone have none', async () => {
      await join('c1', person('g1'));
      expect((await join('c1', person('a', 'u-a'))).self.role).toBe('host');
      expect((await join('c1', person('b', 'u-b'))).self.role).toBe('member');
      expect(await roles('c1')).toEqual([['g1', 'member'], ['a', 'host'], ['b', 'member']]);
    });

    it('passes the host role to the longest-present logged-in participant when the host leaves', async () => {
      await join('c1', person('a', 'u-a'));
      await join('c1', person('g1'));
      await join('c1', person('b', 'u-b'));
      await join('c1', person('c', 'u-c'));
      expect((await store.leave('a'))?.roleChanges).toEqual([{ id: 'b', role: 'host', lobby: [] }]);
      expect((await store.leave('c'))?.roleChanges).toEqual([]);
      expect((await store.leave('b'))?.roleChanges).toEqual([]);
      expect(await roles('c1')).toEqual([['g1', 'member']]);
    });

    it('makes the owner of an owned meeting host whenever present, and nobody else on joining', async () => {
      expect((await join('m1', person('a', 'u-a'), 8, store, 'u-owner')).self.role).toBe('member');
      const owner = await join('m1', person('o', 'u-owner'), 8, store, 'u-owner');
      expect(owner.self.role).toBe('host');
      expect(owner.roleChanges).toEqual([]);
      await store.leave('o');
      expect(await roles('m1')).toEqual([['a', 'host']]);
      const back = await join('m1', person('o2', 'u-owner'), 8, store, 'u-owner');
      expect(back.roleChanges).toEqual([{ id: 'a', role: 'member' }]);
      expect(back.participants.filter((p) => p.id !== 'observer').map((p) => [p.id, p.role])).toEqual([['a', 'member'], ['o2', 'host']]);
    });

    it('refuses host actions by a member (FORBIDDEN), by someone in no call (NOT_IN_CALL), on a target elsewhere (NOT_FOUND)', async () => {
      await join('c1', person('h', 'u-h'));
      await join('c1', person('m', 'u-m'));
      await join('c2', person('x'));
      await expectCode(store.kick({ byId: 'm', targetId: 'h', ban: false }), 'FORBIDDEN');
      await expectCode(store.mute({ byId: 'm', targetId: 'h', kind: 'audio', force: true }), 'FORBIDDEN');
      await expectCode(store.setCallOptions('m', { locked: true }), 'FORBIDDEN');
      await expectCode(store.transferHost({ byId: 'm', targetId: 'm' }), 'FORBIDDEN');
      await expectCode(store.endCall('m'), 'FORBIDDEN');
      await expectCode(store.unban('m', 'u-x'), 'FORBIDDEN');
      await expectCode(store.kick({ byId: 'nobody', targetId: 'm', ban: false }), 'NOT_IN_CALL');
      await expectCode(store.kick({ byId: 'h', targetId: 'x', ban: false }), 'NOT_FOUND');
      await expectCode(store.kick({ byId: 'h', targetId: 'h', ban: false }), 'NOT_FOUND');
      expect(await roles('c1')).toEqual([['h', 'host'], ['m', 'member']]);
    });

    it('kicks: the target leaves (who, since when, when); with a ban its key cannot rejoin until the ad-hoc call ends', async () => {
      await join('c1', person('h', 'u-h'));
      clock.advance(10);
      await join('c1', person('k', 'u-k'));
      await join('c1', person('g'));
      clock.advance(5);
      const left = await store.kick({ byId: 'h', targetId: 'k', ban: false });
      expect(left).toMatchObject({ callId: 'c1', participant: joined(person('k', 'u-k'), 10), at: after(15), ended: null, roleChanges: [] });
      expect(left.remaining.map((p) => p.id)).toEqual(['h', 'g']);
      await join('c1', person('k2', 'u-k'));
      await store.kick({ byId: 'h', targetId: 'k2', ban: true });
      await expectCode(join('c1', person('k3', 'u-k')), 'BANNED');
      await store.kick({ byId: 'h', targetId: 'g', ban: true });
      await expectCode(join('c1', { ...person('g2'), banKey: person('g').banKey }), 'BANNED');
      expect((await join('c2', person('k4', 'u-k'))).self.id).toBe('k4');

      await store.leave('h');
      await store.leave('observer');
      expect((await join('c1', person('k5', 'u-k'))).self.id).toBe('k5');
    });

    it('keeps an owned meeting’s bans after its call ends, until the host lifts them', async () => {
      await join('m1', person('o', 'u-owner'), 8, store, 'u-owner');
      await join('m1', person('k', 'u-k'), 8, store, 'u-owner');
      await store.kick({ byId: 'o', targetId: 'k', ban: true });
      await store.leave('o');
      await expectCode(join('m1', person('k2', 'u-k'), 8, store, 'u-owner'), 'BANNED');
      await join('m1', person('o2', 'u-owner'), 8, store, 'u-owner');
      expect(await store.unban('o2', 'u-k')).toEqual({ callId: 'm1', lifted: true });
      expect(await store.unban('o2', 'u-k')).toEqual({ callId: 'm1', lifted: false });
      expect((await join('m1', person('k3', 'u-k'), 8, store, 'u-owner')).self.role).toBe('member');
    });

    it('bans a signed-in participant’s address too: a guest from it is refused, another account is not; unban lifts both', async () => {
      const from = (participant: ParticipantDraft, address: string): ParticipantDraft =>
        participantDraft(participant.id, { userId: participant.userId, name: participant.name, address });
      await join('m1', person('o', 'u-owner'), 8, store, 'u-owner');
      await join('m1', from(person('k', 'u-k'), '192.0.2.7'), 8, store, 'u-owner');
      await store.kick({ byId: 'o', targetId: 'k', ban: true });
      await expectCode(join('m1', from(person('g'), '192.0.2.7'), 8, store, 'u-owner'), 'BANNED');
      await expectCode(join('m1', from(person('k2', 'u-k'), '192.0.2.99'), 8, store, 'u-owner'), 'BANNED');
      expect((await join('m1', from(person('colleague', 'u-c'), '192.0.2.7'), 8, store, 'u-owner')).self.role).toBe('member');
      expect((await join('m1', from(person('g2'), '192.0.2.8'), 8, store, 'u-owner')).self.role).toBe('member');
      expect(await store.unban('o', 'u-k')).toEqual({ callId: 'm1', lifted: true });
      expect((await join('m1', from(person('g3'), '192.0.2.7'), 8, store, 'u-owner')).self.id).toBe('g3');
      expect((await join('m1', from(person('k3', 'u-k'), '192.0.2.7'), 8, store, 'u-owner')).self.id).toBe('k3');
    });

    it('keeps the owner a call started with: a meeting made later under a live ad-hoc call’s code grants nothing over it', async () => {
      await join('c1', person('a', 'u-a'));
      await store.setCallOptions('a', { locked: true });
      await expectCode(join('c1', person('m', 'u-m'), 8, store, 'u-m'), 'CALL_LOCKED');
      await store.setCallOptions('a', { locked: false, lobby: true });
      expect(heldBack(await enter('c1', person('m', 'u-m'), 8, store, 'u-m'))).toMatchObject({ knock: { id: 'm' }, hostId: 'a' });
      await store.setCallOptions('a', { lobby: false });
      const mallory = await join('c1', person('m', 'u-m'), 8, store, 'u-m');
      expect([mallory.self.role, mallory.roleChanges]).toEqual(['member', []]);
      await expectCode(store.kick({ byId: 'm', targetId: 'a', ban: true }), 'FORBIDDEN');
      await store.leave('a');
      await store.leave('m');
      expect((await join('c1', person('m2', 'u-m'), 8, store, 'u-m')).self.role).toBe('host');
    });

    it('mutes: off for everyone; forced, the target cannot turn it back on until the host allows it', async () => {
      await join('c1', person('h', 'u-h'));
      await join('c1', person('t'));
      await store.setMedia('t', { audio: true, video: true });
      const muted = await store.mute({ byId: 'h', targetId: 't', kind: 'audio', force: undefined });
      expect(muted.participant.media).toMatchObject({ audio: false, video: true });
      expect((await store.setMedia('t', { audio: true }))?.participant.media.audio).toBe(true);
      expect((await store.mute({ byId: 'h', targetId: 't', kind: 'audio', force: true })).participant.forcedOff).toEqual({ audio: true, video: false });
      await expectCode(store.setMedia('t', { audio: true }), 'FORBIDDEN');
      expect((await store.setMedia('t', { audio: false, hand: true }))?.participant.media).toMatchObject({ audio: false, hand: true });
      await store.mute({ byId: 'h', targetId: 't', kind: 'audio', force: false });
      expect((await store.setMedia('t', { audio: true }))?.participant.media.audio).toBe(true);
    });

    it('locks a call against newcomers except the owner; the lock ends with the call', async () => {
      await join('m1', person('a', 'u-a'), 8, store, 'u-owner');
      await join('m1', person('o', 'u-owner'), 8, store, 'u-owner');
      expect(await store.setCallOptions('o', { locked: true })).toEqual({ callId: 'm1', options: { locked: true, lobby: false } });
      await expectCode(join('m1', person('late', 'u-late'), 8, store, 'u-owner'), 'CALL_LOCKED');
      expect((await join('m1', person('o-again', 'u-owner'), 8, store, 'u-owner')).options).toEqual({ locked: true, lobby: false });
      await store.leave('a');
      await store.leave('o');
      await store.leave('o-again');
      expect((await join('m1', person('late2', 'u-late'), 8, store, 'u-owner')).options).toEqual({ locked: false, lobby: false });
    });

    it('hands the host role to a logged-in participant, not to a guest', async () => {
      await join('c1', person('h', 'u-h'));
      await join('c1', person('m', 'u-m'));
      await join('c1', person('g'));
      await expectCode(store.transferHost({ byId: 'h', targetId: 'g' }), 'FORBIDDEN');
      expect(await store.transferHost({ byId: 'h', targetId: 'm' })).toEqual({
        callId: 'c1',
        roleChanges: [{ id: 'm', role: 'host', lobby: [] }, { id: 'h', role: 'member' }],
      });
      await expectCode(store.kick({ byId: 'h', targetId: 'g', ban: false }), 'FORBIDDEN');
    });

    it('ends a call: everyone out (each with when they joined), chat dropped rather than kept for the TTL', async () => {
      await join('c1', person('h', 'u-h'));
      clock.advance(10);
      await join('c1', person('m'));
      await chat('m', 'm1');
      clock.advance(20);
      const ended = await store.endCall('h');
      expect(ended.removed).toEqual([{ ...joined(person('h', 'u-h')), role: 'host' }, joined(person('m'), 10)]);
      expect(ended.ended).toEqual({ callId: 'c1', startedAt: t0, endedAt: new Date(t0.getTime() + 30), peakSize: 2 });
      expect(await store.routeSignal('h', 'm')).toBe('sender-not-in-call');
      expect((await join('c1', person('n'))).history).toEqual([]);
    });
  });

  describe('resuming', () => {
    const resumable = async (callId: string, participant: ParticipantDraft, token: string, on: CallStore = store) =>
      inCall(await on.join({ callId, participant, naming: null, media: meshMedia(8), ownerId: null, resumeToken: token, connectionId: participant.id }));

    it('keeps a suspended participant in its call, disconnected, until it resumes on a new connection of any node', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      await join('c1', person('b'));
      await store.setMedia('a', { audio: true });
      expect(await store.suspend('a', 'a', 20_000)).toMatchObject({ callId: 'c1', participant: { id: 'a', connected: false } });
      expect((await rosterOf('c1')).map((p) => [p.id, p.connected])).toEqual([['a', false], ['b', true]]);
      await chat('b', 'm1');
      const other = await another();
      const back = await reconnect(other, 'token-a', 'c1', 'socket-2');
      expect(back).toMatchObject({ callId: 'c1', self: { id: 'a', role: 'host', connected: true, media: { audio: true } } });
      expect(back?.history.map((m) => m.id)).toEqual(['m1']);
      expect(await store.routeSignal('b', 'a')).toBe('deliver');
      // The old connection's drop, noticed late, no longer counts; the new one's does.
      expect(await store.suspend('a', 'a', 20_000)).toBeNull();
      expect(await store.suspend('a', 'socket-2', 20_000)).not.toBeNull();
    });

    it('takes suspended participants out once their grace has passed, and only them', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      await resumable('c1', person('b', 'u-b'), 'token-b');
      await join('c1', person('c'));
      await store.suspend('a', 'a', 1_000);
      await store.suspend('b', 'b', 5_000);
      expect(await store.expireGrace()).toEqual([]);
      clock.advance(1_000);
      const expired = await store.expireGrace();
      expect(expired.map((e) => [e.participantId, e.left.remaining.map((p) => p.id), e.left.roleChanges])).toEqual([['a', ['b', 'c'], [{ id: 'b', role: 'host', lobby: [] }]]]);
      expect(await reconnect(store, 'token-a', 'c1', 's')).toBeNull();
      expect(await reconnect(store, 'token-b', 'c1', 's')).not.toBeNull();
      clock.advance(10_000);
      expect(await store.expireGrace()).toEqual([]);
    });

    it('expires by the grace of the latest suspend: resumed then suspended again with another grace, or left meanwhile', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      await resumable('c1', person('b', 'u-b'), 'token-b');
      await resumable('c1', person('l', 'u-l'), 'token-l');
      await join('c1', person('c'));
      await store.suspend('a', 'a', 1_000);
      await store.suspend('b', 'b', 9_000);
      await store.suspend('l', 'l', 1_000);
      await store.leave('l');
      expect(await reconnect(store, 'token-a', 'c1', 'a2')).not.toBeNull();
      await store.suspend('a', 'a2', 5_000);
      clock.advance(1_000);
      expect(await store.expireGrace()).toEqual([]);
      await store.suspend('b', 'b', 2_000);
      clock.advance(2_000);
      expect((await store.expireGrace()).map((e) => e.participantId)).toEqual(['b']);
      clock.advance(1_999);
      expect(await store.expireGrace()).toEqual([]);
      expect(await reconnect(store, "token-a'", 'c1', 'a3')).not.toBeNull();
      await store.suspend('a', 'a3', 1_000);
      clock.advance(1_000);
      expect((await store.expireGrace()).map((e) => [e.participantId, e.left.remaining.map((p) => p.id)])).toEqual([['a', ['c']]]);
      clock.advance(10_000);
      expect(await store.expireGrace()).toEqual([]);
      expect((await rosterOf('c1')).map((p) => p.id)).toEqual(['c']);
    });

    it('never resumes after a leave, a kick or the end of the call, with a token of another call, or without a token', async () => {
      await resumable('c1', person('h', 'u-h'), 'token-h');
      await resumable('c1', person('k'), 'token-k');
      await resumable('c1', person('l'), 'token-l');
      await join('c1', person('plain'));
      expect(await reconnect(store, 'token-k', 'c2', 's')).toBeNull();
      await store.kick({ byId: 'h', targetId: 'k', ban: false });
      expect(await reconnect(store, 'token-k', 'c1', 's')).toBeNull();
      await store.leave('l');
      expect(await reconnect(store, 'token-l', 'c1', 's')).toBeNull();
      expect(await store.suspend('plain', 'plain', 20_000)).toBeNull();
      await store.endCall('h');
      expect(await reconnect(store, 'token-h', 'c1', 's')).toBeNull();
    });
  });

  describe('call rules, as src/domain/call-rules.ts states them', () => {
    const flags = [false, true];
    const placementCases = flags.flatMap((owned) =>
      flags.flatMap((isOwner) =>
        flags.flatMap((hasHost) =>
          flags.flatMap((lobbyOn) =>
            flags.map((loggedIn): PlacementFacts => ({ alreadyIn: false, owned, isOwner, hasHost, lobbyOn, loggedIn })),
          ),
        ),
      ),
    ).filter((facts) => (facts.owned || !facts.isOwner) && (facts.loggedIn || !facts.isOwner));

    /**
     * A live call with a host H (the owner in an owned call) and a guest G; the lobby turned on by H when asked; then,
     * for a call without a host, H gone (G, a guest, cannot succeed it).
     */
    const liveCall = async (callId: string, facts: Omit<PlacementFacts, 'alreadyIn' | 'isOwner' | 'loggedIn'>) => {
      const ownerId = facts.owned ? 'u-owner' : null;
      await join(callId, person(`${callId}-h`, facts.owned ? 'u-owner' : 'u-h'), 8, store, ownerId);
      await join(callId, person(`${callId}-g`), 8, store, ownerId);
      if (facts.lobbyOn) await store.setCallOptions(`${callId}-h`, { lobby: true });
      if (!facts.hasHost) await store.leave(`${callId}-h`);
      return ownerId;
    };

    it('places a newcomer (lobby, host or member) as placement() says, in every combination', async () => {
      const observed: Array<[PlacementFacts, string]> = [];
      for (const [index, facts] of placementCases.entries()) {
        const callId = `place-${index}`;
        const ownerId = await liveCall(callId, facts);
        const joiner = person(`${callId}-j`, facts.isOwner ? 'u-owner' : facts.loggedIn ? 'u-j' : null);
        const outcome = await enter(callId, joiner, 8, store, ownerId);
        observed.push([facts, 'waiting' in outcome ? 'wait' : outcome.self.role]);
      }
      expect(observed).toEqual(placementCases.map((facts) => [facts, placement(facts)]));
    });

    it('refuses a newcomer (banned, locked, full) as entryRefusal() says, in every combination', async () => {
      const cases = flags.flatMap((banned) =>
        flags.flatMap((locked) =>
          flags.flatMap((isOwner) => flags.map((full) => ({ banned, locked, isOwner, full }))),
        ),
      ).filter((c) => !(c.banned && c.isOwner));
      const observed: Array<[EntryFacts, EntryRefusal | null]> = [];
      const expected: Array<[EntryFacts, EntryRefusal | null]> = [];
      for (const [index, c] of cases.entries()) {
        const callId = `entry-${index}`;
        await liveCall(callId, { owned: true, hasHost: true, lobbyOn: false });
        const userId = c.isOwner ? 'u-owner' : 'u-j';
        if (c.banned) {
          await join(callId, person(`${callId}-k`, userId), 8, store, 'u-owner');
          await store.kick({ byId: `${callId}-h`, targetId: `${callId}-k`, ban: true });
        }
        if (c.locked) await store.setCallOptions(`${callId}-h`, { locked: true });
        const capacity = c.full ? 2 : 3;
        const facts: EntryFacts = { alreadyIn: false, banned: c.banned, live: true, locked: c.locked, isOwner: c.isOwner, size: 2, capacity };
        const refused = await enter(callId, person(`${callId}-j`, userId), capacity, store, 'u-owner').then(
          () => null,
          (error: unknown) => REFUSALS.get(error instanceof DomainError ? error.code : 'INTERNAL') ?? null,
        );
        observed.push([facts, refused]);
        expected.push([facts, entryRefusal(facts)]);
      }
      expect(observed).toEqual(expected);
    });

    it('hands a leaving host’s role to the participant successor() picks', async () => {
      const remaining = [person('s-g1'), person('s-a', 'u-a'), person('s-b', 'u-b')];
      await join('succ', person('s-h', 'u-h'));
      for (const participant of remaining) await join('succ', participant);
      const left = await store.leave('s-h');
      const next = successor(remaining);
      expect(left?.roleChanges.map((change) => change.id)).toEqual(next ? [next.id] : []);
    });
  });

  describe('one connection, one participant', () => {
    const resumable = async (callId: string, participant: ParticipantDraft, token: string, on: CallStore = store) =>
      inCall(await on.join({ callId, participant, naming: null, media: meshMedia(8), ownerId: null, resumeToken: token, connectionId: participant.id }));

    it('spends a token on resume: the old one resumes no more, the next one does', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      expect(await store.suspend('a', 'a', 20_000)).not.toBeNull();
      expect((await reconnect(store, 'token-a', 'c1', 's1'))?.self.id).toBe('a');
      expect(await reconnect(store, 'token-a', 'c1', 's2')).toBeNull();
      expect((await reconnect(store, "token-a'", 'c1', 's2'))?.self.id).toBe('a');
    });

    it('refuses a resume the moment the grace passes, before any sweep', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      await join('c1', person('b'));
      await store.suspend('a', 'a', 1_000);
      clock.advance(999);
      expect(await reconnect(store, 'token-a', 'c1', 's1')).not.toBeNull();
      await store.suspend('a', 's1', 1_000);
      clock.advance(1_000);
      expect(await reconnect(store, "token-a'", 'c1', 's2')).toBeNull();
    });

    it('answers the connection a connected participant was on when it resumes on another: that one is to be closed', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      expect(await reconnect(store, 'token-a', 'c1', 's1')).toMatchObject({ replaced: 'a', previous: null });
      await store.suspend('a', 's1', 20_000);
      expect(await reconnect(store, "token-a'", 'c1', 's2')).toMatchObject({ replaced: null });
    });

    it('takes the participant a connection spoke for out of its call when that connection resumes someone else', async () => {
      await resumable('w', person('a', 'u-a'), 'token-a');
      await join('v', person('s'));
      await join('v', person('t'));
      clock.advance(10);
      const back = await store.resume({ token: 'token-a', callId: 'w', connectionId: 's', participantId: 's', nextToken: 'next' });
      expect(back?.previous).toMatchObject({ callId: 'v', participant: joined(person('s')), at: after(10), ended: null });
      expect(back?.previous?.remaining.map((p) => p.id)).toEqual(['t']);
      expect(await store.countParticipants('v')).toBe(1);
      expect(await store.routeSignal('s', 't')).toBe('sender-not-in-call');
    });

    it('takes a waiting participant off its lobby when its connection resumes someone else', async () => {
      await resumable('w', person('a', 'u-a'), 'token-a');
      await join('m1', person('o', 'u-owner'), 8, store, 'u-owner');
      await store.setCallOptions('o', { lobby: true });
      expect(heldBack(await enter('m1', person('s'), 8, store, 'u-owner'))).toMatchObject({ knock: { id: 's' } });
      expect((await store.resume({ token: 'token-a', callId: 'w', connectionId: 's', participantId: 's', nextToken: 'next' }))?.previous).toBeNull();
      await expectCode(store.admit({ byId: 'o', targetId: 's', media: meshMedia(8) }), 'NOT_FOUND');
    });

    it('leaves on a connection’s behalf only while the participant is still on it', async () => {
      await resumable('c1', person('a', 'u-a'), 'token-a');
      await join('c1', person('b'));
      await reconnect(store, 'token-a', 'c1', 's1');
      expect(await store.leave('a', 'a')).toBeNull();
      expect((await rosterOf('c1')).map((p) => p.id)).toEqual(['a', 'b']);
      expect((await store.leave('a', 's1'))?.participant.id).toBe('a');
      expect((await store.leave('b', 'b'))?.participant.id).toBe('b');
    });

    it('holds the code of an ended ad-hoc call for the hold, and of a live call while it lasts', async () => {
      expect(await store.codeInUse('c1')).toBe(false);
      await join('c1', person('a'));
      await join('m1', person('o', 'u-owner'), 8, store, 'u-owner');
      expect([await store.codeInUse('c1'), await store.codeInUse('m1')]).toEqual([true, true]);
      await store.leave('a');
      await store.leave('o');
      expect([await store.codeInUse('c1'), await store.codeInUse('m1')]).toEqual([true, false]);
      clock.advance(CONTRACT_CODE_HOLD_MS - 1);
      expect(await store.codeInUse('c1')).toBe(true);
      clock.advance(1);
      expect(await store.codeInUse('c1')).toBe(false);
      await join('c2', person('h', 'u-h'));
      await store.endCall('h');
      expect(await store.codeInUse('c2')).toBe(true);
    });
  });

  describe('lobby', () => {
    /** A join of meeting m1, owned by u-owner and created with the lobby on. */
    const meeting = (participant: ParticipantDraft, capacity = 8) => enter('m1', participant, capacity, store, 'u-owner', true);
    const owner = async (id = 'o') => inCall(await meeting(person(id, 'u-owner')));
    const hostO: Participant = { ...joined(person('o', 'u-owner')), role: 'host' };

    it('holds a newcomer back while the lobby is on: in no call, unable to signal, chat or set media; the owner goes in as host', async () => {
      const host = await owner();
      expect(host.self.role).toBe('host');
      expect(host.options).toEqual({ locked: false, lobby: true });
      expect(heldBack(await meeting(person('w', 'u-w')))).toEqual({
        waiting: true,
        knock: { id: 'w', name: 'name-w', userId: 'u-w' },
        hostId: 'o',
        previous: null,
      });
      expect(await store.routeSignal('w', 'o')).toBe('sender-not-in-call');
      expect(await store.routeSignal('o', 'w')).toBe('not-in-same-call');
      expect(await chat('w', 'm1')).toBeNull();
      expect(await store.setMedia('w', { audio: true })).toBeNull();
      expect(await store.countParticipants('m1')).toBe(1);
    });

    it('holds newcomers arriving before the host, in arrival order; a host joining later finds them in its answer', async () => {
      expect(heldBack(await meeting(person('a', 'u-a')))).toMatchObject({ hostId: null });
      expect(heldBack(await meeting(person('g')))).toMatchObject({ knock: { id: 'g', name: 'name-g', userId: null }, hostId: null });
      expect(await store.countParticipants('m1')).toBe(0);
      expect((await owner()).lobby).toEqual([
        { id: 'a', name: 'name-a', userId: 'u-a' },
        { id: 'g', name: 'name-g', userId: null },
      ]);
    });

    it('admits a waiter as a member stamped at admission, with the roster, history and options of the call', async () => {
      await owner();
      await chat('o', 'm1');
      await meeting(person('w', 'u-w'));
      clock.advance(10);
      const admitted = await store.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) });
      const w = joined(person('w', 'u-w'), 10);
      expect(admitted).toEqual({
        callId: 'm1',
        self: w,
        participants: [hostO, w],
        history: [{ id: 'm1', text: 'text-m1', sender: 'name-o', senderId: 'o', userId: 'u-owner', ts: t0 }],
        options: { locked: false, lobby: true },
        resumeToken: null,
        media: { path: 'mesh', moved: false },
      });
      expect(await store.suspend('w', 'w', 20_000)).toBeNull();
      expect(await store.routeSignal('w', 'o')).toBe('deliver');
      expect((await store.leave('w'))?.participant).toEqual(w);
    });

    /** w joins the meeting's lobby with resume token 'token-w' on connection 'socket-w'. */
    const knockWithToken = () =>
      store.join({ callId: 'm1', participant: person('w', 'u-w'), naming: null, media: meshMedia(8), ownerId: 'u-owner', lobbyByDefault: true, resumeToken: 'token-w', connectionId: 'socket-w' });

    it('keeps the resume token a waiter joined with, which resumes it once admitted (on any node), not before', async () => {
      await owner();
      const waiting = await knockWithToken();
      expect(heldBack(waiting)).toMatchObject({ knock: { id: 'w' } });
      expect(await reconnect(store, 'token-w', 'm1', 'socket-2')).toBeNull();
      expect((await store.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) })).resumeToken).toBe('token-w');
      expect(await store.suspend('w', 'socket-w', 20_000)).toMatchObject({ callId: 'm1', participant: { id: 'w', connected: false } });
      const back = await reconnect(await another(), 'token-w', 'm1', 'socket-2');
      expect(back).toMatchObject({ callId: 'm1', self: { id: 'w', role: 'member', connected: true } });
    });

    it('takes a waiter whose connection drops off the list: suspending it answers null and nothing is left to admit', async () => {
      await owner();
      await knockWithToken();
      expect(await store.suspend('w', 'socket-w', 20_000)).toBeNull();
      await expectCode(store.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) }), 'NOT_FOUND');
      expect((await owner()).lobby).toEqual([]);
    });

    it('hands the waiting list to whoever becomes host, by transfer or by succession', async () => {
      await join('c1', person('h', 'u-h'));
      await join('c1', person('m', 'u-m'));
      await store.setCallOptions('h', { lobby: true });
      expect(heldBack(await enter('c1', person('w', 'u-w')))).toMatchObject({ hostId: 'h' });
      const waiting = [{ id: 'w', name: 'name-w', userId: 'u-w' }];
      expect((await store.transferHost({ byId: 'h', targetId: 'm' })).roleChanges).toEqual([
        { id: 'm', role: 'host', lobby: waiting },
        { id: 'h', role: 'member' },
      ]);
      expect((await store.leave('m'))?.roleChanges).toEqual([{ id: 'h', role: 'host', lobby: waiting }]);
    });

    it('settles a waiting guest’s name against the roster it is admitted to', async () => {
      await owner();
      await meeting(person('g', null, 'name-o'));
      expect((await store.admit({ byId: 'o', targetId: 'g', media: meshMedia(8) })).self.name).toBe('name-o (guest)');
    });

    it('lets only the host admit or deny, and only someone waiting to join its call', async () => {
      await owner();
      await meeting(person('w', 'u-w'));
      await store.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) });
      await meeting(person('x'));
      await join('elsewhere', person('y', 'u-y'));
      await expectCode(store.admit({ byId: 'w', targetId: 'x', media: meshMedia(8) }), 'FORBIDDEN');
      await expectCode(store.deny({ byId: 'w', targetId: 'x' }), 'FORBIDDEN');
      await expectCode(store.admit({ byId: 'y', targetId: 'x', media: meshMedia(8) }), 'NOT_FOUND');
      await expectCode(store.admit({ byId: 'nobody', targetId: 'x', media: meshMedia(8) }), 'NOT_IN_CALL');
      await expectCode(store.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) }), 'NOT_FOUND');
      expect(await store.deny({ byId: 'o', targetId: 'x' })).toEqual({ callId: 'm1' });
      await expectCode(store.deny({ byId: 'o', targetId: 'x' }), 'NOT_FOUND');
      await expectCode(store.admit({ byId: 'o', targetId: 'x', media: meshMedia(8) }), 'NOT_FOUND');
      expect(await store.routeSignal('x', 'o')).toBe('sender-not-in-call');
    });

    it('checks bans, the lock and capacity before holding anyone back, and capacity again at admission', async () => {
      await owner();
      await meeting(person('a', 'u-a'), 2);
      await store.admit({ byId: 'o', targetId: 'a', media: meshMedia(2) });
      await expectCode(meeting(person('b', 'u-b'), 2), 'ROOM_FULL');
      await meeting(person('b', 'u-b'), 3);
      await meeting(person('c', 'u-c'), 3);
      await store.admit({ byId: 'o', targetId: 'b', media: meshMedia(3) });
      await expectCode(store.admit({ byId: 'o', targetId: 'c', media: meshMedia(3) }), 'ROOM_FULL');
      expect(await store.deny({ byId: 'o', targetId: 'c' })).toEqual({ callId: 'm1' });
      await store.kick({ byId: 'o', targetId: 'a', ban: true });
      await expectCode(meeting(person('a2', 'u-a')), 'BANNED');
      await store.setCallOptions('o', { locked: true });
      await expectCode(meeting(person('d', 'u-d')), 'CALL_LOCKED');
    });

    it('turns the lobby on and off in an ad-hoc call; its waiting list outlives the call, for the next host', async () => {
      await join('c1', person('h', 'u-h'));
      expect(await store.setCallOptions('h', { lobby: true })).toEqual({ callId: 'c1', options: { locked: false, lobby: true } });
      expect(await store.setCallOptions('h', { locked: false })).toEqual({ callId: 'c1', options: { locked: false, lobby: true } });
      expect(heldBack(await enter('c1', person('g')))).toMatchObject({ hostId: 'h' });
      await store.leave('h');
      const next = await join('c1', person('x', 'u-x'));
      expect(next.self.role).toBe('host');
      expect(next.options).toEqual({ locked: false, lobby: false });
      expect(next.lobby).toEqual([{ id: 'g', name: 'name-g', userId: null }]);
      await store.setCallOptions('x', { lobby: true });
      expect(heldBack(await enter('c1', person('y', 'u-y')))).toMatchObject({ hostId: 'x' });
      await store.setCallOptions('x', { lobby: false });
      expect((await join('c1', person('z'))).self.id).toBe('z');
    });

    it('lets in who becomes host by joining an ad-hoc call without a host; holds guests back', async () => {
      await join('c1', person('h', 'u-h'));
      await join('c1', person('g'));
      await store.setCallOptions('h', { lobby: true });
      await store.leave('h');
      expect(heldBack(await enter('c1', person('g2')))).toMatchObject({ hostId: null });
      expect((await join('c1', person('u', 'u-u'))).self.role).toBe('host');
    });

    it('takes a waiter off the list when it leaves or joins elsewhere; one in a call leaves it to wait', async () => {
      await owner();
      await meeting(person('w'));
      expect(await store.leave('w')).toBeNull();
      await expectCode(store.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) }), 'NOT_FOUND');
      await meeting(person('v'));
      await join('elsewhere', person('v'));
      await expectCode(store.deny({ byId: 'o', targetId: 'v' }), 'NOT_FOUND');
      clock.advance(5);
      expect(heldBack(await meeting(person('v')))).toMatchObject({
        previous: { callId: 'elsewhere', participant: joined(person('v')), at: after(5), remaining: [], ended: { callId: 'elsewhere', startedAt: t0, endedAt: after(5), peakSize: 1 } },
      });
      expect(await store.countParticipants('elsewhere')).toBe(0);
      expect(heldBack(await meeting(person('v')))).toMatchObject({ previous: null });
      expect((await owner('o2')).lobby).toEqual([{ id: 'v', name: 'name-v', userId: null }]);
    });

    it('turns everyone waiting away when the host ends the call', async () => {
      await owner();
      await meeting(person('w'));
      expect((await store.endCall('o')).turnedAway).toEqual(['w']);
      expect((await owner()).lobby).toEqual([]);
    });
  });

  it('counts the participants of a call on every node, 0 once it ended or when it never began', async () => {
    const other = await another();
    expect(await store.countParticipants('c1')).toBe(0);
    await join('c1', person('a'));
    await join('c1', person('b'), 8, other);
    await join('c2', person('c'));
    expect(await store.countParticipants('c1')).toBe(2);
    expect(await other.countParticipants('c1')).toBe(2);
    await store.leave('a');
    expect(await other.countParticipants('c1')).toBe(1);
    await other.leave('b');
    expect(await store.countParticipants('c1')).toBe(0);
    expect(await store.countParticipants('c2')).toBe(1);
  });

  it('returns copies: changing what it returned does not change the store', async () => {
    const answer = await join('c1', person('a'));
    answer.self.media.audio = true;
    answer.self.joinedAt.setTime(0);
    answer.participants[0]!.name = 'changed';
    expect((await rosterOf('c1'))[0]).toEqual(joined(person('a')));
  });
}
