import { Redis } from 'ioredis';
import { describeWithRedis, startRedisServer } from '../support/redis-server';
import { closeAll, connect, failed, idOf, next, ok, record, request, settle, type CallClient } from '../support/socket-client';
import { api, startTwoNodes, type ApiResponse, type TestServer, type TwoNodes } from '../support/test-server';

const COMMAND_TIMEOUT_MS = 500;
/** What a bounded answer may take beyond the command timeout on a loaded 2-core machine. */
const MARGIN_MS = 1000;
/** Every node heartbeats every 3 s: a loss of data is noticed by then, plus the heartbeat's own round trip. */
const RESET_NOTICED_MS = 3000 + COMMAND_TIMEOUT_MS + MARGIN_MS;

/** `promise`, or a failure naming `what` once `ms` have passed without an answer. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Polls `read` until `accept` holds, failing after `ms`. */
async function until<T>(ms: number, what: string, read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A Redis of its own (the test stops its process); the block's shared server goes unused.
describeWithRedis('two nodes when Redis loses its data or freezes', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let admin: Redis;
  let nodes: TwoNodes;
  let nodeA: TestServer;
  let nodeB: TestServer;
  const sockets: CallClient[] = [];
  const open = async (node: TestServer) => {
    const socket = await connect(node.url);
    sockets.push(socket);
    return socket;
  };
  const resume = () => process.kill(redis.pid, 'SIGCONT');

  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis(redis.server.port, redis.server.host);
    nodes = await startTwoNodes(redis.server, { REDIS_COMMAND_TIMEOUT: `${COMMAND_TIMEOUT_MS}ms` });
    ({ nodeA, nodeB } = nodes);
  });
  afterEach(() => {
    // A failing test never leaves Redis stopped for the next one.
    resume();
    closeAll(sockets.splice(0));
  });
  afterAll(async () => {
    await nodes?.close();
    admin?.disconnect();
    await redis?.stop();
  });

  it('tells everyone in a call when Redis lost its data (call-reset; a call-error for a client without acks), and they join again and talk', async () => {
    const [ann, bob, legacy] = [await open(nodeA), await open(nodeB), await open(nodeA)];
    const annJoin = ok(await request(ann, 'join-call', 'lost-room', { name: 'Ann' }));
    ok(await request(bob, 'join-call', 'lost-room', { name: 'Bob' }));
    const legacyJoined = next(bob, 'user-joined');
    legacy.emit('join-call', 'lost-room');
    await legacyJoined;
    const [seenAnn, seenBob, seenLegacy] = [record(ann), record(bob), record(legacy)];
    const legacyError = next(legacy, 'call-error');

    const lostAt = Date.now();
    await admin.flushall();
    const told = await within(RESET_NOTICED_MS, 'call-reset to all three', Promise.all([next(ann, 'call-reset'), next(bob, 'call-reset'), next(legacy, 'call-reset')]));
    const heardAfterMs = Date.now() - lostAt;
    expect(told).toEqual([[{ callId: 'lost-room' }], [{ callId: 'lost-room' }], [{ callId: 'lost-room' }]]);
    expect(await within(MARGIN_MS, 'call-error to the client without acks', legacyError)).toEqual([
      { code: 'CALL_RESET', message: 'The call was interrupted by a server problem; join again to continue', event: 'join-call' },
    ]);
    expect(seenAnn.get('call-error')).toBeUndefined();
    expect(seenBob.get('call-error')).toBeUndefined();

    // Out of the old call's room: Bob joining again is news to nobody until the others join again too.
    const bobAgain = ok(await request(bob, 'join-call', 'lost-room', { name: 'Bob' }));
    expect(bobAgain.participants.map((p) => p.name)).toEqual(['Bob']);
    await settle(ann, legacy);
    expect(seenAnn.get('user-joined')).toBeUndefined();
    expect(seenLegacy.get('user-joined')).toBeUndefined();

    // The resume token died with the data: the resume is a new join, which the web app's resume path handles.
    const annBack = next(bob, 'user-joined');
    const annAgain = ok(await request(ann, 'join-call', 'lost-room', { name: 'Ann', resume: annJoin.resumeToken }));
    expect(annAgain.resumed).toBe(false);
    expect(annAgain.participants.map((p) => p.name)).toEqual(['Bob', 'Ann']);
    expect((await annBack)[0]).toBe(idOf(ann));
    const legacyBack = next(bob, 'user-joined');
    legacy.emit('join-call', 'lost-room');
    expect((await legacyBack)[2].map((p) => p.id)).toEqual([idOf(bob), idOf(ann), idOf(legacy)]);

    const offer = next(bob, 'signal');
    ok(await request(ann, 'signal', idOf(bob), { sdp: 'offer after the reset' }));
    expect(await offer).toEqual([idOf(ann), { sdp: 'offer after the reset' }]);
    const chat = next(ann, 'chat-message');
    ok(await request(bob, 'chat-message', 'still talking'));
    expect((await chat)[0]).toBe('still talking');
    expect([seenAnn.violations, seenBob.violations, seenLegacy.violations]).toEqual([[], [], []]);
    expect(nodeA.logs.join('') + nodeB.logs.join('')).toMatch(/redis lost its data/);
    process.stdout.write(`call-reset heard ${heardAfterMs} ms after FLUSHALL\n`);
  });

  it('answers SERVICE_UNAVAILABLE and /ready 503 within the command timeout while Redis is frozen, and works again once it resumes', async () => {
    const [ann, bob] = [await open(nodeA), await open(nodeB)];
    ok(await request(ann, 'join-call', 'frozen-room'));
    ok(await request(bob, 'join-call', 'frozen-room'));
    const late = await open(nodeB);
    const bounded = COMMAND_TIMEOUT_MS + MARGIN_MS;

    process.kill(redis.pid, 'SIGSTOP');
    const timings: Record<string, number> = {};
    const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const started = Date.now();
      const result = await within(bounded, name, run());
      timings[name] = Date.now() - started;
      return result;
    };
    try {
      const [chat, signal, join, readyA, readyB] = await Promise.all([
        timed('chat-message', () => request(ann, 'chat-message', 'anyone?')),
        timed('signal', () => request(bob, 'signal', idOf(ann), { sdp: 'offer' })),
        timed('join-call', () => request(late, 'join-call', 'frozen-room')),
        timed('/ready A', () => api(nodeA.url, 'GET', '/ready')),
        timed('/ready B', () => api(nodeB.url, 'GET', '/ready')),
      ]);
      for (const answer of [chat, join]) expect(failed(answer).code).toBe('SERVICE_UNAVAILABLE');
      // A signal reads nothing from Redis (its node routes it by the call it knows): accepted for delivery, its
      // publish waits for Redis like any broadcast (docs/protocol.md, Signals across nodes).
      expect(signal).toEqual({ ok: true });
      for (const ready of [readyA, readyB]) expect(ready).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE', failing: ['redis'] } });
      expect((await timed('/health', () => api(nodeA.url, 'GET', '/health'))).status).toBe(200);
    } finally {
      resume();
    }

    for (const node of [nodeA, nodeB]) {
      await until(5000, `${node.url}/ready after SIGCONT`, () => api(node.url, 'GET', '/ready'), (res: ApiResponse) => res.status === 200);
    }
    const chat = next(bob, 'chat-message');
    ok(await request(ann, 'chat-message', 'back again'));
    expect((await chat)[0]).toBe('back again');
    expect(ok(await request(late, 'join-call', 'frozen-room')).participants.map((p) => p.id)).toEqual([idOf(ann), idOf(bob), idOf(late)]);
    process.stdout.write(`answers while Redis was frozen (ms): ${JSON.stringify(timings)}\n`);
  });
});
