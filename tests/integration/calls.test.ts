import { accountToken, api, bodyAs, loginBody, startTestServer, type TestServer } from '../support/test-server';
import { RawSocket } from '../support/raw-socket';
import { until } from '../support/until';
import { closeAll, connect, failed, idOf, next, ok, record, request, requestUnchecked, settle, type CallClient } from '../support/socket-client';

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

  const login = (username: string, name: string) => accountToken(server.url, username, name);

  it('runs a three-person call: rosters, signal routing, chat, history replay, leaving and deletion', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const [seenA, seenB, seenC] = [record(a), record(b), record(c)];

    const joinA = ok(await request(a, 'join-call', ROOM, { name: 'Ann' }));
    expect(joinA).toMatchObject({ ok: true, callId: 'standup-42', self: { id: idOf(a), name: 'Ann' }, history: [] });
    expect(joinA.participants.map((p) => p.id)).toEqual([idOf(a)]);
    const joinB = ok(await request(b, 'join-call', ROOM, { name: 'Bob' }));
    expect(joinB.participants.map((p) => p.id)).toEqual([idOf(a), idOf(b)]);
    const joinC = ok(await request(c, 'join-call', ROOM, { name: 'Cy' }));
    expect(joinC.participants).toEqual([
      { id: idOf(a), name: 'Ann', guest: true, media: { audio: false, video: false, screen: false, hand: false }, role: 'member', connected: true },
      { id: idOf(b), name: 'Bob', guest: true, media: { audio: false, video: false, screen: false, hand: false }, role: 'member', connected: true },
      { id: idOf(c), name: 'Cy', guest: true, media: { audio: false, video: false, screen: false, hand: false }, role: 'member', connected: true },
    ]);
    await settle(a, b, c);
    expect(seenA.get('user-joined')?.map(([id, clients]) => [id, clients])).toEqual([
      [idOf(a), [idOf(a)]],
      [idOf(b), [idOf(a), idOf(b)]],
      [idOf(c), [idOf(a), idOf(b), idOf(c)]],
    ]);
    expect(seenB.get('user-joined')?.map(([id]) => id)).toEqual([idOf(b), idOf(c)]);
    expect(seenC.get('user-joined')?.map(([id]) => id)).toEqual([idOf(c)]);

    expect(await request(a, 'signal', idOf(b), { type: 'offer', sdp: 'v=0' })).toEqual({ ok: true });
    expect(await request(b, 'signal', idOf(a), JSON.stringify({ type: 'answer' }))).toEqual({ ok: true });
    await settle(a, b, c);
    expect(seenB.get('signal')).toEqual([[idOf(a), { type: 'offer', sdp: 'v=0' }]]);
    expect(seenA.get('signal')).toEqual([[idOf(b), JSON.stringify({ type: 'answer' })]]);
    expect(seenC.get('signal')).toBeUndefined();

    const posted = ok(await request(a, 'chat-message', 'hello all', 'ignored?'));
    expect(posted).toEqual({ ok: true, id: expect.any(String), ts: expect.any(String) });
    await request(b, 'chat-message', 'hi Ann');
    await settle(a, b, c);
    expect(seenC.get('chat-message')).toEqual([
      ['hello all', 'Ann', idOf(a), { id: posted.id, ts: posted.ts, guest: true }],
      ['hi Ann', 'Bob', idOf(b), { id: expect.any(String), ts: expect.any(String), guest: true }],
    ]);
    expect(seenA.get('chat-message')?.map(([data]) => data)).toEqual(['hi Ann']);

    const d = await open();
    const seenD = record(d);
    const joinD = ok(await request(d, 'join-call', ROOM));
    expect(joinD.history.map((m) => [m.data, m.sender])).toEqual([
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
    expect(await dLeft).toEqual([idOf(d)]);
    const gone = [a.id, b.id];
    a.close();
    b.close();
    await until('the server to see a and b disconnect', () => gone.every((id) => id === undefined || !server.app.io.sockets.sockets.has(id)));
    await server.app.gateway.leavesSettled();
    const e = await open();
    const joinE = ok(await request(e, 'join-call', ROOM));
    expect(joinE.participants.map((p) => p.id)).toEqual([idOf(e)]);
    expect(server.logs.some((line) => /"msg":"call ended"/.test(line) && /"peakSize":4/.test(line))).toBe(true);
  });

  it('serves a client written like the existing front ends: positional args, no acks', async () => {
    const alice = await open();
    const bob = await open();
    const bobJoined = new Promise<unknown[]>((resolve) => {
      alice.on('user-joined', (id, clients) => {
        if (id === idOf(bob)) resolve([id, clients]);
      });
    });
    alice.emit('join-call', 'http://localhost:3000/legacy?x=1#frag');
    await next(alice, 'user-joined');
    bob.emit('join-call', 'http://localhost:3000/legacy?x=1#frag');
    expect(await bobJoined).toEqual([idOf(bob), [idOf(alice), idOf(bob)]]);

    const signal = next(bob, 'signal');
    alice.emit('signal', idOf(bob), JSON.stringify({ sdp: { type: 'offer' } }));
    expect(await signal).toEqual([idOf(alice), JSON.stringify({ sdp: { type: 'offer' } })]);

    const chat = next(alice, 'chat-message');
    bob.emit('chat-message', 'hey', 'Bobby');
    const [data, sender, senderId] = await chat;
    expect([data, sender, senderId]).toEqual(['hey', 'Bobby', idOf(bob)]);

    // A peer connected here in another call is refused; an id no connection holds is dropped (docs/protocol.md).
    const elsewhere = await open();
    ok(await request(elsewhere, 'join-call', 'legacy-elsewhere'));
    const error = next(alice, 'call-error');
    alice.emit('signal', 'no-such-peer', 'x');
    alice.emit('signal', idOf(elsewhere), 'x');
    expect(await error).toEqual([{ code: 'NOT_IN_SAME_CALL', message: expect.any(String), event: 'signal' }]);
  });

  it('puts front ends that send http://host/x and http://host/x/ in one call, keyed by the code x', async () => {
    const [a, b, elsewhere] = [await open(), await open(), await open()];
    const seenA = record(a);
    expect(ok(await request(a, 'join-call', 'http://localhost:3000/same-call')).callId).toBe('same-call');
    ok(await request(elsewhere, 'join-call', 'http://localhost:3000/other-call/'));
    const joinB = ok(await request(b, 'join-call', 'http://localhost:3000/same-call/?from=mail', { name: 'Bob' }));
    expect(joinB.callId).toBe('same-call');
    expect(joinB.participants.map((p) => p.id)).toEqual([idOf(a), idOf(b)]);
    expect(await request(b, 'signal', idOf(a), { type: 'offer' })).toEqual({ ok: true });
    expect(failed(await request(b, 'signal', idOf(elsewhere), { type: 'offer' })).code).toBe('NOT_IN_SAME_CALL');
    await settle(a, b);
    expect(seenA.get('signal')).toEqual([[idOf(b), { type: 'offer' }]]);
  });

  it('names logged-in sockets by their account and ignores claimed names', async () => {
    const token = await login('carol', 'Carol King');
    const carol = await open({ token });
    const guest = await open();
    const seenGuest = record(guest);
    await request(guest, 'join-call', 'room-auth', { name: 'Visitor' });
    const joined = ok(await request(carol, 'join-call', 'room-auth', { name: 'The CEO' }));
    expect(joined.self).toMatchObject({ name: 'Carol King', userId: expect.any(String) });
    expect(joined.participants[0]).toEqual(expect.objectContaining({ name: 'Visitor' }));
    expect(joined.participants[0]).not.toHaveProperty('userId');
    await request(carol, 'chat-message', 'hello', 'Somebody Else');
    await settle(guest);
    expect(seenGuest.get('chat-message')?.[0]?.slice(0, 2)).toEqual(['hello', 'Carol King']);
  });

  it('keeps guests from passing for an account holder or renaming themselves message by message', async () => {
    const token = await login('annlee', 'Ann Lee');
    const ann = await open({ token });
    const [impostor, anonymous] = [await open(), await open()];
    const seenAnn = record(ann);
    const annJoined = ok(await request(ann, 'join-call', 'room-names'));
    expect(annJoined.self).toEqual(expect.objectContaining({ name: 'Ann Lee', userId: expect.any(String) }));
    expect(annJoined.self).not.toHaveProperty('guest');
    const joined = ok(await request(impostor, 'join-call', 'room-names', { name: 'Ann Lee' }));
    expect(joined.self).toMatchObject({ name: 'Ann Lee (guest)', guest: true });
    ok(await request(anonymous, 'join-call', 'room-names'));
    ok(await request(anonymous, 'chat-message', 'first', 'Bob'));
    ok(await request(anonymous, 'chat-message', 'second', 'Ann Lee'));
    ok(await request(ann, 'chat-message', 'it is me'));
    await settle(ann);
    expect(seenAnn.get('chat-message')?.map(([data, sender, , meta]) => [data, sender, meta.guest ?? false, meta.userId ?? null])).toEqual([
      ['first', 'Bob', true, null],
      ['second', 'Bob', true, null],
    ]);
    const late = ok(await request(await open(), 'join-call', 'room-names'));
    expect(late.participants.map((p) => [p.name, p.guest ?? false])).toEqual([
      ['Ann Lee', false],
      ['Ann Lee (guest)', true],
      ['Bob', true],
      ['Guest', true],
    ]);
    expect(late.history.map((m) => [m.data, m.sender, m.guest ?? false])).toEqual([
      ['first', 'Bob', true],
      ['second', 'Bob', true],
      ['it is me', 'Ann Lee', false],
    ]);
  });

  it('refuses guest names with text-direction or invisible characters: VALIDATION_FAILED by ack, or call-error without one', async () => {
    const UNSEEN = 'must not contain invisible or text-direction characters';
    const [mallory, eve] = [await open(), await open()];
    const refused = failed(await request(mallory, 'join-call', 'room-unseen', { name: 'Mallory\u202E(guest)' }));
    expect(refused).toEqual({ code: 'VALIDATION_FAILED', message: `name ${UNSEEN}`, details: [{ field: 'opts.name', message: UNSEEN }] });
    const error = next(mallory, 'call-error');
    mallory.emit('join-call', 'room-unseen', { name: 'Ann\u200BLee' });
    expect(await error).toEqual([expect.objectContaining({ code: 'VALIDATION_FAILED', message: `name ${UNSEEN}`, event: 'join-call' })]);

    ok(await request(eve, 'join-call', 'room-unseen'));
    const chat = failed(await request(eve, 'chat-message', 'hello', '\u2066Eve\u2069'));
    expect(chat).toEqual({ code: 'VALIDATION_FAILED', message: `sender name ${UNSEEN}`, details: [{ field: 'sender', message: UNSEEN }] });
    ok(await request(eve, 'chat-message', 'hello', 'Eve'));
    const late = ok(await request(mallory, 'join-call', 'room-unseen'));
    expect(late.participants.map((p) => p.name)).toEqual(['Eve', 'Guest']);
  });

  it('refuses bad, tampered and revoked tokens with connect_error UNAUTHENTICATED', async () => {
    const token = await login('dave', 'Dave');
    await expect(connect(server.url, { token: 'nonsense' })).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect(server.url, { token: { $ne: null } })).rejects.toThrow('UNAUTHENTICATED');
    await expect(connect(server.url, { token: `${token.slice(0, -4)}AAAA` })).rejects.toThrow('UNAUTHENTICATED');
    await open({ token });
    await api(server.url, 'POST', '/api/v1/users/logout', { token });
    await expect(connect(server.url, { token })).rejects.toThrow('UNAUTHENTICATED');
  });

  it('ends every socket of a session at logout: session-ended, disconnected, user-left to the call; other sessions stay', async () => {
    const token = await login('erin', 'Erin');
    const otherToken = bodyAs(await api(server.url, 'POST', '/api/v1/users/login', { json: { username: 'erin', password: 'password123' } }), loginBody).token;
    const [phone, laptop, otherSession, peer] = [await open({ token }), await open({ token }), await open({ token: otherToken }), await open()];
    const phoneId = idOf(phone);
    for (const socket of [phone, otherSession, peer]) ok(await request(socket, 'join-call', 'room-logout'));
    const ended = Promise.all([phone, laptop].map((socket) => next(socket, 'session-ended')));
    const reasons = Promise.all([phone, laptop].map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve))));
    const left = next(peer, 'user-left');

    expect((await api(server.url, 'POST', '/api/v1/users/logout', { token })).status).toBe(204);
    expect(await ended).toEqual([[{ reason: 'logout' }], [{ reason: 'logout' }]]);
    expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await left).toEqual([phoneId]);
    expect(otherSession.connected).toBe(true);
    ok(await request(otherSession, 'chat-message', 'still here'));
  });

  it('enforces the same-call rule without leaking anything to other calls', async () => {
    const [a, b, outsider] = [await open(), await open(), await open()];
    const seenOutsider = record(outsider);
    expect(await request(a, 'signal', idOf(b), 'early')).toMatchObject({ ok: false, error: { code: 'NOT_IN_CALL' } });
    expect(await request(a, 'chat-message', 'early')).toMatchObject({ ok: false, error: { code: 'NOT_IN_CALL' } });
    expect(await request(a, 'media-state', { audio: true })).toMatchObject({ ok: false, error: { code: 'NOT_IN_CALL' } });
    await request(a, 'join-call', 'room-a');
    await request(b, 'join-call', 'room-a');
    await request(outsider, 'join-call', 'room-b');
    const before = seenOutsider.size;
    expect(await request(a, 'signal', idOf(outsider), 'psst')).toMatchObject({ ok: false, error: { code: 'NOT_IN_SAME_CALL' } });
    expect(await request(outsider, 'signal', idOf(a), 'psst')).toMatchObject({ ok: false, error: { code: 'NOT_IN_SAME_CALL' } });
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
    expect(await seen).toEqual([idOf(a), { audio: true, video: false, screen: false, hand: true }]);
    const c = await open();
    const joined = ok(await request(c, 'join-call', 'room-media'));
    expect(joined.participants[0]?.media).toEqual({ audio: true, video: false, screen: false, hand: true });
  });

  const SIGNAL_RULE = 'signal must be a string or an object of at most 64 KB as JSON, nested at most 32 deep';
  const nested = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => ({ n: inner }), 'leaf');
  it.each([
    ['join-call', [42], 'meeting link must be a string'],
    ['join-call', [], 'meeting link is required'],
    ['join-call', [''], 'meeting link must not be empty'],
    ['join-call', ['x'.repeat(1025)], 'meeting link must be at most 1024 characters'],
    ['join-call', ['room', { name: 'x', admin: true }], 'options has unknown field "admin"'],
    ['join-call', ['room', 'Ann'], 'options must be an object'],
    ['signal', [], 'signal target is required'],
    ['signal', [null, 'x'], 'signal target must be a participant id of 1-128 characters'],
    ['signal', ['', 'x'], 'signal target must be a participant id of 1-128 characters'],
    ['signal', ['someone', 42], SIGNAL_RULE],
    ['signal', ['someone', 'x'.repeat(70 * 1024)], SIGNAL_RULE],
    ['signal', ['someone', nested(33)], SIGNAL_RULE],
    ['chat-message', [''], 'chat message must not be empty'],
    ['chat-message', ['x'.repeat(2001)], 'chat message must be at most 2000 characters'],
    ['chat-message', [{ text: 'hi' }], 'chat message must be a string'],
    ['chat-message', ['hi', 'x'.repeat(1025)], 'sender name must be at most 1024 characters'],
    ['media-state', ['loud'], 'media state must be an object'],
    ['media-state', [{ audio: 'yes' }], 'audio must be true or false'],
    ['media-state', [{ volume: 11 }], 'media state has unknown field "volume"'],
    ['leave-call', ['now'], 'leave-call takes no arguments'],
    ['signal', ['someone', 'x', 'extra'], 'signal takes at most 2 arguments'],
  ])('answers a malformed %s (case %#) with VALIDATION_FAILED saying "%s"', async (event, args, message) => {
    const socket = await open();
    ok(await request(socket, 'join-call', 'room-malformed'));
    const error = failed(await requestUnchecked(socket, event, ...args));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message });
    expect(socket.connected).toBe(true);
  });

  it('refuses a signal nested 6,000 deep (12 KB) with VALIDATION_FAILED, not a stack overflow', async () => {
    const raw = await RawSocket.open(server.url);
    try {
      expect(await raw.request('join-call', '"room-deep"')).toMatchObject({ ok: true, callId: 'room-deep' });
      const deep = `${'{"n":'.repeat(6000)}1${'}'.repeat(6000)}`;
      expect(deep.length).toBeLessThan(64 * 1024);
      const error = failed(await raw.request('signal', `"someone",${deep}`));
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: SIGNAL_RULE });
      expect(server.logs.join('')).not.toMatch(/RangeError|"level":50/);
    } finally {
      raw.close();
    }
  });

  it('names the bad argument in validation details', async () => {
    const socket = await open();
    const named = failed(await requestUnchecked(socket, 'join-call', 'room-details', { name: 42 }));
    expect(named.details).toEqual([{ field: 'opts.name', message: 'must be a string' }]);
    expect(named.message).toBe('name must be a string');
    ok(await request(socket, 'join-call', 'room-details'));
    const chat = failed(await request(socket, 'chat-message', ''));
    expect(chat.details).toEqual([{ field: 'data', message: 'must not be empty' }]);
    const extra = failed(await requestUnchecked(socket, 'leave-call', 'now'));
    expect(extra.details).toEqual([{ field: 'arguments', message: 'takes no arguments' }]);
  });

  it('sends a reaction to everyone in the call, the sender too, and nowhere else; refuses free text and one in no call', async () => {
    const [a, b, other] = [await open(), await open(), await open()];
    expect(failed(await requestUnchecked(a, 'reaction', '👍'))).toMatchObject({ code: 'NOT_IN_CALL' });
    await request(a, 'join-call', 'room-react');
    await request(b, 'join-call', 'room-react');
    await request(other, 'join-call', 'room-elsewhere');
    const [seenA, seenB, seenOther] = [record(a), record(b), record(other)];
    expect(await request(a, 'reaction', '🎉')).toEqual({ ok: true });
    expect(failed(await requestUnchecked(a, 'reaction', '<img src=x onerror=alert(1)>'))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'reaction', message: expect.stringContaining('must be one of') }],
    });
    await settle(a, b, other);
    expect(seenA.get('reaction')).toEqual([[idOf(a), '🎉']]);
    expect(seenB.get('reaction')).toEqual([[idOf(a), '🎉']]);
    expect(seenOther.get('reaction')).toBeUndefined();
  });

  it('rate-limits reactions like chat', async () => {
    const spammer = await open();
    await request(spammer, 'join-call', 'room-react-spam');
    const answers = await Promise.all(Array.from({ length: 30 }, () => request(spammer, 'reaction', '👏')));
    const limited = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(19);
    expect(answers.filter((a) => a.ok).length).toBe(30 - limited.length);
  });

  it('answers an event outside the protocol with NOT_FOUND when it asks for an ack', async () => {
    const socket = await open();
    const error = failed(await requestUnchecked(socket, 'launch-rockets', 1));
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'There is no event "launch-rockets"' });
  });

  it('rate-limits chat per socket and drops the excess', async () => {
    const [spammer, listener] = [await open(), await open()];
    await request(spammer, 'join-call', 'room-spam');
    await request(listener, 'join-call', 'room-spam');
    const seen = record(listener);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => request(spammer, 'chat-message', `m${i}`)));
    const limited = answers.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
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
    ok(await request(big, 'join-call', 'room-big'));
    ok(await request(other, 'join-call', 'room-big'));
    const bigId = idOf(big);
    const reason = new Promise<string>((resolve) => big.once('disconnect', resolve));
    // It joined with an ack, so its participant waits for it to resume rather than leaving at once.
    const dropped = next(other, 'participant-reconnecting');
    big.emit('chat-message', 'x'.repeat(200 * 1024));
    expect(await reason).toBe('transport close');
    expect(await dropped).toEqual([bigId]);
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
    // Within the signal bucket's burst (twice RATE_LIMIT_SIGNAL=100), so no pause is needed for it to refill.
    const total = 150;
    for (let i = 0; i < total; i += 1) {
      expect(await request(a, 'signal', idOf(b), { seq: i })).toEqual({ ok: true });
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

});

describe('session expiry on a live socket', () => {
  it('ends a socket when its token expires: session-ended, disconnected, user-left to the call', async () => {
    const server = await startTestServer({ JWT_TTL: '2s' });
    const sockets: CallClient[] = [];
    try {
      await api(server.url, 'POST', '/api/v1/users/register', { json: { name: 'Fay', username: 'fay', password: 'password123' } });
      const login = await api(server.url, 'POST', '/api/v1/users/login', { json: { username: 'fay', password: 'password123' } });
      const { token, expiresAt } = bodyAs(login, loginBody);
      const [fay, peer] = [await connect(server.url, { token }), await connect(server.url)];
      sockets.push(fay, peer);
      const fayId = idOf(fay);
      ok(await request(fay, 'join-call', 'room-expiry'));
      ok(await request(peer, 'join-call', 'room-expiry'));
      const ended = next(fay, 'session-ended');
      const left = next(peer, 'user-left');
      expect(await request(fay, 'signal', idOf(peer), 'still valid')).toEqual({ ok: true });
      expect(await ended).toEqual([{ reason: 'expired' }]);
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
      expect(await left).toEqual([fayId]);
      expect(fay.connected).toBe(false);
    } finally {
      closeAll(sockets);
      await server.destroy();
    }
  });
});

describe('chat echo (CHAT_ECHO_SENDER)', () => {
  const servers: TestServer[] = [];
  const sockets: CallClient[] = [];
  afterEach(async () => {
    closeAll(sockets.splice(0));
    await Promise.all(servers.splice(0).map((server) => server.destroy()));
  });

  /** Two people in one call; `messages` collects what each one's positional chat-message handler is given. */
  async function twoInACall(echo?: string) {
    const server = await startTestServer(echo === undefined ? {} : { CHAT_ECHO_SENDER: echo });
    servers.push(server);
    const [ann, bob] = [await connect(server.url), await connect(server.url)];
    sockets.push(ann, bob);
    const messages = { ann: [] as string[][], bob: [] as string[][] };
    ann.on('chat-message', (data, sender, senderId) => messages.ann.push([data, sender, senderId]));
    bob.on('chat-message', (data, sender, senderId) => messages.bob.push([data, sender, senderId]));
    const href = 'http://localhost:3000/echo-room';
    ok(await request(ann, 'join-call', href, { name: 'Ann' }));
    ok(await request(bob, 'join-call', href, { name: 'Bob' }));
    return { ann, bob, messages };
  }

  it('by default (auto) echoes a chat sent the way the existing front ends send it: no ack, sender name, own listener', async () => {
    const { ann, bob, messages } = await twoInACall();
    const own = next(ann, 'chat-message');
    ann.emit('chat-message', 'hello from the old page', 'Ann');
    expect((await own).slice(0, 3)).toEqual(['hello from the old page', 'Ann', idOf(ann)]);
    await settle(ann, bob);
    expect(messages.ann).toEqual([['hello from the old page', 'Ann', idOf(ann)]]);
    expect(messages.bob).toEqual([['hello from the old page', 'Ann', idOf(ann)]]);
  });

  it('by default (auto) does not echo a chat sent with an ack: the ack carries {id, ts} and the client renders it', async () => {
    const { ann, bob, messages } = await twoInACall();
    const posted = ok(await request(ann, 'chat-message', 'hello from a new client'));
    expect(posted).toEqual({ ok: true, id: expect.any(String), ts: expect.any(String) });
    await settle(ann, bob);
    expect(messages.ann).toEqual([]);
    expect(messages.bob).toEqual([['hello from a new client', 'Ann', idOf(ann)]]);
  });

  it('CHAT_ECHO_SENDER=true echoes every chat, acked or not', async () => {
    const { ann, bob, messages } = await twoInACall('true');
    ok(await request(ann, 'chat-message', 'with ack'));
    ann.emit('chat-message', 'without ack');
    await settle(ann, bob);
    expect(messages.ann.map(([data]) => data)).toEqual(['with ack', 'without ack']);
    expect(messages.bob.map(([data]) => data)).toEqual(['with ack', 'without ack']);
  });

  it('CHAT_ECHO_SENDER=false echoes nothing, acked or not', async () => {
    const { ann, bob, messages } = await twoInACall('false');
    ok(await request(ann, 'chat-message', 'with ack'));
    ann.emit('chat-message', 'without ack');
    await settle(ann, bob);
    expect(messages.ann).toEqual([]);
    expect(messages.bob.map(([data]) => data)).toEqual(['with ack', 'without ack']);
  });
});

describe('connections per address (MAX_SOCKETS_PER_ADDRESS)', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  beforeAll(async () => {
    server = await startTestServer({ MAX_SOCKETS_PER_ADDRESS: '3', TRUST_PROXY: 'true' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  const from = async (address: string): Promise<CallClient> => {
    const socket = await connect(server.url, {}, { 'x-forwarded-for': `${address}, 10.0.0.1` });
    sockets.push(socket);
    return socket;
  };

  it('refuses the connection past the limit with connect_error RATE_LIMITED, and frees the slot on disconnect', async () => {
    const three = await Promise.all([from('198.51.100.7'), from('198.51.100.7'), from('198.51.100.7')]);
    const refused = await connect(server.url, {}, { 'x-forwarded-for': '198.51.100.7' }).catch((error: Error & { data?: unknown }) => error);
    expect(refused).toMatchObject({ message: 'RATE_LIMITED', data: { code: 'RATE_LIMITED', message: 'Too many connections from this address' } });
    expect(await from('203.0.113.9')).toMatchObject({ connected: true });

    const closedId = three[0]?.id;
    const closed = new Promise<void>((resolve) => three[0]?.once('disconnect', () => resolve()));
    three[0]?.close();
    await closed;
    // The slot is released in the same close event that takes the socket off the server.
    await until('the server to drop the closed socket', () => closedId !== undefined && !server.app.io.sockets.sockets.has(closedId));
    expect(await from('198.51.100.7')).toMatchObject({ connected: true });
  });

  it('does not hold a slot for a handshake that failed authentication', async () => {
    for (let i = 0; i < 5; i += 1) {
      await expect(connect(server.url, { token: 'forged' }, { 'x-forwarded-for': '192.0.2.44' })).rejects.toThrow('UNAUTHENTICATED');
    }
    await Promise.all([from('192.0.2.44'), from('192.0.2.44'), from('192.0.2.44')]);
  });
});

describe('sockets per node (MAX_SOCKETS)', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  beforeAll(async () => {
    server = await startTestServer({ MAX_SOCKETS: '3' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  const open = async () => {
    const socket = await connect(server.url);
    sockets.push(socket);
    return socket;
  };

  it('refuses a socket past the limit with SERVICE_UNAVAILABLE in words, closes it, and serves the ones it has', async () => {
    const [a, b, c] = await Promise.all([open(), open(), open()]);
    const refused = await connect(server.url).catch((error: Error & { data?: unknown }) => error);
    expect(refused).toMatchObject({ message: 'SERVICE_UNAVAILABLE', data: { code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('as many connections as it can') } });
    await until('the refused connection to be closed', () => server.app.io.engine.clientsCount === 3);

    await request(a, 'join-call', 'full-node');
    await request(b, 'join-call', 'full-node');
    const seen = record(b);
    expect(await request(a, 'chat-message', 'still here')).toMatchObject({ ok: true });
    await settle(b);
    expect(seen.get('chat-message')).toHaveLength(1);

    c?.close();
    await until('the server to drop the closed socket', () => server.app.io.engine.clientsCount === 2);
    expect(await open()).toMatchObject({ connected: true });
  });
});
