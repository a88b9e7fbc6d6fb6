import { Router } from '@koa/router';
import type { Middleware } from 'koa';
import type { HttpState } from './http-state';
import type { RouteTable } from './route';

/** A router serving every route of `table`; `auth` runs first on those that need a session. */
export function mountRoutes(table: RouteTable, auth: Middleware<HttpState>): Router<HttpState> {
  const router = new Router<HttpState>({ prefix: table.prefix });
  for (const route of table.routes) {
    const serve = (ctx: Parameters<typeof route.serve>[0]) => route.serve(ctx);
    router.register(route.path, [route.method], [...(route.before ?? []), ...(route.auth ? [auth] : []), serve]);
  }
  return router;
}
