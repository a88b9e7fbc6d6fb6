import type { RoomStore } from '../../src/application/ports/room-store';
import { INITIAL_MEDIA, type ChatMessage, type Participant } from '../../src/domain/call';
import { expectCode } from '../support/errors';

export const CONTRACT_HISTORY_TTL_MS = 60_000;

/** Every RoomStore adapter must pass this unchanged. `open` returns an empty store whose chat TTL is CONTRACT_HISTORY_TTL_MS. */
export function roomStoreContract(open: () => Promise<RoomStore>, close: (store: RoomStore) => Promise<void> = async () => {}): void {
  let store: RoomStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await close(store);
  });

  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const person = (id: string, userId: string | null = null): Participant => ({
    id,
    name: `name-${id}`,
    userId,
    unnamed: false,
    media: { ...INITIAL_MEDIA },
  });
  const message = (id: string, senderId = 'a'): ChatMessage => ({
    id,
    text: `text-${id}`,
    sender: 'name-a',
    senderId,
    userId: null,
    ts: at(1),
  });

  it('joins in order and reports the roster and each membership', async () => {
    expect(await store.join('c1', person('a', 'u1'), 8, t0)).toEqual([person('a', 'u1')]);
    expect((await store.join('c1', person('b'), 8, t0)).map((p) => p.id)).toEqual(['a', 'b']);
    expect(await store.participants('c1')).toEqual([person('a', 'u1'), person('b')]);
    expect(await store.callOf('b')).toBe('c1');
    expect(await store.membership('a')).toEqual({ callId: 'c1', participant: person('a', 'u1') });
  });

  it('returns null / [] for what does not exist', async () => {
    expect(await store.callOf('x')).toBeNull();
    expect(await store.membership('x')).toBeNull();
    expect(await store.participants('nope')).toEqual([]);
    expect(await store.leave('x', t0)).toBeNull();
    expect(await store.setMedia('x', { audio: true })).toBeNull();
    expect(await store.chatHistory('nope', t0)).toEqual([]);
  });

  it('throws ROOM_FULL at capacity, leaving the call as it was', async () => {
    await store.join('c1', person('a'), 2, t0);
    await store.join('c1', person('b'), 2, t0);
    await expectCode(store.join('c1', person('c'), 2, t0), 'ROOM_FULL');
    expect((await store.participants('c1')).map((p) => p.id)).toEqual(['a', 'b']);
    expect(await store.callOf('c')).toBeNull();
  });

  it('admits exactly `capacity` of many concurrent joins', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.join('c1', person(`p${i}`), 4, t0)),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(4);
    expect(await store.participants('c1')).toHaveLength(4);
  });

  it('keeps calls apart', async () => {
    await store.join('c1', person('a'), 8, t0);
    await store.join('c2', person('b'), 8, t0);
    expect((await store.participants('c1')).map((p) => p.id)).toEqual(['a']);
    expect(await store.callOf('b')).toBe('c2');
  });

  it('leave returns the rest; the last leave ends the call with start, end and peak size', async () => {
    await store.join('c1', person('a'), 8, t0);
    await store.join('c1', person('b'), 8, at(10));
    await store.join('c1', person('c'), 8, at(20));
    expect(await store.leave('c', at(30))).toEqual({ callId: 'c1', remaining: [person('a'), person('b')], ended: null });
    await store.leave('a', at(40));
    expect(await store.leave('b', at(50))).toEqual({
      callId: 'c1',
      remaining: [],
      ended: { callId: 'c1', startedAt: t0, endedAt: at(50), peakSize: 3 },
    });
    expect(await store.participants('c1')).toEqual([]);
    expect(await store.callOf('b')).toBeNull();
  });

  it('routes a signal only between two different members of one call', async () => {
    await store.join('c1', person('a'), 8, t0);
    await store.join('c1', person('b'), 8, t0);
    await store.join('c2', person('c'), 8, t0);
    expect(await store.routeSignal('a', 'b')).toBe('deliver');
    expect(await store.routeSignal('b', 'a')).toBe('deliver');
    expect(await store.routeSignal('a', 'c')).toBe('not-in-same-call');
    expect(await store.routeSignal('a', 'a')).toBe('not-in-same-call');
    expect(await store.routeSignal('a', 'nobody')).toBe('not-in-same-call');
    expect(await store.routeSignal('nobody', 'a')).toBe('sender-not-in-call');
    await store.leave('b', t0);
    expect(await store.routeSignal('a', 'b')).toBe('not-in-same-call');
  });

  it('merges media changes', async () => {
    await store.join('c1', person('a'), 8, t0);
    await store.setMedia('a', { audio: true });
    const updated = await store.setMedia('a', { video: true });
    expect(updated?.media).toEqual({ audio: true, video: true, screen: false, hand: false });
    expect((await store.participants('c1'))[0]?.media).toEqual(updated?.media);
  });

  it('names an unnamed participant once; a named one keeps its name; nobody in no call', async () => {
    await store.join('c1', { ...person('a'), name: 'Guest', unnamed: true }, 8, t0);
    await store.join('c1', person('b'), 8, t0);
    expect(await store.nameGuest('a', 'Alice')).toMatchObject({ id: 'a', name: 'Alice', unnamed: false });
    expect(await store.nameGuest('a', 'Mallory')).toMatchObject({ name: 'Alice', unnamed: false });
    expect(await store.nameGuest('b', 'Mallory')).toMatchObject({ name: 'name-b' });
    expect(await store.nameGuest('nobody', 'X')).toBeNull();
    expect((await store.participants('c1')).map((p) => p.name)).toEqual(['Alice', 'name-b']);
  });

  it('returns copies: changing what it returned does not change the store', async () => {
    await store.join('c1', person('a'), 8, t0);
    const [copy] = await store.participants('c1');
    copy!.media.audio = true;
    expect((await store.participants('c1'))[0]?.media.audio).toBe(false);
  });

  it('keeps chat in order, capped to the newest `limit`', async () => {
    await store.join('c1', person('a'), 8, t0);
    for (const id of ['m1', 'm2', 'm3', 'm4']) await store.appendChat('c1', message(id), 3);
    expect((await store.chatHistory('c1', t0)).map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
    expect(await store.chatHistory('c1', t0)).toContainEqual(message('m4'));
  });

  it('keeps an emptied call’s chat for the TTL, restores it on rejoin, and drops it after', async () => {
    await store.join('c1', person('a'), 8, t0);
    await store.appendChat('c1', message('m1'), 10);
    await store.leave('a', at(1000));
    expect((await store.chatHistory('c1', at(1000 + CONTRACT_HISTORY_TTL_MS - 1))).map((m) => m.id)).toEqual(['m1']);
    await store.join('c1', person('b'), 8, at(2000));
    await store.appendChat('c1', message('m2', 'b'), 10);
    expect((await store.chatHistory('c1', at(2000))).map((m) => m.id)).toEqual(['m1', 'm2']);
    await store.leave('b', at(3000));
    expect(await store.chatHistory('c1', at(3000 + CONTRACT_HISTORY_TTL_MS))).toEqual([]);
    await store.join('c1', person('c'), 8, at(3000 + CONTRACT_HISTORY_TTL_MS));
    expect(await store.chatHistory('c1', at(3000 + CONTRACT_HISTORY_TTL_MS))).toEqual([]);
  });
}
