import { z } from 'zod';
import { api, startTestServer, type TestServer } from '../support/test-server';

const requestLine = z.object({ msg: z.literal('request'), reqId: z.string(), method: z.string(), path: z.string(), status: z.number(), durationMs: z.number() });

/** What every answer carries, whatever answered it. */
function expectEdgeHeaders(headers: Headers): void {
  expect(headers.get('vary')).toBe('Origin');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
  expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
}

describe('the request edge', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.destroy());

  const linesFor = (reqId: string) =>
    server.logs.flatMap((line) => {
      const parsed = requestLine.safeParse(JSON.parse(line));
      return parsed.success && parsed.data.reqId === reqId ? [parsed.data] : [];
    });

  it.each([
    ['a route', 'GET', '/health', 200],
    ['an unknown route', 'GET', '/api/v1/nothing-here', 404],
    ['a refused body', 'POST', '/api/v1/users/login', 415],
  ])('%s: the fixed headers, Vary once, and one request line with the final status', async (_what, method, path, status) => {
    const res = await api(server.url, method, path, method === 'POST' ? { raw: 'x', headers: { 'content-type': 'text/plain' } } : {});
    expect(res.status).toBe(status);
    expectEdgeHeaders(res.headers);
    const reqId = res.headers.get('x-request-id') ?? '';
    expect(linesFor(reqId)).toEqual([expect.objectContaining({ method, path, status })]);
  });

  it('keeps a safe incoming request id and replaces one that is not', async () => {
    const kept = await api(server.url, 'GET', '/health', { headers: { 'x-request-id': 'trace-42.a_b' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-42.a_b');
    const replaced = await api(server.url, 'GET', '/health', { headers: { 'x-request-id': 'no spaces, please' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a request with an Origin still says Vary: Origin once, beside what CORS adds', async () => {
    const res = await api(server.url, 'GET', '/health', { headers: { origin: 'http://localhost:5173' } });
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });
});
