import { api, bodyAs, errorBody, startTestServer, type TestServer } from '../support/test-server';
import { Exposition } from '../support/prometheus-text';
import { closeAll, connect, failed, idOf, next, ok, request, requestUnchecked, type CallClient } from '../support/socket-client';

const ROOM = 'http://localhost:3000/metrics-room-one';
const OTHER_ROOM = 'http://localhost:3000/metrics-room-two';
const USERS = '/api/v1/users';
const TOKEN = 'metrics-token-0123456789abcdef';
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'm'.repeat(40), BCRYPT_ROUNDS: '10' };
const DEVELOPMENT = { NODE_ENV: 'development', BCRYPT_ROUNDS: '10' };

async function scrape(server: TestServer, token?: string): Promise<Exposition> {
  const res = await api(server.url, 'GET', '/metrics', { token });
  expect(res.status).toBe(200);
  return new Exposition(res.text);
}

describe('GET /metrics: what is counted', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  const open = async () => {
    const socket = await connect(server.url);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await startTestServer({ MAX_PARTICIPANTS: '2' });
  });
  afterEach(async () => {
    closeAll(sockets.splice(0));
    await server.destroy();
  });

  it('serves the Prometheus text format with the default process metrics, event-loop lag included', async () => {
    const res = await api(server.url, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const metrics = new Exposition(res.text);
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']) {
      expect([name, metrics.has(name)]).toEqual([name, true]);
    }
    expect(metrics.value('meet_live_calls')).toBe(0);
    expect(metrics.value('meet_live_participants')).toBe(0);
    expect(metrics.value('meet_signal_relays_total')).toBe(0);
  });

  it('live calls and participants on this node follow joins, moves, leaves and disconnects, with no call or socket named', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    ok(await request(a, 'join-call', ROOM));
    ok(await request(b, 'join-call', ROOM));
    ok(await request(c, 'join-call', OTHER_ROOM));
    let metrics = await scrape(server);
    expect([metrics.value('meet_live_calls'), metrics.value('meet_live_participants')]).toEqual([2, 3]);
    for (const name of ['metrics-room', idOf(a), idOf(b), idOf(c)]) expect(metrics.text).not.toContain(name);

    ok(await request(b, 'leave-call'));
    metrics = await scrape(server);
    expect([metrics.value('meet_live_calls'), metrics.value('meet_live_participants')]).toEqual([2, 2]);

    ok(await request(c, 'join-call', ROOM));
    metrics = await scrape(server);
    expect([metrics.value('meet_live_calls'), metrics.value('meet_live_participants')]).toEqual([1, 2]);

    const aLeft = next(c, 'user-left');
    a.close();
    await aLeft;
    metrics = await scrape(server);
    expect([metrics.value('meet_live_calls'), metrics.value('meet_live_participants')]).toEqual([1, 1]);

    ok(await request(c, 'leave-call'));
    metrics = await scrape(server);
    expect([metrics.value('meet_live_calls'), metrics.value('meet_live_participants')]).toEqual([0, 0]);
  });

  it('counts socket events by event and result code, joins by result and relayed signals', async () => {
    const [a, b, c] = [await open(), await open(), await open()];
    const before = await scrape(server);

    expect(failed(await request(a, 'signal', idOf(b), { type: 'offer' })).code).toBe('NOT_IN_CALL');
    ok(await request(a, 'join-call', ROOM));
    ok(await request(b, 'join-call', ROOM));
    expect(failed(await request(c, 'join-call', ROOM)).code).toBe('ROOM_FULL');
    ok(await request(a, 'signal', idOf(b), { type: 'offer', sdp: 'v=0' }));
    ok(await request(b, 'signal', idOf(a), { type: 'answer', sdp: 'v=0' }));
    expect(failed(await request(a, 'signal', idOf(c), { type: 'offer' })).code).toBe('NOT_IN_SAME_CALL');
    expect(failed(await request(a, 'chat-message', '')).code).toBe('VALIDATION_FAILED');
    expect(failed(await requestUnchecked(a, 'no-such-event', 1)).code).toBe('NOT_FOUND');

    const after = await scrape(server);
    const events = (event: string, result: string) => after.grewBy(before, 'meet_socket_events_total', { event, result });
    expect({
      signalOk: events('signal', 'ok'),
      signalNotInCall: events('signal', 'NOT_IN_CALL'),
      signalNotInSameCall: events('signal', 'NOT_IN_SAME_CALL'),
      joinOk: events('join-call', 'ok'),
      joinFull: events('join-call', 'ROOM_FULL'),
      chatInvalid: events('chat-message', 'VALIDATION_FAILED'),
      unknownEvent: events('unknown', 'NOT_FOUND'),
    }).toEqual({ signalOk: 2, signalNotInCall: 1, signalNotInSameCall: 1, joinOk: 2, joinFull: 1, chatInvalid: 1, unknownEvent: 1 });
    expect(after.grewBy(before, 'meet_call_joins_total', { result: 'ok' })).toBe(2);
    expect(after.grewBy(before, 'meet_call_joins_total', { result: 'ROOM_FULL' })).toBe(1);
    expect(after.grewBy(before, 'meet_signal_relays_total')).toBe(2);
    expect(after.text).not.toContain('no-such-event');
  });

  it('counts HTTP requests by route pattern and status with their latency, unknown paths under one label, and login outcomes', async () => {
    const user = { name: 'Meg Tric', username: 'meg', password: 'password123' };
    expect((await api(server.url, 'POST', `${USERS}/register`, { json: user })).status).toBe(201);
    const before = await scrape(server);

    expect((await api(server.url, 'POST', `${USERS}/login`, { json: { username: 'meg', password: 'wrong-password' } })).status).toBe(401);
    expect((await api(server.url, 'POST', `${USERS}/login`, { json: { username: 'meg', password: 'password123' } })).status).toBe(200);
    expect((await api(server.url, 'POST', `${USERS}/login`, { json: { username: 'meg' } })).status).toBe(400);
    expect((await api(server.url, 'GET', `${USERS}/me`)).status).toBe(401);
    expect((await api(server.url, 'GET', '/no/such/path-4a7f')).status).toBe(404);

    const after = await scrape(server);
    const requests = (method: string, route: string, status: string) => after.grewBy(before, 'meet_http_requests_total', { method, route, status });
    expect({
      loginDenied: requests('POST', `${USERS}/login`, '401'),
      loginOk: requests('POST', `${USERS}/login`, '200'),
      loginInvalid: requests('POST', `${USERS}/login`, '400'),
      meDenied: requests('GET', `${USERS}/me`, '401'),
      unknown: requests('GET', 'unmatched', '404'),
      scrape: requests('GET', '/metrics', '200'),
    }).toEqual({ loginDenied: 1, loginOk: 1, loginInvalid: 1, meDenied: 1, unknown: 1, scrape: 1 });
    expect(after.grewBy(before, 'meet_http_request_duration_seconds_count', { method: 'POST', route: `${USERS}/login` })).toBe(3);
    expect(after.grewBy(before, 'meet_http_request_duration_seconds_bucket', { method: 'POST', route: `${USERS}/login`, le: '+Inf' })).toBe(3);
    expect(after.grewBy(before, 'meet_http_request_duration_seconds_sum', { method: 'POST', route: `${USERS}/login` })).toBeGreaterThan(0);
    expect(after.text).not.toContain('path-4a7f');

    const logins = (result: string) => after.grewBy(before, 'meet_logins_total', { result });
    expect({ ok: logins('ok'), wrong: logins('INVALID_CREDENTIALS'), invalid: logins('VALIDATION_FAILED') }).toEqual({ ok: 1, wrong: 1, invalid: 1 });
  });
});

describe('GET /metrics: who may read it', () => {
  const servers: TestServer[] = [];
  const start = async (env: Record<string, string>) => {
    const server = await startTestServer(env);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.destroy()));
  });

  it.each([
    ['test', {}],
    ['production', PRODUCTION],
  ])('with METRICS_TOKEN set (%s), only that bearer token reads it; the token is never logged', async (_env, env) => {
    const server = await start({ ...env, METRICS_TOKEN: TOKEN });
    const refused: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: `Basic ${TOKEN}` }, { authorization: TOKEN }];
    for (const headers of refused) {
      const denied = await api(server.url, 'GET', '/metrics', { headers });
      expect([headers, denied.status, bodyAs(denied, errorBody).code]).toEqual([headers, 401, 'UNAUTHENTICATED']);
      expect(denied.text).not.toContain('meet_');
    }
    const allowed = await api(server.url, 'GET', '/metrics', { token: TOKEN });
    expect(allowed.status).toBe(200);
    expect(new Exposition(allowed.text).value('meet_live_calls')).toBe(0);
    expect(server.logs.join('')).not.toContain(TOKEN);
  });

  it('without METRICS_TOKEN it is open in development', async () => {
    const server = await start(DEVELOPMENT);
    expect((await api(server.url, 'GET', '/metrics')).status).toBe(200);
  });

  it.each([
    ['in production without METRICS_TOKEN', PRODUCTION],
    ['with METRICS_ENABLED=false, even with a token', { ...DEVELOPMENT, METRICS_ENABLED: 'false', METRICS_TOKEN: TOKEN }],
  ])('is an unknown route %s', async (_when, env) => {
    const server = await start(env);
    const unknown = await api(server.url, 'GET', '/no-such-route');
    for (const token of [undefined, TOKEN]) {
      const res = await api(server.url, 'GET', '/metrics', { token });
      expect(res.status).toBe(404);
      expect(bodyAs(res, errorBody)).toEqual({ ...bodyAs(unknown, errorBody), message: 'No route for GET /metrics' });
    }
  });
});
