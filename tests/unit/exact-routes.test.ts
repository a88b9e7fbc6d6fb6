import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from '@koa/router';
import httpStatus from 'http-status';
import Koa, { type Middleware } from 'koa';
import { z } from 'zod';
import type { HttpState } from '../../src/adapters/http/http-state';
import { mountRoutes } from '../../src/adapters/http/mount-routes';
import { route, type RouteContext, type RouteTable } from '../../src/adapters/http/route';
import { exactRoutes } from '../../src/adapters/http/exact-routes';

/** What a route saw of the routing: the same with and without the exact-path map. */
const echo = (name: string) => async ({ ctx }: { ctx: RouteContext }) => ({
  name,
  matchedRoute: ctx._matchedRoute,
  routerPath: ctx.routerPath,
  routeMatched: ctx.routeMatched,
  matched: ctx.matched?.map((layer) => layer.path),
  params: ctx.params,
  requestParams: ctx.request.params,
  before: ctx.state.requestId,
});
const ok = { status: httpStatus.OK, description: 'echo', body: z.unknown() };
const get = (path: string, name: string, extra: { auth?: boolean; before?: Middleware<HttpState>[] } = {}) =>
  route({ method: 'get', path, summary: name, auth: extra.auth ?? false, before: extra.before, ok, errors: [], handle: echo(name) });

const tables: RouteTable[] = [
  { prefix: '', tag: 'a', routes: [get('/health', 'health'), get('/ready', 'ready')] },
  {
    prefix: '/api/things',
    tag: 'b',
    routes: [
      get('/list', 'list', {
        before: [
          async (ctx, next) => {
            ctx.state.requestId = 'before ran';
            await next();
          },
        ],
      }),
      get('/mine', 'mine', { auth: true }),
      // Overlapping patterns: /api/things/x/all matches both, and the first registered wins.
      get('/x/:code', 'x-code'),
      get('/x/all', 'x-all'),
      route({ method: 'post', path: '/list', summary: 'post list', auth: false, ok, errors: [], handle: echo('post-list') }),
      get('/', 'root'),
    ],
  },
];

const auth: Middleware<HttpState> = async (ctx, next) => {
  if (ctx.get('authorization') !== 'yes') {
    ctx.status = 401;
    ctx.body = { refused: true };
    return;
  }
  await next();
};

async function listen(withExact: boolean): Promise<{ server: Server; url: string; routers: Router<HttpState>[] }> {
  const app = new Koa<HttpState>();
  const routers = tables.map((table) => mountRoutes(table, auth));
  if (withExact) app.use(exactRoutes(tables, routers, auth));
  routers.forEach((router) => app.use(router.routes()));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, routers };
}

const REQUESTS: Array<[method: string, path: string, headers?: Record<string, string>]> = [
  ['GET', '/health'],
  ['HEAD', '/health'],
  ['GET', '/HEALTH'],
  ['GET', '/health/'],
  ['POST', '/health'],
  ['GET', '/ready?x=1'],
  ['GET', '/api/things/list'],
  ['POST', '/api/things/list'],
  ['GET', '/api/things/mine'],
  ['GET', '/api/things/mine', { authorization: 'yes' }],
  ['GET', '/api/things/x/all'],
  ['GET', '/api/things/x/abc'],
  ['GET', '/api/things'],
  ['GET', '/api/things/'],
  ['GET', '/nothing'],
];

describe('exactRoutes', () => {
  let plain: Awaited<ReturnType<typeof listen>>;
  let exact: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    plain = await listen(false);
    exact = await listen(true);
  });
  afterAll(async () => {
    for (const { server } of [plain, exact]) await new Promise((resolve) => server.close(resolve));
  });

  it.each(REQUESTS)('%s %s answers as the routers alone do', async (method, path, headers = {}) => {
    const answer = async (base: string) => {
      const res = await fetch(`${base}${path}`, { method, headers });
      return { status: res.status, body: await res.text() };
    };
    const expected = await answer(plain.url);
    expect(await answer(exact.url)).toEqual(expected);
  });

  it('finds a route by its exact path, without asking a router, only where no pattern with a parameter matches it', async () => {
    const matches = exact.routers.map((router) => jest.spyOn(router, 'match'));
    const routersAsked = async (method: string, path: string) => {
      matches.forEach((match) => match.mockClear());
      await fetch(`${exact.url}${path}`, { method });
      return matches.some((match) => match.mock.calls.length > 0);
    };
    const fast = [['GET', '/health'], ['HEAD', '/health'], ['GET', '/ready'], ['GET', '/api/things/list'], ['POST', '/api/things/list'], ['GET', '/api/things/mine']];
    const routed = [['GET', '/HEALTH'], ['GET', '/health/'], ['POST', '/health'], ['GET', '/api/things/x/all'], ['GET', '/api/things'], ['GET', '/nothing']];
    for (const [method = '', path = ''] of fast) expect([method, path, await routersAsked(method, path)]).toEqual([method, path, false]);
    for (const [method = '', path = ''] of routed) expect([method, path, await routersAsked(method, path)]).toEqual([method, path, true]);
  });
});
