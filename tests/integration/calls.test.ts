import { api, startTestServer, type TestServer } from '../support/test-server';
import { closeAll, connect, next, record, request, settle, type CallClient } from '../support/socket-client';

const ROOM = 'http://localhost:3000/standup-42';

describe('real-time calls over Socket.IO', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  const open = async (auth: { token?: unknown } = {}) => {
    const socket = await connect(server.url, auth);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer({ MAX_PARTICIPANTS: '4', RATE_LIMIT_CHAT: '5', RATE_LIMIT_SIGNAL: '100' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  async function login(username: string, name: string): Promise<string> {
    await api(server.url, 'POST', '/api/v1/users/register', { json: { name, username, password: 'password123' } });
    const res = await api(server.url, 'POST', '/api/v1/users/login', { json: { username, password: 'password123' } });
    return res.body.token;
  }

  it('runs a three-person call: rosters, signal routing, chat, history replay, leaving and deletion', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const [seenA, seenB, seenC] = [record(a), record(b), record(c)];

    const joinA = await request(a, 'join-call', ROOM, { name: 'Ann' });
    expect(joinA).toMatchObject({ ok: true, callId: ROOM, self: { id: a.id, name: 'Ann' }, history: [] });
    expect(joinA.participants.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const joinB = await request(b, 'join-call', ROOM, { name: 'Bob' });
    expect(joinB.participants.map((p: { id: string }) => p.id)).toEqual([a.id, b.id]);
    const joinC = await request(c, 'join-call', ROOM, { name: 'Cy' });
    expect(joinC.participants).toEqual([
      { id: a.id, name: 'Ann', media: { audio: false, video: false, screen: false, hand: false } },
      { id: b.id, name: 'Bob', media: { audio: false, video: false, screen: false, hand: false } },
      { id: c.id, name: 'Cy', media: { audio: false, video: false, screen: false, hand: false } },
    ]);
    await settle(a, b, c);
    expect(seenA.get('user-joined')?.map(([id, clients]) => [id, clients])).toEqual([
      [a.id, [a.id]],
      [b.id, [a.id, b.id]],
      [c.id, [a.id, b.id, c.id]],
    ]);
    expect(seenB.get('user-joined')?.map(([id]) => id)).toEqual([b.id, c.id]);
    expect(seenC.get('user-joined')?.map(([id]) => id)).toEqual([c.id]);

    expect(await request(a, 'signal', b.id, { type: 'offer', sdp: 'v=0' })).toEqual({ ok: true });
    expect(await request(b, 'signal', a.id, JSON.stringify({ type: 'answer' }))).toEqual({ ok: true });
    await settle(a, b, c);
    expect(seenB.get('signal')).toEqual([[a.id, { type: 'offer', sdp: 'v=0' }]]);
    expect(seenA.get('signal')).toEqual([[b.id, JSON.stringify({ type: 'answer' })]]);
    expect(seenC.get('signal')).toBeUndefined();

    const posted = await request(a, 'chat-message', 'hello all', 'ignored?');
    expect(posted).toEqual({ ok: true, id: expect.any(String), ts: expect.any(String) });
    await request(b, 'chat-message', 'hi Ann');
    await settle(a, b, c);
    expect(seenC.get('chat-message')).toEqual([
      ['hello all', 'Ann', a.id, { id: posted.id, ts: posted.ts }],
      ['hi Ann', 'Bob', b.id, expect.any(Object)],
    ]);
    expect(seenA.get('chat-message')?.map(([data]) => data)).toEqual(['hi Ann']);

    const d = await open();
    const seenD = record(d);
    const joinD = await request(d, 'join-call', ROOM);
    expect(joinD.history.map((m: { data: string; sender: string }) => [m.data, m.sender])).toEqual([
      ['hello all', 'Ann'],
      ['hi Ann', 'Bob'],
    ]);
    await settle(d);
    expect(seenD.get('chat-message')?.map(([data]) => data)).toEqual(['hello all', 'hi Ann']);

    const cLeft = next(a, 'user-left');
    c.close();
    expect(await cLeft).toEqual([joinC.self.id]);
    await settle(b, d);
    expect(seenB.get('user-left')).toEqual([[joinC.self.id]]);
    expect(seenD.get('user-left')).toEqual([[joinC.self.id]]);
    const dLeft = next(b, 'user-left');
    expect(await request(d, 'leave-call')).toEqual({ ok: true, left: true });
    expect(await dLeft).toEqual([d.id]);
    a.close();
    b.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const e = await open();
    const joinE = await request(e, 'join-call', ROOM);
    expect(joinE.participants.map((p: { id: string }) => p.id)).toEqual([e.id]);
    expect(server.logs.some((line) => /"msg":"call ended"/.test(line) && /"peakSize":4/.test(line))).toBe(true);
  });

  it('serves a client written like the existing front ends: positional args, no acks', async () => {
    const alice = await open();
    const bob = await open();
    const bobJoined = new Promise<unknown[]>((resolve) => {
      alice.on('user-joined', (id, clients) => {
        if (id === bob.id) resolve([id, clients]);
      });
    });
    alice.emit('join-call', 'http://localhost:3000/legacy?x=1#frag');
    await next(alice, 'user-joined');
    bob.emit('join-call', 'http://localhost:3000/legacy?x=1#frag');
    expect(await bobJoined).toEqual([bob.id, [alice.id, bob.id]]);

    const signal = next(bob, 'signal');
    alice.emit('signal', bob.id!, JSON.stringify({ sdp: { type: 'offer' } }));
    expect(await signal).toEqual([alice.id, JSON.stringify({ sdp: { type: 'offer' } })]);

    const chat = next(alice, 'chat-message');
    bob.emit('chat-message', 'hey', 'Bobby');
    const [data, sender, senderId] = await chat;
    expect([data, sender, senderId]).toEqual(['hey', 'Bobby', bob.id]);

    const error = next(alice, 'call-error');
    alice.emit('signal', 'no-such-peer', 'x');
    expect(await error).toEqual([{ code: 'NOT_IN_SAME_CALL', message: expect.any(String), event: 'signal' }]);
  });

  it('names logged-in sockets by their account and ignores claimed names', async () => {
    const token = await login('carol', 'Carol King');
    const carol = await open({ token });
    const guest = await open();
    const seenGuest = record(guest);
    await request(guest, 'join-call', 'room-auth', { name: 'Visitor' });
    const joined = await request(carol, 'join-call', 'room-auth', { name: 'The CEO' });
    expect(joined.self).toMatchObject({ name: 'Carol King', userId: expect.any(String) });
    expect(joined.participants[0]).toEqual(expect.objectContaining({ name: 'Visitor' }));
    expect(joined.participants[0].userId).toBeUndefined();
    await request(carol, 'chat-message', 'hello', 'Somebody Else');
    await settle(guest);
    expect(seenGuest.get('chat-message')?.[0]?.slice(0, 2)).toEqual(['hello', 'Carol King']);
  });

  it('refuses bad, tampered and revoked tokens with connect_error UNAUTHENTICATED', async () => {
    const token = await login('dave', 'Dave');
    await expect(connect(server.url, { token: 'nonsense' })).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect(server.url, { token: { $ne: null } })).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect(server.url, { token: `${token.slice(0, -4)}AAAA` })).rejects.toThrow('UNAUTHENTICATED');
    const connected = await open({ token });
    await api(server.url, 'POST', '/api/v1/users/logout', { token });
    await expect(connect(server.url, { token })).rejects.toThrow('UNAUTHENTICATED');
    // An already connected socket whose session was revoked cannot join a call any more.
    expect(await request(connected, 'join-call', 'room-revoked')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('enforces the same-call rule without leaking anything to other calls', async () => {
    const [a, b, outsider] = [await open(), await open(), await open()];
    const seenOutsider = record(outsider);
    expect(await request(a, 'signal', b.id, 'early')).toMatchObject({ ok: false, error: { code: 'NOT_IN_CALL' } });
    expect(await request(a, 'chat-message', 'early')).toMatchObject({ ok: false, error: { code: 'NOT_IN_CALL' } });
    expect(await request(a, 'media-state', { audio: true })).toMatchObject({ ok: false, error: { code: 'NOT_IN_CALL' } });
    await request(a, 'join-call', 'room-a');
    await request(b, 'join-call', 'room-a');
    await request(outsider, 'join-call', 'room-b');
    const before = seenOutsider.size;
    expect(await request(a, 'signal', outsider.id, 'psst')).toMatchObject({ ok: false, error: { code: 'NOT_IN_SAME_CALL' } });
    expect(await request(outsider, 'signal', a.id, 'psst')).toMatchObject({ ok: false, error: { code: 'NOT_IN_SAME_CALL' } });
    await request(a, 'chat-message', 'room-a only');
    await request(a, 'media-state', { video: true });
    await settle(outsider);
    expect(seenOutsider.size).toBe(before);
    expect(seenOutsider.get('signal')).toBeUndefined();
    expect(seenOutsider.get('chat-message')).toBeUndefined();
    expect(seenOutsider.get('media-state')).toBeUndefined();
  });

  it('says ROOM_FULL past MAX_PARTICIPANTS', async () => {
    const members = await Promise.all([open(), open(), open(), open()]);
    for (const socket of members) expect((await request(socket, 'join-call', 'room-full')).ok).toBe(true);
    const late = await open();
    expect(await request(late, 'join-call', 'room-full')).toEqual({ ok: false, error: { code: 'ROOM_FULL', message: expect.any(String) } });
  });

  it('broadcasts media state and includes it in the join snapshot', async () => {
    const [a, b] = [await open(), await open()];
    await request(a, 'join-call', 'room-media');
    await request(b, 'join-call', 'room-media');
    const seen = next(b, 'media-state');
    expect(await request(a, 'media-state', { audio: true, hand: true })).toEqual({
      ok: true,
      state: { audio: true, video: false, screen: false, hand: true },
    });
    expect(await seen).toEqual([a.id, { audio: true, video: false, screen: false, hand: true }]);
    const c = await open();
    const joined = await request(c, 'join-call', 'room-media');
    expect(joined.participants[0].media).toEqual({ audio: true, video: false, screen: false, hand: true });
  });

  it.each([
    ['join-call', [42]],
    ['join-call', []],
    ['join-call', ['']],
    ['join-call', ['x'.repeat(1025)]],
    ['join-call', ['room', { name: 'x', admin: true }]],
    ['signal', []],
    ['signal', [null, 'x']],
    ['signal', ['someone', 42]],
    ['signal', ['someone', 'x'.repeat(70 * 1024)]],
    ['chat-message', ['']],
    ['chat-message', ['x'.repeat(2001)]],
    ['chat-message', [{ text: 'hi' }]],
    ['media-state', ['loud']],
    ['media-state', [{ audio: 'yes' }]],
    ['media-state', [{ volume: 11 }]],
    ['leave-call', ['now']],
  ])('answers a malformed %s (case %#) with VALIDATION_FAILED', async (event, args) => {
    const socket = await open();
    await request(socket, 'join-call', 'room-malformed');
    const answer = await request(socket, event, ...(args as unknown[]));
    expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(socket.connected).toBe(true);
  });

  it('names the bad argument in validation details', async () => {
    const socket = await open();
    const answer = await request(socket, 'join-call', 'room-details', { name: 42 });
    expect(answer.error.details).toEqual([{ field: 'opts.name', message: 'must be a string' }]);
    await request(socket, 'join-call', 'room-details');
    const chat = await request(socket, 'chat-message', '');
    expect(chat.error.details).toEqual([{ field: 'data', message: 'must not be empty' }]);
    const extra = await request(socket, 'leave-call', 'now');
    expect(extra.error.details[0].field).toBe('arguments');
  });

  it('rate-limits chat per socket and drops the excess', async () => {
    const [spammer, listener] = [await open(), await open()];
    await request(spammer, 'join-call', 'room-spam');
    await request(listener, 'join-call', 'room-spam');
    const seen = record(listener);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => request(spammer, 'chat-message', `m${i}`)));
    const limited = answers.filter((a) => a.error?.code === 'RATE_LIMITED');
    const delivered = answers.filter((a) => a.ok);
    // A burst of twice RATE_LIMIT_CHAT passes, less the token join-call took from the same budget,
    // plus what refills while the burst is sent; the rest is refused.
    expect(delivered.length).toBeGreaterThanOrEqual(9);
    expect(delivered.length).toBeLessThanOrEqual(11);
    expect(limited.length).toBe(30 - delivered.length);
    await settle(listener);
    expect(seen.get('chat-message')).toHaveLength(delivered.length);
  });

  it('disconnects a socket that sends a frame over 128 KB, and keeps serving the others', async () => {
    const [big, other] = [await open(), await open()];
    await request(other, 'join-call', 'room-big');
    const gone = next(big, 'disconnect');
    big.emit('chat-message', 'x'.repeat(200 * 1024));
    expect(await gone).toBeDefined();
    expect(await request(other, 'media-state', { audio: true })).toMatchObject({ ok: true });
  });

  it('keeps two peers signalling without loss while a third floods garbage', async () => {
    const [a, b, noisy] = [await open(), await open(), await open()];
    await request(a, 'join-call', 'room-noise');
    await request(b, 'join-call', 'room-noise');
    await request(noisy, 'join-call', 'room-noise');
    const garbage: unknown[][] = [[], [null], [{}], [1, 2, 3], ['x'.repeat(60_000)], [[[[[]]]]], [undefined, undefined]];
    let flooding = true;
    const flood = (async () => {
      let i = 0;
      while (flooding) {
        const args = garbage[i % garbage.length]!;
        for (const event of ['signal', 'chat-message', 'join-call', 'media-state', 'leave-call', 'bogus']) {
          (noisy as unknown as { emit: (e: string, ...a: unknown[]) => void }).emit(event, ...args);
        }
        i += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const received: unknown[] = [];
    b.on('signal', (_from, message) => received.push(message));
    const total = 150;
    for (let i = 0; i < total; i += 1) {
      expect(await request(a, 'signal', b.id, { seq: i })).toEqual({ ok: true });
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    flooding = false;
    await flood;
    await settle(b);
    expect(received).toEqual(Array.from({ length: total }, (_, i) => ({ seq: i })));
    expect((await api(server.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('real-time options', () => {
  it('REQUIRE_AUTH=true refuses guests with connect_error UNAUTHENTICATED', async () => {
    const server = await startTestServer({ REQUIRE_AUTH: 'true' });
    try {
      await expect(connect(server.url)).rejects.toThrow('UNAUTHENTICATED');
    } finally {
      await server.destroy();
    }
  });

  it('CHAT_ECHO_SENDER=true echoes chat back to its sender', async () => {
    const server = await startTestServer({ CHAT_ECHO_SENDER: 'true' });
    const socket = await connect(server.url);
    try {
      await request(socket, 'join-call', 'room-echo', { name: 'Echo' });
      const echoed = next(socket, 'chat-message');
      await request(socket, 'chat-message', 'ping');
      expect((await echoed).slice(0, 3)).toEqual(['ping', 'Echo', socket.id]);
    } finally {
      socket.close();
      await server.destroy();
    }
  });
});
