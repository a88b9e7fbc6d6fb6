import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import Koa from 'koa';
import pino from 'pino';
import type { HttpState } from '../../src/adapters/http/http-state';
import { requestEdge } from '../../src/adapters/http/request-edge';
import { securityHeaderList } from '../../src/adapters/http/security-headers';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
};

/** What helmet itself sets on a response. */
function helmetHeaders(options: HelmetOptions): Record<string, unknown> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(options)(response.req, response, () => {});
  return { ...response.getHeaders() };
}

describe('securityHeaderList, set by the request edge', () => {
  it('sets exactly the headers helmet sets, under helmet’s names, on every response', async () => {
    const app = new Koa<HttpState>();
    app.use(requestEdge({ logger: pino({ level: 'silent' }), headers: securityHeaderList(OPTIONS) }));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      for (let i = 0; i < 2; i += 1) {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        const expected = helmetHeaders(OPTIONS);
        expect(Object.keys(expected).length).toBeGreaterThan(8);
        for (const [name, value] of Object.entries(expected)) expect(response.headers.get(name)).toBe(String(value));
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses options helmet cannot apply once', () => {
    expect(() => securityHeaderList({ contentSecurityPolicy: { directives: { defaultSrc: ['not a source;'] } } })).toThrow();
  });
});
