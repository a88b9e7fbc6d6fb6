import type { CallStore, MediaFacts } from '../../src/application/ports/call-store';
import { GuestName, type ParticipantDraft } from '../../src/domain/call';
import { mediaEntry, type MediaMode } from '../../src/domain/media-path';
import { expectCode } from '../support/errors';
import { heldBack, inCall } from '../support/in-call';
import { FakeClock } from '../support/fakes';
import { participantDraft, person } from '../support/participants';
import { CONTRACT_CHAT_MEMORY_LIMIT, CONTRACT_CODE_HOLD_MS, CONTRACT_HISTORY_TTL_MS, type ContractStoreOptions } from './call-store.contract';

const media = (change: Partial<MediaFacts> = {}): MediaFacts => ({ mode: 'auto', sfuAvailable: true, sfuFrom: 3, capacity: { mesh: 4, sfu: 6 }, ...change });

/**
 * Every CallStore adapter passes this unchanged: the media path each join and admission takes (mediaEntry in
 * src/domain/media-path.ts, run through the store), and where calls on the SFU have their room.
 */
export function callMediaContract(open: (options: ContractStoreOptions) => Promise<CallStore>, close: (store: CallStore) => Promise<void> = async () => {}): void {
  describe('media paths and rooms', () => mediaContract(open, close));
}

function mediaContract(open: (options: ContractStoreOptions) => Promise<CallStore>, close: (store: CallStore) => Promise<void>): void {
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

  const enter = (callId: string, participant: ParticipantDraft, facts: MediaFacts = media(), on: CallStore = store, lobbyByDefault = false, ownerId: string | null = null) =>
    on.join({
      callId,
      participant,
      naming: participant.userId === null ? GuestName.naming(participant.name) : null,
      media: facts,
      ownerId,
      lobbyByDefault,
      resumeToken: null,
      connectionId: participant.id,
    });
  const join = async (callId: string, participant: ParticipantDraft, facts?: MediaFacts, on?: CallStore) => inCall(await enter(callId, participant, facts, on));
  const meshOnly = (id: string) => participantDraft(id, { meshOnly: true });
  /** Puts a call on the SFU (mode sfu) with `size` participants c-0…, placed on `servers`' least loaded. */
  const sfuCall = async (callId: string, size: number, servers: string[] = ['s1', 's2']) => {
    for (let i = 0; i < size; i += 1) await join(callId, person(`${callId}-${i}`), media({ mode: 'sfu' }));
    return store.placeRoom(`${callId}-0`, { servers, key: `key-${callId}` });
  };

  describe('the path a join takes, as mediaEntry states it', () => {
    interface Case {
      what: string;
      mode: MediaMode;
      sfuAvailable: boolean;
      /** Who is in before the joiner: a mesh-only one is marked with `m`. */
      before: ('p' | 'm')[];
      joinerMeshOnly: boolean;
    }
    const cases: Case[] = [];
    for (const mode of ['auto', 'mesh', 'sfu'] as const) {
      for (const sfuAvailable of [true, false]) {
        for (const before of [[], ['p'], ['p', 'p'], ['p', 'm'], ['p', 'p', 'p', 'p']] as ('p' | 'm')[][]) {
          for (const joinerMeshOnly of [false, true]) cases.push({ what: `${mode}, server ${sfuAvailable ? 'up' : 'none'}, [${before.join('')}] + ${joinerMeshOnly ? 'mesh-only' : 'capable'}`, mode, sfuAvailable, before, joinerMeshOnly });
        }
      }
    }
    it.each(cases)('$what', async (c) => {
      const facts = media({ mode: c.mode, sfuAvailable: c.sfuAvailable });
      let current: 'mesh' | 'sfu' | null = null;
      let meshOnlyPresent = false;
      // The call is built up through the store itself; each earlier join is checked against the rule as well.
      for (const [i, kind] of c.before.entries()) {
        const id = `p${i}`;
        const expected = mediaEntry({ ...facts, current, size: i + 1, alreadyIn: false, meshOnlyPresent, joinerMeshOnly: kind === 'm' });
        const outcome = enter('c', kind === 'm' ? meshOnly(id) : person(id), facts);
        if ('refused' in expected) {
          await expectCode(outcome, 'UNSUPPORTED_CLIENT');
          continue;
        }
        const joined = inCall(await outcome);
        expect(joined.media.path).toBe(expected.path);
        current = expected.path;
        meshOnlyPresent ||= kind === 'm';
      }
      const size = await store.countParticipants('c');
      const expected = mediaEntry({ ...facts, current, size: size + 1, alreadyIn: false, meshOnlyPresent, joinerMeshOnly: c.joinerMeshOnly });
      const outcome = enter('c', c.joinerMeshOnly ? meshOnly('j') : person('j'), facts);
      if ('refused' in expected) {
        await expectCode(outcome, 'UNSUPPORTED_CLIENT');
        expect(await store.countParticipants('c')).toBe(size);
        expect(await store.mediaOf('j')).toBeNull();
      } else if (size >= expected.capacity) {
        await expectCode(outcome, 'ROOM_FULL');
      } else {
        const joined = inCall(await outcome);
        expect(joined.media).toEqual({ path: expected.path, moved: current === 'mesh' && expected.path === 'sfu' });
        expect((await store.mediaOf('j'))?.path).toBe(expected.path);
      }
    });
  });

  it('moves a mesh onto the SFU with the SFU_FROM-th join, says so once, and keeps it there down to one', async () => {
    expect((await join('c', person('a'))).media).toEqual({ path: 'mesh', moved: false });
    expect((await join('c', person('b'))).media).toEqual({ path: 'mesh', moved: false });
    expect((await join('c', person('c'))).media).toEqual({ path: 'sfu', moved: true });
    expect((await join('c', person('d'))).media).toEqual({ path: 'sfu', moved: false });
    for (const id of ['b', 'c', 'd']) await store.leave(id);
    expect(await store.mediaOf('a')).toMatchObject({ callId: 'c', path: 'sfu', room: null });
  });

  it('a call on the SFU takes MAX_SFU_PARTICIPANTS, a mesh MAX_PARTICIPANTS', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await join('big', person(id));
    await expectCode(enter('big', person('g')), 'ROOM_FULL');
    const meshFacts = media({ sfuAvailable: false });
    for (const id of ['h', 'i', 'j', 'k']) await join('small', person(id), meshFacts);
    await expectCode(enter('small', person('l'), meshFacts), 'ROOM_FULL');
  });

  it('a call keeps the mode it started with', async () => {
    await join('c', person('a'), media({ mode: 'mesh' }));
    for (const id of ['b', 'c', 'd']) expect((await join('c', person(id), media({ mode: 'sfu' }))).media.path).toBe('mesh');
  });

  it('an admission takes the path as a join would, and refuses a mesh-only waiter of a call on the SFU', async () => {
    const lobby = (participant: ParticipantDraft) => enter('m', participant, media(), store, true, 'u-o');
    inCall(await lobby(person('o', 'u-o')));
    heldBack(await lobby(person('w1')));
    heldBack(await lobby(person('w2')));
    heldBack(await lobby(meshOnly('w3')));
    const facts = { sfuAvailable: true, sfuFrom: 3, capacity: { mesh: 4, sfu: 6 } };
    expect((await store.admit({ byId: 'o', targetId: 'w1', media: facts })).media).toEqual({ path: 'mesh', moved: false });
    expect((await store.admit({ byId: 'o', targetId: 'w2', media: facts })).media).toEqual({ path: 'sfu', moved: true });
    await expectCode(store.admit({ byId: 'o', targetId: 'w3', media: facts }), 'UNSUPPORTED_CLIENT');
    expect(await store.countParticipants('m')).toBe(3);
  });

  it('a resume tells the path', async () => {
    const on = await another();
    inCall(await on.join({ callId: 'c', participant: person('a'), naming: null, media: media({ mode: 'sfu' }), ownerId: null, resumeToken: 't', connectionId: 'a' }));
    expect((await on.resume({ token: 't', callId: 'c', connectionId: 'a2', participantId: 'a2', nextToken: 't2' }))?.path).toBe('sfu');
  });

  describe('rooms', () => {
    it('answers null for someone in no call, and no room for a mesh', async () => {
      expect(await store.placeRoom('x', { servers: ['s1'], key: 'k' })).toBeNull();
      expect(await store.mediaOf('x')).toBeNull();
      await join('c', person('a'));
      expect(await store.placeRoom('a', { servers: ['s1'], key: 'k' })).toMatchObject({ callId: 'c', path: 'mesh', room: null });
    });

    it('places a call once, whoever asks and from whichever node, with the first key', async () => {
      const other = await another();
      await join('c', person('a'), media({ mode: 'sfu' }));
      await join('c', person('b'), media({ mode: 'sfu' }), other);
      const [first, second] = await Promise.all([
        store.placeRoom('a', { servers: ['s1', 's2'], key: 'key-a' }),
        other.placeRoom('b', { servers: ['s2', 's1'], key: 'key-b' }),
      ]);
      expect(first?.room).not.toBeNull();
      expect(second?.room).toEqual(first?.room);
      expect(await store.placeRoom('b', { servers: ['s3'], key: 'key-c' })).toMatchObject({ path: 'sfu', room: first?.room });
      expect((await other.mediaOf('a'))?.room).toEqual(first?.room);
    });

    it('places each call on the server holding the fewest rooms, the first of equals, and an ended call no longer counts', async () => {
      expect((await sfuCall('c1', 1))?.room).toEqual({ server: 's1', key: 'key-c1' });
      expect((await sfuCall('c2', 1))?.room).toEqual({ server: 's2', key: 'key-c2' });
      expect((await sfuCall('c3', 1))?.room).toEqual({ server: 's1', key: 'key-c3' });
      expect((await sfuCall('c4', 1, ['s2', 's3']))?.room?.server).toBe('s3');
      await store.leave('c1-0');
      await store.leave('c3-0');
      expect((await sfuCall('c5', 1))?.room?.server).toBe('s1');
      expect((await sfuCall('c6', 1, []))?.room).toBeNull();
    });

    it('tells the room with a leave, and releases it with the call: the last leave, an end or a kick that empties it', async () => {
      const placed = await sfuCall('c', 2);
      const room = placed?.room;
      expect(room).toEqual({ server: 's1', key: 'key-c' });
      const first = await store.leave('c-1');
      expect(first).toMatchObject({ room, ended: null });
      const last = await store.leave('c-0');
      expect(last?.room).toEqual(room);
      expect(last?.ended).not.toBeNull();
      expect(await store.loseServer({ server: 's1', sfuLeft: true, meshCapacity: 4 })).toEqual([]);

      await join('e', person('h', 'u-h'), media({ mode: 'sfu' }));
      await join('e', person('m'), media({ mode: 'sfu' }));
      const placedE = await store.placeRoom('m', { servers: ['s1'], key: 'key-e' });
      expect((await store.kick({ byId: 'h', targetId: 'm', ban: false })).room).toEqual(placedE?.room);
      expect((await store.endCall('h')).room).toEqual({ server: 's1', key: 'key-e' });
      expect(await store.loseServer({ server: 's1', sfuLeft: true, meshCapacity: 4 })).toEqual([]);
    });

    it('tells a mute the room of its call', async () => {
      await join('e', person('h', 'u-h'), media({ mode: 'sfu' }));
      await join('e', person('m'), media({ mode: 'sfu' }));
      const placed = await store.placeRoom('m', { servers: ['s1'], key: 'key-e' });
      expect(await store.mute({ byId: 'h', targetId: 'm', kind: 'audio', force: true })).toMatchObject({ callId: 'e', path: 'sfu', room: placed?.room });
    });

    it('takes the calls of a lost server off it: placed again when another is left, else a mesh if small enough, else stranded', async () => {
      await sfuCall('a', 2, ['s1']);
      await sfuCall('b', 5, ['s1']);
      await sfuCall('keep', 1, ['s2']);
      const displaced = await store.loseServer({ server: 's1', sfuLeft: false, meshCapacity: 4 });
      expect(displaced.sort((x, y) => x.callId.localeCompare(y.callId))).toEqual([
        { callId: 'a', path: 'mesh', stranded: false },
        { callId: 'b', path: 'sfu', stranded: true },
      ]);
      expect(await store.mediaOf('a-0')).toMatchObject({ path: 'mesh', room: null });
      expect(await store.mediaOf('b-0')).toMatchObject({ path: 'sfu', room: null });
      expect((await store.mediaOf('keep-0'))?.room).toEqual({ server: 's2', key: 'key-keep' });
      expect(await store.loseServer({ server: 's1', sfuLeft: false, meshCapacity: 4 })).toEqual([]);
      // Placed again, on what is left; s1 counts nothing any more.
      expect((await store.placeRoom('b-1', { servers: ['s1', 's2'], key: 'again' }))?.room).toEqual({ server: 's1', key: 'again' });
      expect(await store.loseServer({ server: 's1', sfuLeft: true, meshCapacity: 4 })).toEqual([{ callId: 'b', path: 'sfu', stranded: false }]);
      expect(await store.mediaOf('b-0')).toMatchObject({ path: 'sfu', room: null });
    });
  });
}
