import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { RawSocket } from '../support/raw-socket';
import { api, bodyAs, errorBody, historyBody, loginBody, startTestServer, type TestServer } from '../support/test-server';

const USERS = '/api/v1/users';
const ann = { name: 'Ann Lee', username: 'ann', password: 'correct horse battery' };

describe('HTTP API on the SQLite default', () => {
  let server: TestServer;
  const call = (method: string, path: string, options?: Parameters<typeof api>[3]) => api(server.url, method, path, options);

  async function registerAndLogin(user = ann): Promise<string> {
    await call('POST', `${USERS}/register`, { json: user });
    const login = await call('POST', `${USERS}/login`, { json: { username: user.username, password: user.password } });
    expect(login.status).toBe(200);
    return bodyAs(login, loginBody).token;
  }

  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_FAILURES: '3' });
  });
  afterAll(async () => {
    await server.destroy();
  });

  describe('health', () => {
    it('GET /health and /ready answer 200', async () => {
      expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await call('GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
    });

    it('every response carries security headers and a request id', async () => {
      const res = await call('GET', '/health');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('POST /register', () => {
    it('201 with the public user only', async () => {
      const res = await call('POST', `${USERS}/register`, { json: { ...ann, username: 'reg1' } });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ message: expect.any(String), user: { id: expect.any(String), name: 'Ann Lee', username: 'reg1' } });
      expect(res.text).not.toMatch(/correct horse|\$2[aby]\$/);
    });

    it('409 USERNAME_TAKEN for the same name in another case', async () => {
      await call('POST', `${USERS}/register`, { json: { ...ann, username: 'dupe' } });
      const res = await call('POST', `${USERS}/register`, { json: { ...ann, username: 'DUPE' } });
      expect(res).toMatchObject({ status: 409, body: { code: 'USERNAME_TAKEN' } });
    });

    it('400 VALIDATION_FAILED naming each bad field', async () => {
      const res = await call('POST', `${USERS}/register`, { json: { name: '', username: 'x', password: 'p'.repeat(73) } });
      expect(res.status).toBe(400);
      const error = bodyAs(res, errorBody);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details?.map((d) => d.field).sort()).toEqual(['name', 'password', 'username']);
    });

    // Existing front ends show `message` and nothing else, under the form: it must say what to fix.
    it.each([
      [{ ...ann, username: 'shortpw', password: 'abc123' }, 'password must be at least 8 bytes'],
      [{ ...ann, username: 'no spaces' }, 'username must be 3-32 characters of letters, digits, . _ -'],
      [{ ...ann, username: 'ab' }, 'username must be 3-32 characters of letters, digits, . _ -'],
      [{ ...ann, name: '   ', username: 'blankname' }, 'name must not be empty'],
      [{ ...ann, name: 'x'.repeat(101), username: 'longname' }, 'name must be at most 100 characters'],
      [{ ...ann, name: 'Ann\u0007', username: 'bellname' }, 'name must not contain control characters'],
      [{ ...ann, name: 'Mallory\u202E(guest)', username: 'rtlname' }, 'name must not contain invisible or text-direction characters'],
      [{ ...ann, name: '\uFEFFAnn\u200DLee', username: 'zwname' }, 'name must not contain invisible or text-direction characters'],
      [{ ...ann, username: 'longpw', password: 'p'.repeat(73) }, 'password must be at most 72 bytes'],
      [{ name: 'Ann', password: 'password123' }, 'username is required'],
      [{ ...ann, username: 42 }, 'username must be a string'],
      [[ann], 'request body must be a JSON object'],
    ])('400 VALIDATION_FAILED whose message names the first problem in plain words (%#: %s)', async (json, message) => {
      const res = await call('POST', `${USERS}/register`, { json });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message, details: expect.any(Array) });
    });

    it.each([
      [{ ...ann, username: 'login-nope', password: undefined }, 'password is required'],
      [{ username: '', password: 'x' }, 'username must not be empty'],
    ])('login refuses %j with a plain message', async (json, message) => {
      const res = await call('POST', `${USERS}/login`, { json });
      expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', message } });
    });

    it.each([
      [{ name: 'A', username: { $ne: null }, password: 'whatever123' }, 'username'],
      [{ name: ['A'], username: 'inj1', password: 'whatever123' }, 'name'],
      [{ name: 'A', username: 'inj2', password: { $gt: '' } }, 'password'],
      [{ name: 'A', username: "x' OR '1'='1", password: 'whatever123' }, 'username'],
    ])('400 for injection payload %j', async (json, field) => {
      const res = await call('POST', `${USERS}/register`, { json });
      expect(res.status).toBe(400);
      const error = bodyAs(res, errorBody);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details?.map((d) => d.field)).toContain(field);
    });

    it('400 for a JSON body that is not an object', async () => {
      expect((await call('POST', `${USERS}/register`, { json: [1, 2] })).body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('400 MALFORMED_JSON, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const malformed = await call('POST', `${USERS}/register`, { raw: '{"name":', headers: { 'content-type': 'application/json' } });
      expect(malformed).toMatchObject({ status: 400, body: { code: 'MALFORMED_JSON' } });
      const huge = await call('POST', `${USERS}/register`, { json: { ...ann, name: 'x'.repeat(17 * 1024) } });
      expect(huge).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
      const form = await call('POST', `${USERS}/register`, {
        raw: 'name=a&username=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    });
  });

  describe('POST /login', () => {
    it('200 with token, expiry and user; the token works for /me', async () => {
      await call('POST', `${USERS}/register`, { json: { ...ann, username: 'login1' } });
      const res = await call('POST', `${USERS}/login`, { json: { username: 'LOGIN1', password: ann.password } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        expiresAt: expect.any(String),
        user: { id: expect.any(String), name: 'Ann Lee', username: 'login1' },
      });
      const days = (Date.parse(bodyAs(res, loginBody).expiresAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.9);
      expect(days).toBeLessThanOrEqual(7);
    });

    it('401 INVALID_CREDENTIALS with the same body for unknown user and wrong password', async () => {
      await call('POST', `${USERS}/register`, { json: { ...ann, username: 'login2' } });
      const wrong = await call('POST', `${USERS}/login`, { json: { username: 'login2', password: 'wrong password' } });
      const unknown = await call('POST', `${USERS}/login`, { json: { username: 'nobody-here', password: 'wrong password' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ code: 'INVALID_CREDENTIALS', message: expect.any(String) });
      expect(unknown.body).toEqual(wrong.body);
    });

    it('429 RATE_LIMITED with Retry-After after too many failures for that username', async () => {
      await call('POST', `${USERS}/register`, { json: { ...ann, username: 'login3' } });
      for (let i = 0; i < 3; i += 1) {
        expect((await call('POST', `${USERS}/login`, { json: { username: 'login3', password: 'bad password' } })).status).toBe(401);
      }
      const limited = await call('POST', `${USERS}/login`, { json: { username: 'login3', password: ann.password } });
      expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another username from the same client is unaffected.
      await call('POST', `${USERS}/register`, { json: { ...ann, username: 'login4' } });
      expect((await call('POST', `${USERS}/login`, { json: { username: 'login4', password: ann.password } })).status).toBe(200);
    });

    it('400 for a non-string password', async () => {
      const res = await call('POST', `${USERS}/login`, { json: { username: 'login1', password: { $ne: 1 } } });
      expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    });
  });

  describe('authenticated routes', () => {
    let token: string;
    beforeAll(async () => {
      token = await registerAndLogin({ ...ann, username: 'auth1' });
    });

    it('GET /me accepts the header and the query-string token', async () => {
      expect(await call('GET', `${USERS}/me`, { token })).toMatchObject({ status: 200, body: { user: { username: 'auth1' } } });
      expect((await call('GET', `${USERS}/me?token=${token}`)).status).toBe(200);
    });

    it('401 UNAUTHENTICATED for missing, malformed, tampered, alg:none and expired tokens', async () => {
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = z
        .object({ sub: z.string(), jti: z.string(), iss: z.string(), aud: z.string() })
        .passthrough()
        .parse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
      const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const secret = readFileSync(join(server.dataDir, 'jwt-secret'), 'utf8');
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setJti(claims.jti)
        .setIssuer(claims.iss)
        .setAudience(claims.aud)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(secret));

      const attempts = [
        call('GET', `${USERS}/me`),
        call('GET', `${USERS}/me`, { headers: { authorization: 'Basic abc' } }),
        call('GET', `${USERS}/me`, { token: 'not-a-jwt' }),
        call('GET', `${USERS}/me`, { token: `${header}.${forgedPayload}.${signature}` }),
        call('GET', `${USERS}/me`, { token: `${none}.${payload}.` }),
        call('GET', `${USERS}/me`, { token: expired }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      }
    });

    it('POST /add_to_activity and GET /get_all_activity, newest first, token in body or query', async () => {
      const first = await call('POST', `${USERS}/add_to_activity`, { json: { meeting_code: 'alpha', token } });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ meeting: { meetingCode: 'alpha', date: expect.any(String) } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await call('POST', `${USERS}/add_to_activity`, { json: { meeting_code: 'beta' }, token });
      const all = await call('GET', `${USERS}/get_all_activity?token=${token}`);
      expect(all.status).toBe(200);
      expect(bodyAs(all, historyBody).map((m) => m.meetingCode)).toEqual(['beta', 'alpha']);
      const limited = await call('GET', `${USERS}/get_all_activity?limit=1`, { token });
      expect(limited.body).toHaveLength(1);
    });

    it('400 for a bad meeting code or limit, 401 without a token', async () => {
      expect(await call('POST', `${USERS}/add_to_activity`, { json: { meeting_code: '' }, token })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED', message: 'meeting code must not be empty' },
      });
      expect((await call('POST', `${USERS}/add_to_activity`, { json: { meeting_code: { $ne: 1 } }, token })).status).toBe(400);
      expect((await call('GET', `${USERS}/get_all_activity?limit=201`, { token })).body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'limit must be at most 200',
      });
      expect((await call('GET', `${USERS}/get_all_activity?limit=abc`, { token })).status).toBe(400);
      expect((await call('POST', `${USERS}/add_to_activity`, { json: { meeting_code: 'x' } })).status).toBe(401);
    });

    it('POST /logout 204 revokes that token at once, and only that one', async () => {
      const other = bodyAs(await call('POST', `${USERS}/login`, { json: { username: 'auth1', password: ann.password } }), loginBody).token;
      const session = await registerAndLogin({ ...ann, username: 'auth2' });
      expect((await call('POST', `${USERS}/logout`, { token: session })).status).toBe(204);
      expect(await call('GET', `${USERS}/me`, { token: session })).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      expect((await call('POST', `${USERS}/logout`, { token: session })).status).toBe(401);
      expect((await call('GET', `${USERS}/me`, { token: other })).status).toBe(200);
    });
  });

  it('404 NOT_FOUND as JSON for unknown routes', async () => {
    expect(await call('GET', '/api/v1/users/nope')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await call('DELETE', `${USERS}/me`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('CORS allows any origin outside production', async () => {
    const res = await call('OPTIONS', `${USERS}/login`, {
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('never logs passwords, hashes or tokens, and logs one line per request', async () => {
    const token = await registerAndLogin({ ...ann, username: 'logcheck' });
    await call('GET', `${USERS}/me?token=${token}`);
    const all = server.logs.join('');
    expect(all).not.toContain(ann.password);
    expect(all).not.toContain(token);
    expect(all).not.toMatch(/\$2[aby]\$/);
    const requestLine = z.object({ msg: z.literal('request'), method: z.string(), path: z.string(), status: z.number(), reqId: z.string(), durationMs: z.number() });
    const requestLines = server.logs.map((line) => requestLine.safeParse(JSON.parse(line))).flatMap((parsed) => (parsed.success ? [parsed.data] : []));
    expect(requestLines.at(-1)).toMatchObject({ method: 'GET', path: `${USERS}/me`, status: 200 });
  });

  it('a restart keeps registered users and their sessions', async () => {
    const token = await registerAndLogin({ ...ann, username: 'survivor' });
    server = await server.restart();
    expect((await call('GET', `${USERS}/me`, { token })).status).toBe(200);
    const login = await call('POST', `${USERS}/login`, { json: { username: 'survivor', password: ann.password } });
    expect(login.status).toBe(200);
  });
});

describe('HTTP API in production mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      NODE_ENV: 'production',
      JWT_SECRET: 'p'.repeat(40),
      BCRYPT_ROUNDS: '10',
      CLIENT_URL: 'https://meet.example,https://app.example',
    });
  });
  afterAll(() => server.destroy());

  it('CORS allows only CLIENT_URL origins, with credentials', async () => {
    const preflight = (origin: string) =>
      api(server.url, 'OPTIONS', `${USERS}/login`, { headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('https://app.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('Socket.IO follows the same CORS rule', async () => {
    const handshake = (origin: string) =>
      api(server.url, 'GET', '/socket.io/?EIO=4&transport=polling', { headers: { origin } });
    const allowed = await handshake('https://meet.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://meet.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const refused = await handshake('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a WebSocket handshake from an origin outside CLIENT_URL, and accepts one from inside', async () => {
    // Engine.IO answers a refused upgrade with 400 rather than 101 Switching Protocols.
    await expect(RawSocket.open(server.url, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 400');
    const allowed = await RawSocket.open(server.url, { origin: 'https://meet.example' });
    expect(await allowed.request('join-call', '"room-origin"')).toMatchObject({ ok: true });
    allowed.close();
  });
});

describe('HTTP API with MongoDB unreachable', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MONGODB_URI: 'mongodb://127.0.0.1:9/meet' });
  });
  afterAll(() => server.destroy());

  it('keeps running: /health 200, /ready 503, queries 500 INTERNAL without internals', async () => {
    expect((await api(server.url, 'GET', '/health')).status).toBe(200);
    expect(await api(server.url, 'GET', '/ready')).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
    const res = await api(server.url, 'POST', `${USERS}/register`, { json: ann });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'INTERNAL', message: 'Internal server error' });
    expect(res.text).not.toMatch(/mongo|stack|at \w+ \(/i);
  });
});
