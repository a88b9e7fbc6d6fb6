import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCallStore } from '../../src/adapters/persistence/redis/redis-call-store';
import { chatMessageBytes, GuestName, INITIAL_MEDIA, type ParticipantDraft } from '../../src/domain/call';
import { FakeClock } from '../support/fakes';
import { expectCode } from '../support/errors';
import { inCall } from '../support/in-call';
import { describeWithRedis } from '../support/redis-server';
import { person, meshMedia } from '../support/participants';

const HISTORY_TTL_MS = 60_000;
/** What the adapter adds to the history TTL for the real expiry of parked chat. */
const PARKED_EXPIRY_MARGIN_MS = 60_000;

const joinAs = (store: RedisCallStore, callId: string, participant: ParticipantDraft, capacity = 8) =>
  store.join({ callId, participant, naming: participant.userId === null ? GuestName.naming(participant.name) : null, media: meshMedia(capacity), ownerId: null, resumeToken: null, connectionId: participant.id }).then(inCall);

describeWithRedis('RedisCallStore on a real Redis', (server) => {
  const connections: Redis[] = [];
  let keyPrefix: string;
  let clock: FakeClock;
  const connect = async () => {
    const redis = new Redis(server().port, server().host);
    connections.push(redis);
    await redis.ping();
    return redis;
  };
  const open = async (nodeId = 'n1', livenessMs = 10_000) =>
    new RedisCallStore(await connect(), { keyPrefix, historyTtlMs: HISTORY_TTL_MS, codeHoldMs: HISTORY_TTL_MS, chatMemoryLimitBytes: 64 * 1024 * 1024, clock, nodeId, livenessMs });
  /** The keys under this test's prefix, a node's random instance suffix shown as `*`. */
  const keys = async (redis: Redis) =>
    (await redis.keys(`${keyPrefix}*`)).map((key) => key.slice(keyPrefix.length).replace(/^((?:alive|node|evicted):[^/]+)\/[\w-]+$/, '$1/*')).sort();

  beforeEach(() => {
    keyPrefix = `redis-test:${randomUUID()}:`;
    clock = new FakeClock();
  });
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((redis) => redis.quit()));
  });

  /** The commands clients (not scripts) sent while `run` ran, as Redis's MONITOR saw them between two markers. */
  const commandsDuring = async (run: () => Promise<unknown>): Promise<string[]> => {
    const admin = await connect();
    const monitor = await admin.monitor();
    const [start, end] = [`start-${randomUUID()}`, `end-${randomUUID()}`];
    const seen: string[] = [];
    let recording = false;
    const finished = new Promise<void>((resolve) => {
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        const [name = '', marker] = args;
        if (name.toLowerCase() === 'echo' && marker === start) recording = true;
        else if (name.toLowerCase() === 'echo' && marker === end) resolve();
        else if (recording && source !== 'lua') seen.push(name.toLowerCase());
      });
    });
    await admin.echo(start);
    await run();
    await admin.echo(end);
    await finished;
    monitor.disconnect();
    return seen;
  };

  it('answers each method with exactly one command: a script (EVAL the first time on a connection, then EVALSHA), routeSignal one MGET', async () => {
    const store = await open();
    const counted = {
      firstJoin: await commandsDuring(() => joinAs(store, 'c1', person('a'))),
      join: await commandsDuring(() => joinAs(store, 'c1', person('b'))),
      joinMovingCalls: await commandsDuring(() => joinAs(store, 'c2', person('b'))),
      routeSignal: await commandsDuring(() => store.routeSignal('a', 'b')),
      firstPostChat: await commandsDuring(() => store.postChat('a', { id: 'm1', text: 'hi', naming: null }, 100)),
      postChat: await commandsDuring(() => store.postChat('a', { id: 'm2', text: 'hi', naming: null }, 100)),
      firstSetMedia: await commandsDuring(() => store.setMedia('a', { audio: true })),
      setMedia: await commandsDuring(() => store.setMedia('a', { video: true })),
      firstLeave: await commandsDuring(() => store.leave('b')),
      lastLeave: await commandsDuring(() => store.leave('a')),
      firstHeartbeat: await commandsDuring(() => store.heartbeat()),
      heartbeat: await commandsDuring(() => store.heartbeat()),
    };
    expect(counted).toEqual({
      firstJoin: ['eval'],
      join: ['evalsha'],
      joinMovingCalls: ['evalsha'],
      routeSignal: ['mget'],
      firstPostChat: ['eval'],
      postChat: ['evalsha'],
      firstSetMedia: ['eval'],
      setMedia: ['evalsha'],
      firstLeave: ['eval'],
      lastLeave: ['evalsha'],
      firstHeartbeat: ['eval'],
      heartbeat: ['evalsha'],
    });
  });

  it('keeps only the documented keys: those of a live call, then its parked chat with a real expiry, then none', async () => {
    const store = await open();
    const redis = await connect();
    const counted = ['chat-bytes', 'chat-order', 'chat-sizes'];
    await joinAs(store, 'c1', person('a'));
    await joinAs(store, 'c1', person('b'));
    const posted = await store.postChat('a', { id: 'm1', text: 'hi', naming: null }, 100);
    expect(await keys(redis)).toEqual(['alive:n1/*', 'call:c1', ...counted, 'chat:c1', 'chats-live', 'member:a', 'member:b', 'node:n1/*', 'nodes', 'people:c1', 'roster:c1']);
    expect(await redis.pttl(`${keyPrefix}chat:c1`)).toBe(-1);
    expect(Number(await redis.get(`${keyPrefix}chat-bytes`))).toBe(posted && chatMessageBytes(posted.message));

    await store.leave('a');
    await store.leave('b');
    expect(await keys(redis)).toEqual(['alive:n1/*', ...counted, 'chat-until:c1', 'chat:c1', 'chats-parked', 'held:c1', 'nodes']);
    expect(await redis.pttl(`${keyPrefix}held:c1`)).toBeGreaterThan(HISTORY_TTL_MS);
    for (const key of ['chat:c1', 'chat-until:c1']) {
      const pttl = await redis.pttl(`${keyPrefix}${key}`);
      expect(pttl).toBeGreaterThan(HISTORY_TTL_MS);
      expect(pttl).toBeLessThanOrEqual(HISTORY_TTL_MS + PARKED_EXPIRY_MARGIN_MS);
    }
    expect(await redis.get(`${keyPrefix}chat-until:c1`)).toBe(String(clock.now().getTime() + HISTORY_TTL_MS));

    expect((await joinAs(store, 'c1', person('c'))).history.map((m) => m.id)).toEqual(['m1']);
    expect(await keys(redis)).toEqual(['alive:n1/*', 'call:c1', ...counted, 'chat:c1', 'chats-live', 'member:c', 'node:n1/*', 'nodes', 'people:c1', 'roster:c1']);
    expect(await redis.pttl(`${keyPrefix}chat:c1`)).toBe(-1);

    await joinAs(store, 'quiet', person('d'));
    await store.leave('d');
    await store.leave('c');
    expect(await keys(redis)).toEqual(['alive:n1/*', ...counted, 'chat-until:c1', 'chat:c1', 'chats-parked', 'held:c1', 'held:quiet', 'nodes']);
    expect(await redis.pttl((await redis.keys(`${keyPrefix}alive:*`))[0]!)).toBeGreaterThan(0);

    // Past its time, the periodic grace sweep drops the parked chat and gives its bytes back.
    clock.advance(HISTORY_TTL_MS);
    await store.expireGrace();
    expect(await keys(redis)).toEqual(['alive:n1/*', 'chat-bytes', 'chat-order', 'held:c1', 'held:quiet', 'nodes']);
    expect(await redis.get(`${keyPrefix}chat-bytes`)).toBe('0');
  });

  it('trims and evicts chat stored before chat was counted (a rolling upgrade) without failing', async () => {
    const store = await open();
    const redis = await connect();
    await joinAs(store, 'c1', person('a'));
    const legacy = { id: 'old', text: 'from before', sender: 'name-a', senderId: 'a', userId: null, ts: clock.now().toISOString() };
    await redis.rpush(`${keyPrefix}chat:c1`, JSON.stringify(legacy));
    const posted = await store.postChat('a', { id: 'new', text: 'hi', naming: null }, 1);
    expect(posted?.message.id).toBe('new');
    expect((await joinAs(store, 'c1', person('b'))).history.map((m) => m.id)).toEqual(['new']);
    expect(Number(await redis.get(`${keyPrefix}chat-bytes`))).toBe(posted && chatMessageBytes(posted.message));
  });

  it('keeps a call on the SFU in the documented keys: rooms-on:<server> while placed, none once it ends', async () => {
    const store = await open();
    const redis = await connect();
    const sfu = { ...meshMedia(8), mode: 'sfu' as const, sfuAvailable: true };
    await store.join({ callId: 'c1', participant: person('a'), naming: null, media: sfu, ownerId: null, resumeToken: null, connectionId: 'a' });
    expect((await store.placeRoom('a', { servers: ['janus-1'], key: 'room-key' }))?.room).toEqual({ server: 'janus-1', key: 'room-key' });
    expect((await keys(redis)).filter((key) => key.startsWith('rooms-on:'))).toEqual(['rooms-on:janus-1']);
    expect(await redis.hmget(`${keyPrefix}call:c1`, 'mode', 'path', 'server', 'room')).toEqual(['sfu', 'sfu', 'janus-1', 'room-key']);
    expect((await store.leave('a'))?.room).toEqual({ server: 'janus-1', key: 'room-key' });
    expect((await keys(redis)).filter((key) => key.startsWith('rooms-on:'))).toEqual([]);
  });

  it('takes a participant stored before meshOnly existed (a rolling upgrade) for mesh-only: its call stays a mesh', async () => {
    const store = await open();
    const redis = await connect();
    const auto = { ...meshMedia(8), mode: 'auto' as const, sfuAvailable: true, sfuFrom: 2 };
    await store.join({ callId: 'c1', participant: person('old'), naming: null, media: { ...auto, sfuFrom: 3 }, ownerId: null, resumeToken: null, connectionId: 'old' });
    const stored = JSON.parse((await redis.hget(`${keyPrefix}people:c1`, 'old')) ?? '{}') as Record<string, unknown>;
    delete stored.meshOnly;
    await redis.hset(`${keyPrefix}people:c1`, 'old', JSON.stringify(stored));
    const joined = inCall(await store.join({ callId: 'c1', participant: person('new'), naming: null, media: auto, ownerId: null, resumeToken: null, connectionId: 'new' }));
    expect(joined.media).toEqual({ path: 'mesh', moved: false });
    expect(joined.participants.find((p) => p.id === 'old')?.meshOnly).toBe(true);
  });

  it('admits exactly 5 of 20 concurrent joins from 4 instances to a call of capacity 5', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => open()));
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => joinAs(stores[i % 4]!, 'c1', person(`p${i}`), 5)));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(5);
    const refusals = attempts.flatMap((a): unknown[] => (a.status === 'rejected' ? [a.reason] : []));
    expect(refusals).toHaveLength(15);
    for (const reason of refusals) expect(reason).toMatchObject({ code: 'ROOM_FULL' });
    const redis = await connect();
    expect(await redis.llen(`${keyPrefix}roster:c1`)).toBe(5);
    expect(await redis.hlen(`${keyPrefix}people:c1`)).toBe(5);
    expect((await keys(redis)).filter((key) => key.startsWith('member:'))).toHaveLength(5);
  });

  it('keeps names, texts, ids and join times exact through the scripts, and calls whose ids look like keys apart', async () => {
    const store = await open();
    const odd = 'Zoë "Z" \\ / 😀 \u2028 <b>&</b> 12';
    const guest = { ...person('id "1" / ☃', null, odd), unnamed: true };
    const stored = { ...guest, joinedAt: clock.now(), connected: true };
    const joined = await joinAs(store, 'chat:c1', guest);
    expect(joined.self).toEqual(stored);
    const redis = await connect();
    expect(JSON.parse((await redis.hget(`${keyPrefix}people:chat:c1`, guest.id)) ?? 'null')).toMatchObject({ joinedAt: clock.now().toISOString() });
    clock.advance(1000);
    expect(await store.setMedia(guest.id, { hand: true })).toEqual({ callId: 'chat:c1', participant: { ...stored, media: { ...INITIAL_MEDIA, hand: true } } });
    const posted = await store.postChat(guest.id, { id: 'm "1"', text: odd, naming: GuestName.naming(odd) }, 100);
    expect(posted?.message).toMatchObject({ id: 'm "1"', text: odd, sender: odd, senderId: guest.id, userId: null });
    clock.advance(1000);
    expect(await store.leave(guest.id)).toMatchObject({
      participant: { ...stored, unnamed: false, media: { ...INITIAL_MEDIA, hand: true } },
      at: clock.now(),
    });

    await joinAs(store, 'chat:c1', guest);
    const elsewhere = await joinAs(store, 'c1', person('other'));
    expect(elsewhere.participants.map((p) => p.id)).toEqual(['other']);
    expect(elsewhere.history).toEqual([]);
    expect(await store.routeSignal(guest.id, 'other')).toBe('not-in-same-call');
  });

  it('keeps a waiter in the documented lobby keys, never in member:, and drops them when it stops waiting', async () => {
    const store = await open();
    const redis = await connect();
    const knock = (participant: ParticipantDraft) =>
      store.join({ callId: 'm1', participant, naming: null, media: meshMedia(8), ownerId: 'u-owner', lobbyByDefault: true, resumeToken: null, connectionId: participant.id });
    await knock(person('w'));
    expect(await keys(redis)).toEqual(['alive:n1/*', 'lobby:m1', 'node:n1/*', 'nodes', 'waiters:m1', 'waiting:w']);
    await store.leave('w');
    expect(await keys(redis)).toEqual(['alive:n1/*', 'nodes']);

    inCall(await knock(person('o', 'u-owner')));
    await knock(person('a'));
    await knock(person('d'));
    await store.admit({ byId: 'o', targetId: 'a', media: meshMedia(8) });
    await store.deny({ byId: 'o', targetId: 'd' });
    expect((await keys(redis)).filter((key) => /^(lobby|waiters|waiting|member):/.test(key))).toEqual(['member:a', 'member:o']);
    expect(await redis.smembers((await redis.keys(`${keyPrefix}node:*`))[0]!)).toEqual(expect.arrayContaining(['a', 'o']));
    expect(await redis.scard((await redis.keys(`${keyPrefix}node:*`))[0]!)).toBe(2);
  });

  it('answers reset once on every node after Redis lost its data, but not after a silence that only expired the alive keys', async () => {
    const redis = await connect();
    const [a, b] = [await open('a', 300), await open('b', 300)];
    expect([await a.heartbeat(), await b.heartbeat()]).toEqual(['alive', 'alive']);
    await joinAs(a, 'c1', person('p'));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await keys(redis)).filter((key) => key.startsWith('alive:'))).toEqual([]);
    expect([await a.heartbeat(), await b.heartbeat()]).toEqual(['alive', 'alive']);
    expect(await redis.pttl(`${keyPrefix}epoch`)).toBe(-1);

    await redis.del(...(await redis.keys(`${keyPrefix}*`)));
    expect(await a.routeSignal('p', 'p')).toBe('sender-not-in-call');
    expect(await a.heartbeat()).toBe('reset');
    expect(await a.heartbeat()).toBe('alive');
    expect(await b.heartbeat()).toBe('reset');
    expect(await b.heartbeat()).toBe('alive');
    // A node that first meets this Redis after the loss has nothing to be told.
    expect(await (await open('c')).heartbeat()).toBe('alive');
  });

  describe('dead nodes', () => {
    const SHORT_LIVENESS_MS = 300;
    const silence = () => new Promise((resolve) => setTimeout(resolve, SHORT_LIVENESS_MS + 100));

    it('takes a silent node’s people out of their calls once, at the time it finds them, and tells that node at its next heartbeat', async () => {
      const [dying, surviving] = [await open('dying', SHORT_LIVENESS_MS), await open('surviving', SHORT_LIVENESS_MS)];
      await dying.heartbeat();
      await joinAs(dying, 'shared', person('a1', 'u1'));
      await joinAs(dying, 'alone', person('a2'));
      await joinAs(surviving, 'shared', person('b1'));
      expect(await surviving.evictDeadNodes()).toEqual([]);

      const joinedAt = clock.now();
      await silence();
      clock.advance(5000);
      expect(await surviving.heartbeat()).toBe('alive');
      const evictions = await surviving.evictDeadNodes();
      const byId = new Map(evictions.map((eviction) => [eviction.participantId, eviction.left]));
      expect([...byId.keys()].sort()).toEqual(['a1', 'a2']);
      expect(byId.get('a1')).toEqual({
        callId: 'shared',
        participant: { ...person('a1', 'u1'), role: 'host', joinedAt, connected: true },
        at: clock.now(),
        remaining: [{ ...person('b1'), joinedAt, connected: true }],
        ended: null,
        roleChanges: [],
        room: null,
      });
      expect(byId.get('a2')).toMatchObject({ callId: 'alone', at: clock.now(), remaining: [], ended: { callId: 'alone', endedAt: clock.now(), peakSize: 1 } });
      expect(await surviving.evictDeadNodes()).toEqual([]);
      expect(await surviving.routeSignal('b1', 'a1')).toBe('not-in-same-call');
      expect(await surviving.routeSignal('a1', 'b1')).toBe('sender-not-in-call');

      expect(await dying.heartbeat()).toBe('evicted');
      expect(await dying.heartbeat()).toBe('alive');
      const redis = await connect();
      expect((await keys(redis)).filter((key) => /^(node|alive|evicted):/.test(key))).toEqual(['alive:dying/*', 'alive:surviving/*', 'node:surviving/*']);
    });

    it('takes a silent node’s waiters off their lobbies', async () => {
      const [dying, surviving] = [await open('dying', SHORT_LIVENESS_MS), await open('surviving', SHORT_LIVENESS_MS)];
      await surviving.join({ callId: 'm1', participant: person('o', 'u-owner'), naming: null, media: meshMedia(8), ownerId: 'u-owner', lobbyByDefault: true, resumeToken: null, connectionId: 'o' });
      await dying.join({ callId: 'm1', participant: person('w'), naming: null, media: meshMedia(8), ownerId: 'u-owner', lobbyByDefault: true, resumeToken: null, connectionId: 'w' });
      await silence();
      await surviving.heartbeat();
      expect(await surviving.evictDeadNodes()).toEqual([]);
      await expectCode(surviving.admit({ byId: 'o', targetId: 'w', media: meshMedia(8) }), 'NOT_FOUND');
      const redis = await connect();
      expect((await keys(redis)).filter((key) => /^(lobby|waiters|waiting):/.test(key))).toEqual([]);
    });

    it('does not take a node that joined people before its first heartbeat for dead', async () => {
      const [fresh, other] = [await open('fresh', SHORT_LIVENESS_MS), await open('other', SHORT_LIVENESS_MS)];
      await joinAs(fresh, 'c1', person('a'));
      expect(await other.evictDeadNodes()).toEqual([]);
      expect(await fresh.routeSignal('a', 'a')).toBe('not-in-same-call');
    });

    it('sweeps under one lock: while another node holds it, a sweep finds nothing; two racing sweeps evict each person once', async () => {
      const dying = await open('dying', SHORT_LIVENESS_MS);
      for (let i = 0; i < 30; i++) await joinAs(dying, `c${i % 3}`, person(`p${i}`), 100);
      await silence();
      const redis = await connect();
      await redis.set(`${keyPrefix}sweep-lock`, 'someone else', 'PX', 5000);
      const sweepers = [await open('s1'), await open('s2')];
      expect(await sweepers[0]!.evictDeadNodes()).toEqual([]);
      await redis.del(`${keyPrefix}sweep-lock`);

      const results = await Promise.all(sweepers.map((sweeper) => sweeper.evictDeadNodes()));
      const evicted = results.flat().map((eviction) => eviction.participantId).sort();
      expect(evicted).toEqual(Array.from({ length: 30 }, (_, i) => `p${i}`).sort());
      expect(await redis.get(`${keyPrefix}sweep-lock`)).toBeNull();
      expect((await keys(redis)).filter((key) => /^(member|roster|people|call):/.test(key))).toEqual([]);
    });
  });
});
