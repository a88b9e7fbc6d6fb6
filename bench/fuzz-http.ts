/**
 * The HTTP half of `npm run fuzz`: mutated requests to every route through node:http, and malformed requests written
 * byte by byte over node:net. Every answer is checked against the documented error shape and the error table.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { describeError } from '../src/adapters/error-table';
import { DomainError, ERROR_CODES } from '../src/domain/errors';
import 'reflect-metadata';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/main/container';
import { EVIL_KEYS, fuzzString, fuzzValue, nestedJson, type Random } from './support/random';
import { count } from './support/server-process';

const USERS = '/api/v1/users';
const ROUTES = [
  { method: 'POST', path: `${USERS}/register`, fields: ['name', 'username', 'password'] },
  { method: 'POST', path: `${USERS}/login`, fields: ['username', 'password'] },
  { method: 'POST', path: `${USERS}/logout`, fields: ['token'] },
  { method: 'GET', path: `${USERS}/me`, fields: [] },
  { method: 'POST', path: `${USERS}/add_to_activity`, fields: ['meeting_code'] },
  { method: 'GET', path: `${USERS}/get_all_activity`, fields: [] },
  { method: 'GET', path: '/health', fields: [] },
  { method: 'GET', path: '/ready', fields: [] },
  { method: 'GET', path: '/api/v1/ice-servers', fields: [] },
  { method: 'POST', path: '/api/v1/meetings', fields: ['code', 'title', 'lobby'] },
  { method: 'GET', path: '/api/v1/meetings', fields: [] },
  { method: 'GET', path: '/api/v1/meetings/abc-defg-hij', fields: [] },
] as const;
type Route = (typeof ROUTES)[number];

const UNKNOWN_PATHS = [
  '/',
  '/api',
  `${USERS}`,
  `${USERS}/`,
  `${USERS}/me/`,
  '/API/V1/USERS/ME',
  `${USERS}/%E0%A4%A`,
  '/%',
  '/%00',
  '//health',
  '/health/../ready',
  '/socket.io',
  `${USERS}/__proto__`,
  `${USERS}/constructor`,
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'PROPFIND', 'SEARCH', 'FOO', 'TRACE'];
const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'json',
  '*/*',
  '',
];
const JSON_LIMIT = 16 * 1024;

export interface HttpFuzzOptions {
  url: string;
  port: number;
  count: number;
  deadline: number;
  random: Random;
  jwtSecret: string;
}

export interface Credentials {
  /** A logged-in account's token, never sent to logout: the fuzz uses it for authenticated routes. */
  token: string;
  userId: string;
  /** An account that only gets fresh logins (for logout) and is never sent a wrong password. */
  honest: { username: string; password: string };
  /** An account whose wrong passwords trip the login throttle (429). */
  victim: { username: string; password: string };
}

interface Outcome {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const errorBody = z.strictObject({
  code: z.enum(ERROR_CODES),
  message: z.string().min(1),
  details: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
});

export class HttpTally {
  readonly byStatus: Record<string, number> = {};
  readonly byCode: Record<string, number> = {};
  readonly byRoute: Record<string, number> = {};
  readonly raw: Record<string, number> = {};
  failures = 0;
  readonly samples: string[] = [];
  requests = 0;
  rawRequests = 0;

  fail(reason: string): void {
    this.failures += 1;
    if (this.samples.length < 20) this.samples.push(reason.slice(0, 600));
  }

  /** Counts one answer and checks it: no 5xx, 4xx only as `{code, message, details?}` with the status the table gives. */
  check(label: string, method: string, status: number, headers: IncomingHttpHeaders, body: Buffer): void {
    count(this.byStatus, String(status));
    let parsed: unknown;
    const text = body.toString('utf8');
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    // Only error answers: a meeting's own `code` is not an error code.
    const code = status >= 400 && typeof parsed === 'object' && parsed !== null && 'code' in parsed ? String(parsed.code) : undefined;
    if (code) count(this.byCode, code);
    if (status >= 500) this.fail(`${label}: ${status} ${text.slice(0, 200)}`);
    if (code === 'INTERNAL') this.fail(`${label}: INTERNAL`);
    if (status >= 400 && status < 500 && method !== 'HEAD') {
      const shape = errorBody.safeParse(parsed);
      if (!shape.success) {
        this.fail(`${label}: ${status} body is not the error shape: ${text.slice(0, 200)}`);
      } else {
        const expected = describeError(new DomainError(shape.data.code, 'x')).status;
        if (expected !== status) this.fail(`${label}: ${status} with code ${shape.data.code} (table says ${expected})`);
        if (!String(headers['content-type'] ?? '').startsWith('application/json')) this.fail(`${label}: ${status} not JSON`);
      }
    }
    // The web app's page is served outside /api, as HTML.
    const webPage = String(headers['content-type'] ?? '').startsWith('text/html') && !label.includes('/api/');
    if (webPage) count(this.raw, 'web app page');
    if (status >= 200 && status < 300 && status !== 204 && method !== 'HEAD' && parsed === undefined && !webPage) {
      this.fail(`${label}: ${status} without a JSON body`);
    }
  }
}

/** Tokens of every kind a client might send, from valid to forged. */
async function tokenKit(secret: string, credentials: Credentials) {
  const key = new TextEncoder().encode(secret);
  const now = Math.floor(Date.now() / 1000);
  const signed = (claims: { sub?: string; jti?: string; iat?: number; exp?: number; iss?: string; aud?: string }, signingKey = key) => {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' });
    if (claims.sub) jwt.setSubject(claims.sub);
    if (claims.jti) jwt.setJti(claims.jti);
    if (claims.iss) jwt.setIssuer(claims.iss);
    if (claims.aud) jwt.setAudience(claims.aud);
    if (claims.iat) jwt.setIssuedAt(claims.iat);
    if (claims.exp) jwt.setExpirationTime(claims.exp);
    return jwt.sign(signingKey);
  };
  const base = { sub: credentials.userId, jti: 'no-such-session', iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: now, exp: now + 3600 };
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const [, payload = ''] = credentials.token.split('.');
  return [
    await signed({ ...base, exp: now - 60, iat: now - 3600 }),
    await signed(base),
    await signed({ ...base, jti: undefined }),
    await signed({ ...base, iss: 'someone-else' }),
    await signed({ ...base, aud: 'someone-else' }),
    await signed(base, new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret')),
    await signed({ ...base, sub: '../../etc/passwd' }),
    `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    `${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}.${credentials.token.split('.')[2] ?? ''}`,
    `${credentials.token}x`,
    credentials.token.split('.').slice(0, 2).join('.'),
    'null',
    'undefined',
    '...',
    'a'.repeat(8000),
    '😀.😀.😀',
  ];
}

interface Case {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function bodyFor(route: Route | undefined, random: Random, credentials: Credentials, token: string | undefined): Buffer | undefined {
  const fields = route?.fields ?? [];
  const valid: Record<string, unknown> = {
    name: 'Fuzz Person',
    username: `fz${random.int(0, 1e9)}`,
    password: 'correct horse battery',
    meeting_code: `code-${random.int(0, 1000)}`,
  };
  if (route?.path.endsWith('/login')) {
    const who = random.pick([credentials.victim, { username: fuzzString(random).slice(0, 80), password: 'x' }]);
    valid.username = who.username;
    valid.password = random.chance(0.05) ? credentials.victim.password : fuzzString(random);
  }
  const shape = (): Record<string, unknown> => {
    const body: Record<string, unknown> = {};
    for (const field of fields) {
      if (random.chance(0.15)) continue;
      body[field] = random.chance(0.5) ? valid[field] : fuzzValue(random, 1);
    }
    for (let extra = random.int(0, 2); extra > 0; extra -= 1) {
      Object.defineProperty(body, random.pick(EVIL_KEYS), { value: fuzzValue(random, 2), enumerable: true, writable: true, configurable: true });
    }
    if (token !== undefined) body.token = token;
    return body;
  };
  switch (random.int(0, 9)) {
    case 0:
      return undefined;
    case 1:
      return Buffer.from(JSON.stringify(fuzzValue(random, 0, fields)) ?? 'null');
    case 2:
      return Buffer.from(random.pick(['', '{', '{"a":', '{"a":1,}', "{'a':1}", 'null', '[]', '1', '"s"', 'true', '\uFEFF{}', '{"a":NaN}', '{"a":1e999}']));
    case 3:
      return Buffer.from(nestedJson(random, random.int(100, 8000)));
    case 4: {
      // Right at the 16 KB limit: one byte under, at, and over.
      const target = JSON_LIMIT + random.int(-2, 2);
      const body = shape();
      const prefix = JSON.stringify({ ...body, pad: '' });
      const pad = 'p'.repeat(Math.max(0, target - Buffer.byteLength(prefix)));
      return Buffer.from(JSON.stringify({ ...body, pad }));
    }
    case 5:
      return random.bytes(random.int(1, 2048));
    default:
      return Buffer.from(JSON.stringify(shape()));
  }
}

function encode(body: Buffer, random: Random): { body: Buffer; encoding?: string } {
  switch (random.int(0, 12)) {
    case 0:
      return { body: gzipSync(body), encoding: 'gzip' };
    case 1:
      return { body: random.bytes(random.int(1, 200)), encoding: random.pick(['gzip', 'deflate', 'br']) };
    case 2:
      return { body: gzipSync(body).subarray(0, random.int(1, 20)), encoding: 'gzip' };
    case 3:
      return { body: gzipSync(`{"username":"${'a'.repeat(random.int(16 * 1024, 2 << 20))}"}`), encoding: 'gzip' };
    case 4:
      return { body: deflateSync(body), encoding: 'deflate' };
    case 5:
      return { body: brotliCompressSync(body), encoding: random.pick(['br', 'BR']) };
    case 6:
      return { body, encoding: random.pick(['identity', 'compress', 'gzip, gzip', 'x-gzip', 'zstd', 'gzip;q=1', '*']) };
    default:
      return { body };
  }
}

async function makeCase(random: Random, credentials: Credentials, tokens: string[], revoked: string[]): Promise<Case> {
  const route = random.chance(0.9) ? random.pick(ROUTES) : undefined;
  const path = route?.path ?? random.pick([...UNKNOWN_PATHS, `/${fuzzString(random).slice(0, 3000)}`]);
  const method = route && random.chance(0.85) ? route.method : random.pick(METHODS);
  const headers: Record<string, string> = {};
  let token: string | undefined;
  if (random.chance(0.7)) token = random.chance(0.5) ? credentials.token : random.pick([...tokens, ...revoked]);
  // The fuzz session must outlive the run: real logouts use fresh sessions (see fuzzHttp).
  if (token === credentials.token && /logout/i.test(path)) token = random.pick(tokens);
  const place = random.pick(['header', 'header', 'query', 'body', 'odd-header']);
  let query = '';
  if (token !== undefined && place === 'header') headers.authorization = `Bearer ${token}`;
  if (token !== undefined && place === 'odd-header') {
    headers.authorization = random.pick([`bearer   ${token}`, 'Bearer', `Basic ${token}`, `Bearer ${token} ${token}`, `Token ${token}`, 'Bearer \u00e9']);
  }
  if (token !== undefined && place === 'query') {
    query = random.pick([`token=${encodeURIComponent(token)}`, `token=${encodeURIComponent(token)}&token=x`, `token[]=${encodeURIComponent(token)}`, `token[a]=1`]);
  }
  if (route?.path.endsWith('get_all_activity') || random.chance(0.1)) {
    const limit = random.pick(['1', '200', '201', '0', '-1', 'abc', '1e3', '1.5', '', '%E0%A4%A', '9'.repeat(400), '1&limit=2', '0x10', ' 5']);
    query = [query, random.chance(0.8) ? `limit=${limit}` : `limit[]=1&__proto__[x]=1&constructor[prototype][y]=2`].filter(Boolean).join('&');
  }
  let body = method === 'GET' && random.chance(0.9) ? undefined : bodyFor(route, random, credentials, place === 'body' ? token : undefined);
  if (body !== undefined) {
    const encoded = encode(body, random);
    body = encoded.body;
    if (encoded.encoding) headers['content-encoding'] = encoded.encoding;
    // Framed even on GET and HEAD, where node:http would otherwise write the bytes unframed (a second, broken request).
    headers['content-length'] = String(body.length);
    const type = random.chance(0.8) ? 'application/json' : random.pick(CONTENT_TYPES);
    if (type) headers['content-type'] = type;
  }
  if (random.chance(0.1)) headers.origin = random.pick(['https://evil.example', 'null', 'http://localhost:3000']);
  if (random.chance(0.1)) headers['x-request-id'] = random.pick(['ok-id', 'a'.repeat(65), '../x', 'ü', '']);
  if (random.chance(0.05)) headers['x-forwarded-for'] = random.pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  return { label: `${method} ${path.slice(0, 60)}`, method, path: query ? `${path}?${query}` : path, headers, body };
}

function send(agent: Agent, port: number, c: Case): Promise<Outcome | Error> {
  return new Promise((resolve) => {
    let req;
    try {
      req = request({ host: '127.0.0.1', port, method: c.method, path: encodePath(c.path), headers: c.headers, agent, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', resolve);
      });
    } catch (error) {
      resolve(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    req.on('timeout', () => req.destroy(new Error('timeout: no answer in 10 s')));
    req.on('error', resolve);
    req.end(c.body);
  });
}

/** node:http refuses raw non-ASCII in a path; send it percent-encoded (still unknown to the server). */
function encodePath(path: string): string {
  return path.replace(/[^\x21-\x7e]/gu, (char) => [...Buffer.from(char)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join(''));
}

/** Malformed or borderline HTTP/1.1 written by hand. `answer`: a complete request the server must answer. */
function rawCase(random: Random, token: string): { label: string; chunks: Buffer[]; answer: boolean; end: boolean } {
  const json = '{"username":"ann","password":"secret12"}';
  const cases: Array<[string, string | Buffer, boolean]> = [
    ['content-length not a number', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n${json}`, true],
    ['negative content-length', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n${json}`, true],
    ['two content-lengths', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 40\r\n\r\n${json}`, true],
    ['content-length and chunked', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, true],
    ['bad chunk size', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n${json}\r\n0\r\n\r\n`, true],
    ['huge chunk extension', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5;${'e'.repeat(20_000)}\r\n{"a":\r\n0\r\n\r\n`, true],
    ['chunked JSON body', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${json.length.toString(16)}\r\n${json}\r\n0\r\n\r\n`, true],
    ['invalid method', `G@T /health HTTP/1.1\r\nHost: x\r\n\r\n`, true],
    ['unknown method', `BREW /health HTTP/1.1\r\nHost: x\r\n\r\n`, true],
    ['lowercase method', `get /health HTTP/1.1\r\nHost: x\r\n\r\n`, true],
    ['bare LF in request line', `GET /hea\nlth HTTP/1.1\r\nHost: x\r\n\r\n`, true],
    ['HTTP/0.9', `GET /health\r\n\r\n`, true],
    ['HTTP/2 preface', `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`, true],
    ['HTTP/9.9', `GET /health HTTP/9.9\r\nHost: x\r\n\r\n`, true],
    ['header without colon', `GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n`, true],
    ['space before colon', `GET /health HTTP/1.1\r\nHost : x\r\n\r\n`, true],
    ['obs-fold', `GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n`, true],
    ['NUL in header', `GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n`, true],
    ['oversized header', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`, true],
    ['oversized URL', `GET /${'u'.repeat(20 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`, true],
    ['many headers', `GET /health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: 1\r\n`).join('')}\r\n`, true],
    ['oversized authorization', `GET ${USERS}/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'t'.repeat(16 * 1024)}\r\n\r\n`, true],
    ['absolute-form URI', `GET http://evil.example/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, true],
    // Node closes a CONNECT without a word when nothing listens for 'connect' (this server is no proxy).
    ['CONNECT', `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n`, false],
    ['upgrade to websocket elsewhere', `GET /health HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`, false],
    ['expect 100-continue', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n${json}`, true],
    ['expect something else', `GET /health HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nConnection: close\r\n\r\n`, true],
    ['pipelined then garbage', `GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET ${USERS}/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n\u0001\u0002garbage\r\n\r\n`, true],
    ['content-length larger than body', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n${json}`, false],
    ['content-length over limit', `POST ${USERS}/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n${json}`, true],
    ['body on GET', `GET /health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\nConnection: close\r\n\r\n${json}`, true],
    ['incomplete headers', `GET /health HTTP/1.1\r\nHost: x\r\nX-A: `, false],
    ['garbage bytes', random.bytes(random.int(1, 4096)), false],
    ['garbage line', `${random.bytes(random.int(1, 200)).toString('latin1').replace(/[\r\n]/g, '')}\r\n\r\n`, true],
  ];
  const [label, text, answer] = random.pick(cases);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  // Sometimes byte by byte-ish: the parser sees the request in pieces.
  const chunks: Buffer[] = [];
  if (random.chance(0.2)) {
    for (let i = 0; i < bytes.length; i += random.int(1, 64)) chunks.push(bytes.subarray(i, i + 64));
  } else chunks.push(bytes);
  return { label, chunks, answer, end: !answer || random.chance(0.5) };
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Fewer body bytes than Content-Length: the connection was reset under it. */
  truncated: boolean;
}

/** Parses every complete response in what the server wrote (pipelined requests get several). */
function parseResponses(data: Buffer): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = data;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return answers;
    const [statusLine = '', ...lines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers: IncomingHttpHeaders = {};
    for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.subarray(end + 4, end + 4 + length);
    answers.push({ status, headers, body, truncated: body.length < length });
    rest = rest.subarray(end + 4 + length);
  }
}

function rawExchange(port: number, chunks: Buffer[], end: boolean): Promise<{ data: Buffer; timedOut: boolean; error?: string }> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let error: string | undefined;
    let timedOut = false;
    const socket = connect(port, '127.0.0.1', () => {
      const write = (i: number) => {
        if (i >= chunks.length) {
          if (end) socket.end();
          return;
        }
        socket.write(chunks[i] ?? Buffer.alloc(0), () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });
    socket.setTimeout(5000, () => {
      timedOut = true;
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (err) => (error = err.message));
    socket.on('close', () => resolve({ data: Buffer.concat(received), timedOut, error }));
  });
}

export async function fuzzHttp(options: HttpFuzzOptions, credentials: Credentials, login: () => Promise<string>): Promise<HttpTally> {
  const { random } = options;
  const tally = new HttpTally();
  const tokens = await tokenKit(options.jwtSecret, credentials);
  const revoked: string[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const rawShare = 0.1;
  let issued = 0;

  const one = async (): Promise<void> => {
    if (random.chance(rawShare)) {
      const raw = rawCase(random, credentials.token);
      tally.rawRequests += 1;
      count(tally.byRoute, `raw: ${raw.label}`);
      const result = await rawExchange(options.port, raw.chunks, raw.end);
      const answers = parseResponses(result.data);
      if (answers.length === 0) {
        count(tally.raw, result.timedOut ? 'no answer (fuzzer gave up after 5 s)' : 'closed without an answer');
        // A client that half-closes right after its request gets nothing: Node ends such a socket at once
        // (http.Server httpAllowHalfOpen is false), so only requests sent without half-closing must be answered.
        // A server that answers and closes while the request is still being written resets the connection (EPIPE
        // here), and the answer can be lost with it: counted, not failed.
        const reset = /EPIPE|ECONNRESET/.test(result.error ?? '');
        if (reset) count(tally.raw, 'reset while still writing');
        if (raw.answer && !raw.end && !reset) tally.fail(`raw ${raw.label}: no answer (${result.timedOut ? 'timeout' : (result.error ?? 'closed')})`);
      } else count(tally.raw, 'answered');
      if (process.env.FUZZ_DEBUG && answers.some((a) => a.status === 0)) console.error('status 0', raw.label, result.data.subarray(0, 300).toString());
      for (const answer of answers) {
        // The server closes a connection it answered as malformed at once; when the client is still writing, the
        // reset can cut the answer short on the client's side. Counted, not checked.
        if (answer.truncated) count(tally.raw, `answer cut short by a reset (${answer.status})`);
        else tally.check(`raw ${raw.label}`, 'RAW', answer.status, answer.headers, answer.body);
      }
      return;
    }
    const c = await makeCase(random, credentials, tokens, revoked);
    // Now and then a real logout, with a fresh session's token sent the way the case says.
    if (c.path.startsWith(`${USERS}/logout`) && c.method === 'POST' && random.chance(0.2)) {
      const fresh = await login();
      issued += 1;
      c.headers = { authorization: `Bearer ${fresh}` };
      c.body = undefined;
      revoked.push(fresh);
      if (revoked.length > 20) revoked.shift();
    }
    tally.requests += 1;
    count(tally.byRoute, `${c.method} ${c.path.split('?')[0]?.slice(0, 40) ?? ''}`);
    const result = await send(agent, options.port, c);
    if (result instanceof Error) {
      // Node's client refusing to send (invalid header), or the server closing after a parser error it answered.
      count(tally.raw, `client error: ${result.message.slice(0, 60)}`);
      if (process.env.FUZZ_DEBUG) console.error('client error', result.message, c.method, c.path.slice(0, 80), c.headers, c.body?.subarray(0, 80).toString());
      if (/timeout/.test(result.message)) tally.fail(`${c.label}: ${result.message}`);
      return;
    }
    tally.check(c.label, c.method, result.status, result.headers, result.body);
  };

  const workers = Array.from({ length: 8 }, async () => {
    while (tally.requests + tally.rawRequests < options.count && Date.now() < options.deadline) await one();
  });
  await Promise.all(workers);
  agent.destroy();
  count(tally.raw, 'fresh sessions logged out', issued);
  return tally;
}
