import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { startTestServer, type TestServer } from '../support/test-server';

const LOGIN = '/api/v1/users/login';
const json = { 'content-type': 'application/json' };

interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Sends bytes on a fresh TCP connection and reads everything the server answers until it closes. */
function rawExchange(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ statusLine, headers, body: body ? JSON.parse(body) : undefined });
    });
  });
}

describe('HTTP edge: bodies and requests the parsers reject', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.destroy());

  async function post(path: string, headers: Record<string, string>, body: string | Buffer) {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
    return { status: res.status, body: await res.json() };
  }
  const logLevel = z.object({ level: z.number() }).passthrough();
  const errorLogs = () => server.logs.map((line) => logLevel.parse(JSON.parse(line))).filter((line) => line.level >= 50);

  describe('compressed bodies', () => {
    it('decompresses a gzip JSON body', async () => {
      const body = gzipSync(JSON.stringify({ name: 'Zip', username: 'zipped', password: 'password123' }));
      const res = await post('/api/v1/users/register', { ...json, 'content-encoding': 'gzip' }, body);
      expect(res).toMatchObject({ status: 201, body: { user: { username: 'zipped' } } });
    });

    it('413 PAYLOAD_TOO_LARGE when a small gzip body inflates past the JSON limit', async () => {
      const bomb = gzipSync(`{"username":"${'a'.repeat(1 << 20)}"}`);
      expect(bomb.length).toBeLessThan(16 * 1024);
      const res = await post(LOGIN, { ...json, 'content-encoding': 'gzip' }, bomb);
      expect(res).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    });

    it.each([
      ['garbage as gzip', 'gzip', 'garbage bytes, not gzip'],
      ['garbage as deflate', 'deflate', 'garbage bytes, not deflate'],
      ['garbage as br', 'br', 'garbage bytes, not brotli'],
      ['truncated gzip', 'gzip', gzipSync('{"username":"ann","password":"secret"}').subarray(0, 12)],
    ])('400 MALFORMED_BODY, not 500 with a logged stack, for %s', async (_label, encoding, body) => {
      const res = await post(LOGIN, { ...json, 'content-encoding': encoding }, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 'MALFORMED_BODY', message: expect.any(String) });
      expect(errorLogs()).toEqual([]);
    });

    it('415 UNSUPPORTED_MEDIA_TYPE that names the problem for an unknown Content-Encoding', async () => {
      const res = await post(LOGIN, { ...json, 'content-encoding': 'foo' }, '{"username":"ann"}');
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('Content-Encoding') });
      expect(errorLogs()).toEqual([]);
    });
  });

  describe('requests that Node\'s HTTP parser rejects', () => {
    it.each([
      ['a non-numeric Content-Length', `POST ${LOGIN} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}`],
      ['an invalid method token', 'G@T /health HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['a bare LF inside the request line', 'GET /hea\nlth HTTP/1.1\r\nHost: x\r\n\r\n'],
    ])('400 MALFORMED_REQUEST as JSON, then close, for %s', async (_label, request) => {
      const res = await rawExchange(server.port, request);
      expect(res.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.connection).toBe('close');
      expect(res.body).toEqual({ code: 'MALFORMED_REQUEST', message: expect.any(String) });
    });

    it('431 REQUEST_HEADERS_TOO_LARGE as JSON for a header block over 16 KB', async () => {
      const res = await rawExchange(server.port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
      expect(res.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({ code: 'REQUEST_HEADERS_TOO_LARGE', message: expect.any(String) });
    });

    it('serves a request whose Expect is not 100-continue as if it had none, instead of a bare 417', async () => {
      const res = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nConnection: close\r\n\r\n');
      expect(res.statusLine).toBe('HTTP/1.1 200 OK');
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('keeps serving: a well-formed request after malformed ones still gets its answer', async () => {
      await rawExchange(server.port, 'G@T / HTTP/1.1\r\n\r\n');
      const res = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(res.statusLine).toBe('HTTP/1.1 200 OK');
      expect(res.body).toEqual({ status: 'ok' });
    });
  });
});
