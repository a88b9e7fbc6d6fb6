import { freePort } from '../support/redis-process';
import { describeWithJanus } from '../support/janus-server';
import { api, startTestServer, type TestServer } from '../support/test-server';

describeWithJanus('a node with JANUS_URLS', (janus) => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.destroy()));
  });
  const start = async (urls: string) => {
    const server = await startTestServer({ JANUS_URLS: urls, JANUS_REQUEST_TIMEOUT: '1s' });
    servers.push(server);
    return server;
  };

  it('is ready while its Janus answers, names it (not its address) once it is gone, and answers within the timeout', async () => {
    const server = await start(janus.url());
    expect(await api(server.url, 'GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });

    await janus.kill();
    const started = Date.now();
    const ready = await api(server.url, 'GET', '/ready');
    expect(ready).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE', failing: ['janus-1'], message: 'Not answering: janus-1' } });
    expect(JSON.stringify(ready.body)).not.toContain('ws://');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('names the one of several that does not answer, and starts anyway', async () => {
    const nobody = `ws://127.0.0.1:${await freePort()}`;
    const server = await start(`${janus.url()}, ${nobody}`);
    expect(await api(server.url, 'GET', '/ready')).toMatchObject({ status: 503, body: { failing: ['janus-2'] } });
    expect(await api(server.url, 'GET', '/health')).toMatchObject({ status: 200 });
  });
});
