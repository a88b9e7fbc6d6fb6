import { Router } from '@koa/router';
import type { Middleware } from 'koa';
import type { HttpState } from './http-state';
import type { Route, RouteContext, RouteTable } from './route';

/** A router serving every route of `table`; `auth` runs first on those that need a session. */
export function mountRoutes(table: RouteTable, auth: Middleware<HttpState>): Router<HttpState> {
  const router = new Router<HttpState>({ prefix: table.prefix });
  for (const route of table.routes) {
    const run = routeChain(route, auth);
    router.register(route.path, [route.method], [(ctx: RouteContext) => run(ctx)]);
  }
  return router;
}

/** What the router runs for `route`, as one function: its `before` middlewares, `auth` where needed, then the route. */
export function routeChain(route: Route, auth: Middleware<HttpState>): (ctx: RouteContext) => Promise<unknown> {
  const steps = [...(route.before ?? []), ...(route.auth ? [auth] : [])];
  if (steps.length === 0) return (ctx) => route.serve(ctx);
  const run = (ctx: RouteContext, index: number): Promise<unknown> => {
    const step = steps[index];
    if (!step) return route.serve(ctx);
    const done: unknown = step(ctx, () => run(ctx, index + 1));
    return Promise.resolve(done);
  };
  return (ctx) => run(ctx, 0);
}
