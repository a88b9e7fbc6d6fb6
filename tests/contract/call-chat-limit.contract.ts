import type { CallStore } from '../../src/application/ports/call-store';
import { CHAT_MESSAGE_OVERHEAD_BYTES, chatMessageBytes, type ParticipantDraft } from '../../src/domain/call';
import { FakeClock } from '../support/fakes';
import { inCall } from '../support/in-call';
import { participantDraft, meshMedia } from '../support/participants';
import type { ContractStoreOptions } from './call-store.contract';

// Four-character ids and names, and text to make up the rest: each guest's message counts as exactly 1,000 bytes.
const guest = (id: string): ParticipantDraft => participantDraft(id, { name: 'name', address: id });
const SIZE = 1000;
const TEXT = 'x'.repeat(SIZE - 3 * 4 - CHAT_MESSAGE_OVERHEAD_BYTES);
const HISTORY_TTL_MS = 60_000;

/**
 * CHAT_MEMORY_LIMIT, which every CallStore adapter must hold the same way (across the cluster for a shared one):
 * counted as chatMessageBytes counts, parked chats dropped first (oldest first), then the oldest messages of the
 * live call whose chat began first. `open` as for callStoreContract; each test opens one store with its own limit.
 */
export function callChatLimitContract(open: (options: ContractStoreOptions) => Promise<CallStore>, close: (store: CallStore) => Promise<void> = async () => {}): void {
  const opened: CallStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map(close));
  });

  async function setup(limitBytes: number) {
    const clock = new FakeClock();
    const store = await open({ historyTtlMs: HISTORY_TTL_MS, codeHoldMs: HISTORY_TTL_MS, chatMemoryLimitBytes: limitBytes, clock });
    opened.push(store);
    const join = (callId: string, participant: ParticipantDraft) =>
      store
        .join({ callId, participant, naming: null, media: meshMedia(8), ownerId: null, lobbyByDefault: false, resumeToken: null, connectionId: participant.id })
        .then(inCall);
    const post = (participantId: string, id: string, limit = 100, text = TEXT) => store.postChat(participantId, { id, text, naming: null }, limit);
    /** The history a newcomer would get; the newcomer then leaves, so the call is as it was apart from that. */
    const historyOf = async (callId: string) => {
      const seen = (await join(callId, guest('look'))).history.map((m) => m.id);
      await store.leave('look');
      return seen;
    };
    /** Calls `old`, then `new`, each with two messages, both emptied: their chat is parked, `old`'s first. */
    const parkTwoHistories = async () => {
      for (const call of ['old', 'new']) {
        await join(call, guest(`p${call}`));
        await post(`p${call}`, `${call}1`);
        await post(`p${call}`, `${call}2`);
        await store.leave(`p${call}`);
      }
    };
    return { clock, store, join, post, historyOf, parkTwoHistories };
  }

  it('counts each message as chatMessageBytes does: the UTF-8 size of its strings, a signed-in sender’s id, and the overhead', async () => {
    const messages = [
      { id: 'm1', text: 'é'.repeat(300), sender: 'Zoë', senderId: 'sgin', userId: 'user-é' },
      { id: 'm2', text: TEXT, sender: 'name', senderId: 'gst1', userId: null },
      { id: 'm3', text: '', sender: 'name', senderId: 'gst1', userId: null },
    ];
    expect(chatMessageBytes(messages[0]!)).toBe(2 + 600 + 4 + 4 + 7 + CHAT_MESSAGE_OVERHEAD_BYTES);
    const total = messages.reduce((sum, message) => sum + chatMessageBytes(message), 0);
    /** The call's history after the three messages, under a limit. */
    const keptUnder = async (limitBytes: number) => {
      const { join, post, historyOf } = await setup(limitBytes);
      await join('c', participantDraft('sgin', { userId: 'user-é', name: 'Zoë' }));
      await join('c', guest('gst1'));
      for (const { id, text, senderId } of messages) await post(senderId, id, 100, text);
      return historyOf('c');
    };
    expect(await keptUnder(total)).toEqual(['m1', 'm2', 'm3']);
    expect(await keptUnder(total - 1)).toEqual(['m2', 'm3']);
  });

  it('drops the histories of emptied calls first, oldest first, then keeps the newer one while it fits', async () => {
    const { join, post, historyOf, parkTwoHistories } = await setup(5 * SIZE);
    await parkTwoHistories();
    await join('live', guest('pliv'));
    await post('pliv', 'liv1');
    await post('pliv', 'liv2');
    expect(await historyOf('new')).toEqual(['new1', 'new2']);
    expect(await historyOf('old')).toEqual([]);
    // `new` came back as a live call when it was looked at: its chat now began after `live`'s.
    await post('pliv', 'liv3');
    expect(await historyOf('live')).toEqual(['liv1', 'liv2', 'liv3']);
  });

  it('never holds more than the limit: parked chats go entirely before a live message goes', async () => {
    const { join, post, historyOf, parkTwoHistories } = await setup(5 * SIZE);
    await parkTwoHistories();
    await join('live', guest('pliv'));
    for (const id of ['liv1', 'liv2', 'liv3', 'liv4']) await post('pliv', id);
    expect(await historyOf('live')).toEqual(['liv1', 'liv2', 'liv3', 'liv4']);
    expect(await historyOf('old')).toEqual([]);
    expect(await historyOf('new')).toEqual([]);
  });

  it('then drops the oldest messages of live calls, starting with the call whose chat began first', async () => {
    const { join, post, historyOf } = await setup(4 * SIZE);
    await join('first', guest('pfst'));
    await join('second', guest('psnd'));
    for (const id of ['fst1', 'fst2']) await post('pfst', id);
    for (const id of ['snd1', 'snd2', 'snd3', 'snd4', 'snd5']) await post('psnd', id);
    expect(await historyOf('first')).toEqual([]);
    expect(await historyOf('second')).toEqual(['snd2', 'snd3', 'snd4', 'snd5']);
    // `first`'s chat was emptied: its next message begins it again, after `second`'s.
    await post('pfst', 'fst3');
    expect(await historyOf('second')).toEqual(['snd3', 'snd4', 'snd5']);
    expect(await historyOf('first')).toEqual(['fst3']);
  });

  it('gives the bytes back when the per-call cap drops a message and when the host ends the call', async () => {
    const { store, join, post, historyOf } = await setup(4 * SIZE);
    await join('capped', guest('pcap'));
    for (const id of ['cap1', 'cap2', 'cap3']) await post('pcap', id, 2);
    await join('ended', participantDraft('host', { userId: 'u-host', name: 'name' }));
    await post('host', 'end1');
    await store.endCall('host');
    await join('other', guest('poth'));
    for (const id of ['oth1', 'oth2']) await post('poth', id);
    expect(await historyOf('capped')).toEqual(['cap2', 'cap3']);
    expect(await historyOf('other')).toEqual(['oth1', 'oth2']);
  });

  it('does not bring back a parked history past its time, and counts it no more', async () => {
    const { clock, store, join, post, historyOf } = await setup(3 * SIZE);
    await join('gone', guest('pgon'));
    await post('pgon', 'gon1');
    await post('pgon', 'gon2');
    await store.leave('pgon');
    clock.advance(HISTORY_TTL_MS);
    expect(await historyOf('gone')).toEqual([]);
    await join('live', guest('pliv'));
    for (const id of ['liv1', 'liv2', 'liv3']) await post('pliv', id);
    expect(await historyOf('live')).toEqual(['liv1', 'liv2', 'liv3']);
  });
}
