import { InMemoryCallStore, MAX_HELD_CODES } from '../../src/adapters/persistence/memory/in-memory-call-store';
import { CHAT_MESSAGE_OVERHEAD_BYTES, type ParticipantDraft } from '../../src/domain/call';
import { FakeClock } from '../support/fakes';
import { inCall } from '../support/in-call';
import { participantDraft, meshMedia } from '../support/participants';

// Four-character ids and names, and text to make up the rest: each message counts as exactly 1,000 bytes.
const person = (id: string): ParticipantDraft => participantDraft(id, { name: 'name', address: id });
const SIZE = 1000;
const TEXT = 'x'.repeat(SIZE - 3 * 4 - CHAT_MESSAGE_OVERHEAD_BYTES);

function setup(limitMessages: number, historyTtlMs = 60_000) {
  const clock = new FakeClock();
  const store = new InMemoryCallStore({ historyTtlMs, codeHoldMs: historyTtlMs, chatMemoryLimitBytes: limitMessages * SIZE, clock });
  const join = (callId: string, id: string) => store.join({ callId, participant: person(id), naming: null, media: meshMedia(8), ownerId: null, resumeToken: null, connectionId: id }).then(inCall);
  const post = (participantId: string, id: string, limit = 100) => store.postChat(participantId, { id, text: TEXT, naming: null }, limit);
  /** The history a newcomer would get; the newcomer then leaves, so the call is as it was apart from that. */
  const historyOf = async (callId: string) => {
    const seen = (await join(callId, 'look')).history.map((m) => m.id);
    await store.leave('look');
    return seen;
  };
  /** Calls `old`, then `new`, each with two messages, both emptied: their chat is parked, `old`'s first. */
  const parkTwoHistories = async () => {
    for (const call of ['old', 'new']) {
      await join(call, `p${call}`);
      await post(`p${call}`, `${call}1`);
      await post(`p${call}`, `${call}2`);
      await store.leave(`p${call}`);
    }
  };
  return { clock, store, join, post, historyOf, parkTwoHistories };
}

describe('InMemoryCallStore history expiry', () => {
  afterEach(() => jest.useRealTimers());

  it('drops an emptied call’s chat when its TTL passes, with no further call to the store', async () => {
    jest.useFakeTimers();
    const { clock, store, join, post } = setup(100, 60_000);
    await join('c', 'pmsg');
    await post('pmsg', 'msg1');
    await store.leave('pmsg');
    clock.advance(59_999);
    jest.advanceTimersByTime(59_999);
    expect(store.chatBytes).toBe(SIZE);
    clock.advance(1);
    jest.advanceTimersByTime(1);
    expect(store.chatBytes).toBe(0);
  });
});

describe('InMemoryCallStore grace', () => {
  it('expires by the latest suspend after many suspend-resume cycles with a long grace', async () => {
    const clock = new FakeClock();
    const store = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1_000_000, clock });
    const resumable = (id: string) =>
      store.join({ callId: 'c', participant: person(id), naming: null, media: meshMedia(8), ownerId: null, resumeToken: `token-${id}`, connectionId: `${id}-0` }).then(inCall);
    await resumable('pone');
    await resumable('ptwo');
    // Each cycle leaves a stale deadline behind: enough of them to be dropped in a pass, more than once.
    for (let cycle = 0; cycle < 500; cycle += 1) {
      await store.suspend('pone', `pone-${cycle}`, 60_000);
      const back = await store.resume({ token: `token-pone${"'".repeat(cycle)}`, callId: 'c', connectionId: `pone-${cycle + 1}`, participantId: 'pone', nextToken: `token-pone${"'".repeat(cycle + 1)}` });
      expect(back?.self.id).toBe('pone');
      clock.advance(1);
    }
    await store.suspend('pone', 'pone-500', 10);
    await store.suspend('ptwo', 'ptwo-0', 20);
    clock.advance(10);
    expect((await store.expireGrace()).map((e) => e.participantId)).toEqual(['pone']);
    clock.advance(60_000);
    expect((await store.expireGrace()).map((e) => e.participantId)).toEqual(['ptwo']);
    expect(await store.countParticipants('c')).toBe(0);
  });
});

describe('InMemoryCallStore held codes', () => {
  it(`holds at most ${MAX_HELD_CODES} ended ad-hoc codes, dropping the oldest hold first`, async () => {
    const { store, join } = setup(10);
    for (let i = 0; i <= MAX_HELD_CODES; i++) {
      await join(`code-${i}`, 'pcode');
      await store.leave('pcode');
    }
    expect(await store.codeInUse('code-0')).toBe(false);
    expect(await store.codeInUse('code-1')).toBe(true);
    expect(await store.codeInUse(`code-${MAX_HELD_CODES}`)).toBe(true);
  });
});
