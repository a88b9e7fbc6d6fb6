import { z } from 'zod';
import { api, bodyAs, errorBody, startTestServer, type TestServer } from '../support/test-server';
import { getIceServers, readTurnLogin, turnEntry } from '../support/ice-servers';
import { closeAll, connect, idOf, ok, request, type CallClient } from '../support/socket-client';

const SECRET = 'integration-turn-secret';
const STUN = 'stun:stun.example.com:3478';
const TURN = ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp'];
const WITH_TURN = { STUN_URLS: STUN, TURN_URLS: TURN.join(','), TURN_SECRET: SECRET, TURN_TTL: '1h' };
const ROOM = 'http://localhost:3000/ice-room';

const loginWithUser = z.object({ token: z.string(), user: z.object({ id: z.string() }) });

async function login(server: TestServer, username: string): Promise<{ token: string; userId: string }> {
  await api(server.url, 'POST', '/api/v1/users/register', { json: { name: 'Ann Lee', username, password: 'password123' } });
  const body = bodyAs(await api(server.url, 'POST', '/api/v1/users/login', { json: { username, password: 'password123' } }), loginWithUser);
  return { token: body.token, userId: body.user.id };
}

/** Seconds since the epoch, whole, as the TURN username counts them. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('ICE servers with REQUIRE_AUTH on', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...WITH_TURN, REQUIRE_AUTH: 'true' });
  });
  afterAll(() => server.destroy());

  it('GET /api/v1/ice-servers answers 401 without a token or with a bad one', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const { res } = await getIceServers(server.url, { token });
      expect([res.status, bodyAs(res, errorBody).code]).toEqual([401, 'UNAUTHENTICATED']);
    }
  });

  it('GET /api/v1/ice-servers answers 200 with a token: STUN, then TURN with a credential for the user lasting TURN_TTL', async () => {
    const { token, userId } = await login(server, 'ice-user');
    const before = nowSeconds();
    const { res, body } = await getIceServers(server.url, { token });
    const after = nowSeconds();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { iceServers } = body();
    expect(iceServers).toEqual([{ urls: [STUN] }, { urls: TURN, username: expect.any(String), credential: expect.any(String) }]);
    const login1 = readTurnLogin(turnEntry(iceServers), SECRET);
    expect(login1).toMatchObject({ subject: userId, signed: true });
    expect(login1.expiry).toBeGreaterThanOrEqual(before + 3600);
    expect(login1.expiry).toBeLessThanOrEqual(after + 3600);
  });
});

describe('ICE servers with REQUIRE_AUTH off', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  beforeAll(async () => {
    server = await startTestServer({ ...WITH_TURN, TRUST_PROXY: 'true', RATE_LIMIT_ICE_SERVERS: '3' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());
  let address = 0;
  /** Each test its own client address (TRUST_PROXY), so that only the rate-limit test meets the limit. */
  const from = () => ({ 'x-forwarded-for': `203.0.113.${(address += 1)}` });

  it('GET /api/v1/ice-servers answers anyone, a guest with a credential of its own, and still refuses a bad token', async () => {
    const headers = from();
    const first = await getIceServers(server.url, { headers });
    const second = await getIceServers(server.url, { headers });
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const [a, b] = [readTurnLogin(turnEntry(first.body().iceServers), SECRET), readTurnLogin(turnEntry(second.body().iceServers), SECRET)];
    expect(a).toMatchObject({ subject: expect.stringMatching(/^anonymous-/), signed: true });
    expect(b.subject).not.toBe(a.subject);
    const bad = await getIceServers(server.url, { token: 'not-a-token', headers: from() });
    expect([bad.res.status, bodyAs(bad.res, errorBody).code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('GET /api/v1/ice-servers answers 429 RATE_LIMITED with Retry-After past RATE_LIMIT_ICE_SERVERS a minute, per client address', async () => {
    const headers = from();
    for (let i = 0; i < 3; i += 1) expect((await getIceServers(server.url, { headers })).res.status).toBe(200);
    const { res } = await getIceServers(server.url, { headers });
    expect([res.status, bodyAs(res, errorBody).code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await getIceServers(server.url, { headers: from() })).res.status).toBe(200);
  });

  it('a join ack carries the same iceServers: a guest’s TURN credential names its participant id, a user’s its user id', async () => {
    const guest = await connect(server.url);
    sockets.push(guest);
    const guestJoin = ok(await request(guest, 'join-call', ROOM, { name: 'Gus' }));
    expect(guestJoin.iceServers).toEqual([{ urls: [STUN] }, { urls: TURN, username: expect.any(String), credential: expect.any(String) }]);
    expect(readTurnLogin(turnEntry(guestJoin.iceServers), SECRET)).toMatchObject({ subject: idOf(guest), signed: true });

    const { token, userId } = await login(server, 'ice-joiner');
    const member = await connect(server.url, { token });
    sockets.push(member);
    const memberJoin = ok(await request(member, 'join-call', ROOM));
    expect(readTurnLogin(turnEntry(memberJoin.iceServers), SECRET)).toMatchObject({ subject: userId, signed: true });
  });
});

describe('ICE servers without TURN settings', () => {
  it('hands out the STUN servers only, over HTTP and in the join ack', async () => {
    const server = await startTestServer({ STUN_URLS: `${STUN}, stun:stun2.example.com` });
    const socket = await connect(server.url);
    try {
      const { res, body } = await getIceServers(server.url);
      expect(res.status).toBe(200);
      expect(body()).toEqual({ iceServers: [{ urls: [STUN, 'stun:stun2.example.com'] }] });
      expect(ok(await request(socket, 'join-call', ROOM)).iceServers).toEqual([{ urls: [STUN, 'stun:stun2.example.com'] }]);
    } finally {
      socket.close();
      await server.destroy();
    }
  });

  it('hands out an empty list when neither STUN nor TURN is set', async () => {
    const server = await startTestServer();
    try {
      expect((await getIceServers(server.url)).body()).toEqual({ iceServers: [] });
    } finally {
      await server.destroy();
    }
  });
});
