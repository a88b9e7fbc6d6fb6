import { api, startTestServer, type TestServer } from '../support/test-server';

describe('the web app served at /', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server.destroy();
  });

  it.each(['/', '/m/standup', '/m/standup/'])('serves the page at %s under its own policy: scripts from self, sockets to self', async (path) => {
    const response = await api(server.url, 'GET', path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<script type="module" src="/main.js"></script>');
    const policy = response.headers.get('content-security-policy') ?? '';
    const host = new URL(server.url).host;
    expect(policy.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        `connect-src 'self' ws://${host} wss://${host}`,
        "media-src 'self' blob:",
        "frame-ancestors 'none'",
      ]),
    );
  });

  it('serves the bundle and its styles as built by npm run build', async () => {
    const script = await api(server.url, 'GET', '/main.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('join-call');
    const styles = await api(server.url, 'GET', '/app.css');
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it.each(['/favicon.svg', '/favicon.ico'])('serves the icon at %s (an SVG, which browsers take at either path)', async (path) => {
    const icon = await api(server.url, 'GET', path);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.text).toContain('<svg');
  });

  it('keeps the strict policy on the API and answers other paths as unknown routes', async () => {
    const health = await api(server.url, 'GET', '/health');
    expect(health.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none'");
    for (const path of ['/index.html', '/m/a/b', '/../package.json', '/main.ts']) {
      const response = await api(server.url, 'GET', path);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await api(server.url, 'POST', '/', { json: {} })).status).toBe(404);
  });
});
