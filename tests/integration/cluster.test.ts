import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { spawned, startMain } from '../support/main-process';
import { describeWithRedis, freePort, startRedisServer } from '../support/redis-server';
import { closeAll, connect, failed, idOf, next, ok, record, request, settle, type CallClient } from '../support/socket-client';
import { api, attendanceBody, bodyAs, loginBody, startTestServer, startTwoNodes, type TestServer, type TwoNodes } from '../support/test-server';

describeWithRedis('two nodes on one Redis act as one service', (redis) => {
  let nodes: TwoNodes;
  let nodeA: TestServer;
  let nodeB: TestServer;
  const sockets: CallClient[] = [];
  const open = async (node: TestServer, auth: { token?: unknown } = {}) => {
    const socket = await connect(node.url, auth);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    nodes = await startTwoNodes(redis(), { MAX_PARTICIPANTS: '3', LOGIN_MAX_FAILURES: '3' });
    ({ nodeA, nodeB } = nodes);
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => nodes?.close());

  it('meets people on different nodes in one call: rosters, signals, chat, history for a late joiner, media, leave', async () => {
    const [ann, bob] = [await open(nodeA), await open(nodeB)];
    const [seenAnn, seenBob] = [record(ann), record(bob)];
    ok(await request(ann, 'join-call', 'http://meet/x-room', { name: 'Ann' }));
    const bobJoined = ok(await request(bob, 'join-call', 'http://meet/x-room', { name: 'Bob' }));
    expect(bobJoined.participants.map((p) => p.name)).toEqual(['Ann', 'Bob']);

    const offer = next(bob, 'signal');
    expect(await request(ann, 'signal', idOf(bob), { sdp: 'offer' })).toEqual({ ok: true });
    expect(await offer).toEqual([idOf(ann), { sdp: 'offer' }]);
    // Each crosses Redis to the other node: wait for it to arrive, then for anything more to land before counting.
    const [chatReached, mediaReached] = [next(ann, 'chat-message'), next(bob, 'media-state')];
    ok(await request(bob, 'chat-message', 'hello across nodes'));
    ok(await request(ann, 'media-state', { audio: true }));
    await Promise.all([chatReached, mediaReached]);
    await settle(ann, bob);
    expect(seenAnn.get('chat-message')?.map(([data, sender]) => [data, sender])).toEqual([['hello across nodes', 'Bob']]);
    expect(seenBob.get('media-state')).toEqual([[idOf(ann), { audio: true, video: false, screen: false, hand: false }]]);

    const cy = await open(nodeA);
    const late = ok(await request(cy, 'join-call', 'http://meet/x-room', { name: 'Cy' }));
    expect(late.history.map((m) => m.data)).toEqual(['hello across nodes']);
    expect(late.participants.find((p) => p.name === 'Ann')?.media.audio).toBe(true);

    const annId = idOf(ann);
    const left = next(bob, 'user-left');
    ann.close();
    expect(await left).toEqual([annId]);
    expect(seenBob.violations).toEqual([]);
  });

  it('holds the same-call rule and the capacity across nodes', async () => {
    const members = [await open(nodeA), await open(nodeB), await open(nodeA)];
    for (const socket of members) ok(await request(socket, 'join-call', 'full-room'));
    const late = await open(nodeB);
    expect(failed(await request(late, 'join-call', 'full-room')).code).toBe('ROOM_FULL');
    ok(await request(late, 'join-call', 'other-room'));
    // members[1] is on late's node: refused there. members[0] is on the other node: accepted, dropped there
    // (tests/integration/cluster-signals.test.ts).
    expect(failed(await request(late, 'signal', idOf(members[1]!), 'psst')).code).toBe('NOT_IN_SAME_CALL');
  });

  it('counts login failures of both nodes together', async () => {
    await api(nodeA.url, 'POST', '/api/v1/users/register', { json: { name: 'Dee', username: 'dee', password: 'password123' } });
    const wrong = { json: { username: 'dee', password: 'wrong password' } };
    const statuses = [];
    for (const node of [nodeA, nodeB, nodeA, nodeB]) statuses.push((await api(node.url, 'POST', '/api/v1/users/login', wrong)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('refuses a logged-out token on the other node and ends its sockets on both nodes', async () => {
    await api(nodeA.url, 'POST', '/api/v1/users/register', { json: { name: 'Eve', username: 'eve', password: 'password123' } });
    const { token } = bodyAs(await api(nodeB.url, 'POST', '/api/v1/users/login', { json: { username: 'eve', password: 'password123' } }), loginBody);
    const [onA, onB] = [await open(nodeA, { token }), await open(nodeB, { token })];
    const ended = Promise.all([next(onA, 'session-ended'), next(onB, 'session-ended')]);
    expect((await api(nodeA.url, 'POST', '/api/v1/users/logout', { token })).status).toBe(204);
    expect(await ended).toEqual([[{ reason: 'logout' }], [{ reason: 'logout' }]]);
    expect((await api(nodeB.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
  });

  it('reports Redis in /ready', async () => {
    expect(await api(nodeB.url, 'GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });
});

// Starts Redis servers of its own (it stops and restarts one); the block's shared server goes unused.
describeWithRedis('a node when Redis goes away and comes back', () => {
  it('answers SERVICE_UNAVAILABLE, keeps HTTP up, reports Redis in /ready, and recovers by itself', async () => {
    const redis = await startRedisServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'meet-outage-'));
    const node = await startTestServer({ REDIS_URL: `redis://${redis.server.host}:${redis.server.port}` }, dataDir);
    const sockets: CallClient[] = [];
    let restarted: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    try {
      const ann = await connect(node.url);
      sockets.push(ann);
      ok(await request(ann, 'join-call', 'outage-room'));
      await redis.stop();

      expect(failed(await request(ann, 'chat-message', 'anyone?'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(await api(node.url, 'GET', '/ready')).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE', failing: ['redis'] } });
      expect((await api(node.url, 'GET', '/health')).status).toBe(200);
      const registered = await api(node.url, 'POST', '/api/v1/users/register', { json: { name: 'Fiona', username: 'fiona', password: 'password123' } });
      expect(registered.status).toBe(201);

      restarted = await startRedisServer(redis.server.port);
      for (let tries = 0; (await api(node.url, 'GET', '/ready')).status !== 200; tries += 1) {
        if (tries > 100) throw new Error('the node did not see Redis come back');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const bob = await connect(node.url);
      sockets.push(bob);
      expect(ok(await request(bob, 'join-call', 'outage-room')).participants.map((p) => p.id)).toContain(idOf(bob));
      expect(node.logs.join('')).not.toMatch(/"level":50/);
    } finally {
      closeAll(sockets);
      await node.close();
      await restarted?.stop();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeWithRedis('a node started while Redis is down', () => {
  it('starts and serves HTTP, answers SERVICE_UNAVAILABLE and 503 /ready, and works once Redis appears', async () => {
    const port = await freePort();
    const node = await startTestServer({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const sockets: CallClient[] = [];
    let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
    try {
      expect((await api(node.url, 'GET', '/health')).status).toBe(200);
      expect(await api(node.url, 'GET', '/ready')).toMatchObject({ status: 503, body: { failing: ['redis'] } });
      const ann = await connect(node.url);
      sockets.push(ann);
      expect(failed(await request(ann, 'join-call', 'late-redis'))).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

      redis = await startRedisServer(port);
      for (let tries = 0; (await api(node.url, 'GET', '/ready')).status !== 200; tries += 1) {
        if (tries > 100) throw new Error('the node did not see Redis appear');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ok(await request(ann, 'join-call', 'late-redis')).participants.map((p) => p.id)).toEqual([idOf(ann)]);
      expect(node.logs.join('')).not.toMatch(/"level":50/);
    } finally {
      closeAll(sockets);
      await node.close();
      await redis?.stop();
    }
  });
});

describeWithRedis('a rolling restart', (redis) => {
  it('keeps every participant that can resume in its call with its id, while clients without acks leave at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'meet-rolling-'));
    const env = { REDIS_URL: `redis://${redis().host}:${redis().port}` };
    const first = await startTestServer({ ...env, NODE_ID: 'first' }, dataDir);
    const second = await startTestServer({ ...env, NODE_ID: 'second' }, dataDir);
    let restarted: TestServer | undefined;
    const sockets: CallClient[] = [];
    const open = async (node: TestServer) => {
      const socket = await connect(node.url);
      sockets.push(socket);
      return socket;
    };
    /** What a client does after its node went: connect again (through the balancer: to `node`) and resume. */
    const resume = async (node: TestServer, token: string | undefined) => {
      const socket = await open(node);
      return { socket, joined: ok(await request(socket, 'join-call', 'rolling', { resume: token })) };
    };
    try {
      const [ann, bob, legacy] = [await open(first), await open(second), await open(first)];
      const annJoin = ok(await request(ann, 'join-call', 'rolling'));
      const bobJoin = ok(await request(bob, 'join-call', 'rolling'));
      const legacyJoined = next(bob, 'user-joined');
      legacy.emit('join-call', 'rolling');
      await legacyJoined;
      const [annId, bobId, legacyId] = [idOf(ann), idOf(bob), idOf(legacy)];

      // The first node goes: the front end without acks leaves at once, Ann waits to resume.
      const seenByBob = record(bob);
      // Told by the first node through Redis: waited for, since a request to Bob's node does not wait for it.
      const told = Promise.all([next(bob, 'user-left'), next(bob, 'participant-reconnecting')]);
      await first.close();
      await told;
      await settle(bob);
      expect(seenByBob.get('user-left')).toEqual([[legacyId]]);
      expect(seenByBob.get('participant-reconnecting')).toEqual([[annId]]);
      const annBack = await resume(second, annJoin.resumeToken);
      expect(annBack.joined).toMatchObject({ resumed: true, self: { id: annId, connected: true } });
      expect(annBack.joined.participants.map((p) => [p.id, p.connected])).toEqual([[annId, true], [bobId, true]]);
      await settle(bob);
      expect(seenByBob.get('participant-reconnected')).toEqual([[annId]]);
      const signal = next(annBack.socket, 'signal');
      ok(await request(bob, 'signal', annId, { sdp: 'to the resumed Ann' }));
      expect(await signal).toEqual([bobId, { sdp: 'to the resumed Ann' }]);

      // The first node is back, the second goes: both resume there, still with their ids.
      restarted = await startTestServer({ ...env, NODE_ID: 'first-again' }, dataDir);
      await second.close();
      const [annAgain, bobAgain] = [await resume(restarted, annBack.joined.resumeToken), await resume(restarted, bobJoin.resumeToken)];
      expect([annAgain.joined.self.id, bobAgain.joined.self.id]).toEqual([annId, bobId]);
      expect(bobAgain.joined.participants.map((p) => p.id)).toEqual([annId, bobId]);
      const seenByAnn = record(annAgain.socket);
      ok(await request(bobAgain.socket, 'chat-message', 'still here'));
      await settle(annAgain.socket);
      expect(seenByAnn.get('chat-message')?.map(([data]) => data)).toEqual(['still here']);
      expect(seenByAnn.get('user-left')).toBeUndefined();
    } finally {
      closeAll(sockets);
      await restarted?.close();
      await second.close();
      await first.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeWithRedis('a node killed with SIGKILL', (redis) => {
  afterEach(() => spawned.forEach((child) => child.kill('SIGKILL')));

  it('is taken for dead: within 15 s the other node tells its people who left, records their stays, and rosters no longer list them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'meet-crash-'));
    const env = { REDIS_URL: `redis://${redis().host}:${redis().port}` };
    const surviving = await startTestServer({ ...env, NODE_ID: 'surviving' }, dataDir);
    const doomed = await startMain({ ...env, NODE_ID: 'doomed', DATA_DIR: dataDir });
    const sockets: CallClient[] = [];
    try {
      // Bob is logged in (both nodes read the one DATA_DIR, its users and its JWT secret); the others are guests.
      await api(surviving.url, 'POST', '/api/v1/users/register', { json: { name: 'Bob', username: 'bob-doomed', password: 'password123' } });
      const login = await api(surviving.url, 'POST', '/api/v1/users/login', { json: { username: 'bob-doomed', password: 'password123' } });
      const { token } = bodyAs(login, loginBody);
      const ann = await connect(surviving.url);
      const [bob, cy, dee] = [await connect(doomed.url, { token }), await connect(doomed.url), await connect(doomed.url)];
      sockets.push(ann, bob, cy, dee);
      for (const socket of [ann, bob, cy]) ok(await request(socket, 'join-call', 'crash-room'));
      ok(await request(dee, 'join-call', 'doomed-alone'));
      const gone = [idOf(bob), idOf(cy)].sort();
      const seenAnn = record(ann);
      const bothLeft = new Promise<void>((resolve) => {
        ann.on('user-left', () => (seenAnn.get('user-left')?.length === 2 ? resolve() : undefined));
      });

      const killedAt = Date.now();
      doomed.child.kill('SIGKILL');
      await bothLeft;
      expect(Date.now() - killedAt).toBeLessThanOrEqual(15_000);
      expect(seenAnn.get('user-left')?.map(([id]) => id).sort()).toEqual(gone);

      // Recorded by the surviving node as it told Ann, with the time it found the node dead, not an earlier one.
      const attendance = bodyAs(await api(surviving.url, 'GET', '/api/v1/users/attendance', { token }), attendanceBody).attendance;
      expect(attendance.map((r) => r.meetingCode)).toEqual(['crash-room']);
      const [joinedAt, leftAt] = [Date.parse(attendance[0]?.joinedAt ?? ''), Date.parse(attendance[0]?.leftAt ?? '')];
      expect(joinedAt).toBeLessThanOrEqual(killedAt);
      expect(leftAt).toBeGreaterThanOrEqual(killedAt);
      expect(attendance[0]?.durationSeconds).toBe(Math.floor((leftAt - joinedAt) / 1000));

      const late = await connect(surviving.url);
      sockets.push(late);
      expect(ok(await request(late, 'join-call', 'crash-room')).participants.map((p) => p.id)).toEqual([idOf(ann), idOf(late)]);
      expect(ok(await request(late, 'join-call', 'doomed-alone')).participants.map((p) => p.id)).toEqual([idOf(late)]);
      expect(surviving.logs.join('')).toMatch(/participants of a dead node removed from their calls/);
    } finally {
      closeAll(sockets);
      await surviving.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 25_000);

  it('makes the callers of a node that was taken for dead reconnect, since their calls no longer hold them', async () => {
    const node = await startTestServer({ REDIS_URL: `redis://${redis().host}:${redis().port}`, NODE_ID: 'presumed-dead' });
    const admin = new Redis(redis().port, redis().host);
    const sockets: CallClient[] = [];
    try {
      const [inCall, idle] = [await connect(node.url), await connect(node.url)];
      sockets.push(inCall, idle);
      ok(await request(inCall, 'join-call', 'presumed-room'));
      const [alive] = await admin.keys('meet:alive:presumed-dead/*');
      // The test clients do not reconnect by themselves; "transport close" is what makes a real client reconnect.
      const dropped = new Promise<string>((resolve) => inCall.once('disconnect', resolve));
      // What a sweeper leaves for a node it evicted; the node reads it at its next heartbeat (every 3 s).
      await admin.set(alive!.replace(':alive:', ':evicted:'), '1', 'PX', 60_000);
      expect(await dropped).toBe('transport close');
      expect(idle.connected).toBe(true);
      expect(node.logs.join('')).toMatch(/this node was taken for dead while silent/);
    } finally {
      closeAll(sockets);
      admin.disconnect();
      await node.close();
    }
  });
});
