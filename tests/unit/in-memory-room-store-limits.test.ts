import { chatMessageBytes, InMemoryRoomStore } from '../../src/adapters/persistence/memory/in-memory-room-store';
import { INITIAL_MEDIA, type ChatMessage, type Participant } from '../../src/domain/call';
import { FakeClock } from '../support/fakes';

const person = (id: string): Participant => ({ id, name: `name-${id}`, userId: null, unnamed: false, media: { ...INITIAL_MEDIA } });
const message = (id: string, text = 'x'.repeat(930)): ChatMessage => ({ id, text, sender: 's', senderId: 'p', userId: null, ts: new Date(0) });
// With 4-character ids, each of these messages counts as exactly 1,000 bytes.
const SIZE = chatMessageBytes(message('msg0'));

function setup(limitMessages: number, historyTtlMs = 60_000) {
  const clock = new FakeClock();
  const store = new InMemoryRoomStore({ historyTtlMs, chatMemoryLimitBytes: limitMessages * SIZE, clock });
  return { clock, store };
}

describe('InMemoryRoomStore chat memory limit', () => {
  it('counts each message by the UTF-8 size of its strings plus a fixed overhead', () => {
    expect(SIZE).toBe(1000);
    expect(chatMessageBytes({ ...message('msg1'), text: 'é'.repeat(465) })).toBe(1000);
  });

  it('drops the histories of emptied calls first, oldest first, and never holds more than the limit', async () => {
    const { clock, store } = setup(5);
    for (const call of ['old', 'new']) {
      await store.join(call, person(`p-${call}`), 8, clock.now());
      await store.appendChat(call, message(`${call}1`), 100);
      await store.appendChat(call, message(`${call}2`), 100);
      await store.leave(`p-${call}`, clock.now());
    }
    await store.join('live', person('a'), 8, clock.now());
    await store.appendChat('live', message('liv1'), 100);
    expect(store.chatBytes).toBe(5 * SIZE);

    await store.appendChat('live', message('liv2'), 100);
    expect(store.chatBytes).toBeLessThanOrEqual(5 * SIZE);
    expect(await store.chatHistory('old', clock.now())).toEqual([]);
    expect((await store.chatHistory('new', clock.now())).map((m) => m.id)).toEqual(['new1', 'new2']);

    await store.appendChat('live', message('liv3'), 100);
    await store.appendChat('live', message('liv4'), 100);
    expect(await store.chatHistory('new', clock.now())).toEqual([]);
    expect((await store.chatHistory('live', clock.now())).map((m) => m.id)).toEqual(['liv1', 'liv2', 'liv3', 'liv4']);
    expect(store.chatBytes).toBe(4 * SIZE);
  });

  it('then drops the oldest messages of live calls, starting with the call whose chat began first', async () => {
    const { clock, store } = setup(4);
    await store.join('first', person('a'), 8, clock.now());
    await store.join('second', person('b'), 8, clock.now());
    for (const id of ['fst1', 'fst2']) await store.appendChat('first', message(id), 100);
    for (const id of ['snd1', 'snd2', 'snd3']) await store.appendChat('second', message(id), 100);
    expect(store.chatBytes).toBe(4 * SIZE);
    expect((await store.chatHistory('first', clock.now())).map((m) => m.id)).toEqual(['fst2']);
    await store.appendChat('second', message('snd4'), 100);
    await store.appendChat('second', message('snd5'), 100);
    expect(await store.chatHistory('first', clock.now())).toEqual([]);
    expect((await store.chatHistory('second', clock.now())).map((m) => m.id)).toEqual(['snd2', 'snd3', 'snd4', 'snd5']);
    expect(store.chatBytes).toBe(4 * SIZE);
  });

  it('gives the bytes back when the per-call cap drops a message and when a history expires', async () => {
    const { clock, store } = setup(100, 1000);
    await store.join('c', person('a'), 8, clock.now());
    for (const id of ['msg1', 'msg2', 'msg3']) await store.appendChat('c', message(id), 2);
    expect(store.chatBytes).toBe(2 * SIZE);
    await store.leave('a', clock.now());
    clock.advance(1000);
    expect(await store.chatHistory('c', clock.now())).toEqual([]);
    expect(store.chatBytes).toBe(0);
  });
});

describe('InMemoryRoomStore history expiry', () => {
  afterEach(() => jest.useRealTimers());

  it('drops an emptied call’s chat when its TTL passes, with no further call to the store', async () => {
    jest.useFakeTimers();
    const { clock, store } = setup(100, 60_000);
    await store.join('c', person('a'), 8, clock.now());
    await store.appendChat('c', message('msg1'), 100);
    await store.leave('a', clock.now());
    clock.advance(59_999);
    jest.advanceTimersByTime(59_999);
    expect(store.chatBytes).toBe(SIZE);
    clock.advance(1);
    jest.advanceTimersByTime(1);
    expect(store.chatBytes).toBe(0);
  });
});
