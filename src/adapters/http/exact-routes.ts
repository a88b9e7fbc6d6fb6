import type { Layer, Router } from '@koa/router';
import type { Middleware } from 'koa';
import type { HttpState } from './http-state';
import { routeChain } from './mount-routes';
import type { RouteContext, RouteTable } from './route';

/** A route found by its exact path: what its router would have matched, and its middlewares in one function. */
interface ExactRoute {
  path: string;
  router: Router<HttpState>;
  matched: Layer<HttpState>[];
  run: (ctx: RouteContext) => Promise<unknown>;
}

/**
 * Goes before `routers` (one per table, in order) and serves what they would for a path that only routes without
 * parameters match, each with that very path: found by its exact path and method in a map, with the context given
 * what its router would have set. @koa/router, on every request, tests every pattern of each router in turn and
 * composes the route's middlewares anew (docs/performance.md, issue 21). Anything else (a parameter, a path in
 * another case or with a trailing slash, no route at all) is passed on to the routers.
 */
export function exactRoutes(tables: readonly RouteTable[], routers: readonly Router<HttpState>[], auth: Middleware<HttpState>): Middleware<HttpState> {
  const byPath = new Map<string, Map<string, ExactRoute>>();
  const entries = tables.flatMap((table, index) => table.routes.map((route) => ({ path: `${table.prefix}${route.path}`, route, index })));
  for (const path of new Set(entries.map((entry) => entry.path))) {
    // The routes of that path in the order the routers try them, and every layer whose pattern matches the path.
    const routes = entries.filter((entry) => entry.path === path);
    const layers = routers.flatMap((router) => router.match(path, 'GET').path);
    if (layers.length !== routes.length || layers.some((layer) => layer.paramNames.length > 0 || layer.path !== path)) continue;
    const byMethod = new Map<string, ExactRoute>();
    routes.forEach(({ route, index }, at) => {
      const [layer, router] = [layers[at], routers[index]];
      if (!layer || !router) return;
      // Every router tried up to this one set what it matched of the path.
      const matched = layers.slice(0, routes.filter((other) => other.index <= index).length);
      const found = { path, router, matched, run: routeChain(route, auth) };
      // The first route of a method is the one served, as in the routers.
      for (const method of layer.methods) if (!byMethod.has(method)) byMethod.set(method, found);
    });
    byPath.set(path, byMethod);
  }
  return (ctx, next) => {
    const found = byPath.get(ctx.path)?.get(ctx.method);
    if (!found) return next();
    const { path, router, matched, run } = found;
    const params: Record<string, string> = {};
    return run(
      Object.assign(ctx, {
        matched: [...matched],
        router,
        routeMatched: true,
        _matchedRoute: path,
        routerPath: path,
        captures: [],
        params,
        request: Object.assign(ctx.request, { params }),
      }),
    );
  };
}
