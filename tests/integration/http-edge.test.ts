import { gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../support/test-server';

const LOGIN = '/api/v1/users/login';
const json = { 'content-type': 'application/json' };

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
  const errorLogs = () => server.logs.map((line) => JSON.parse(line)).filter((line) => line.level >= 50);

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
});
