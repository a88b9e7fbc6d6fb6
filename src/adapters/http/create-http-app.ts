import cors from '@koa/cors';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { DatabaseHealth } from '../../application/ports/database-health';
import { DomainError } from '../../domain/errors';
import { requireAuth } from './auth-middleware';
import { healthRoutes } from './health-routes';
import { iceServerRoutes, type IceServerRouteDeps } from './ice-server-routes';
import type { HttpState } from './http-state';
import { meetingRoutes, type MeetingRouteDeps } from './meeting-routes';
import { mountRoutes } from './mount-routes';
import { exactRoutes } from './exact-routes';
import type { RouteTable } from './route';
import { openApiRoutes } from './openapi-routes';
import { requestEdge, type RequestObserver } from './request-edge';
import { jsonBody } from './json-body';
import { securityHeaderList } from './security-headers';
import { userRoutes, type UserRouteUseCases } from './user-routes';
import { webApp } from './web-app';
import type { OriginPolicy } from '../origin-policy';

export interface HttpAppDeps {
  useCases: UserRouteUseCases;
  /** What /ready checks, by name. */
  readiness: Record<string, DatabaseHealth>;
  logger: Logger;
  origins: OriginPolicy;
  trustProxy: boolean;
  iceServers: IceServerRouteDeps;
  meetings: MeetingRouteDeps;
  /** `observe` is told of every request once answered; `routes` serve the metrics. Absent: metrics are off. */
  metrics?: { observe: RequestObserver; routes: RouteTable };
}

export const JSON_BODY_LIMIT = '16kb';

/** helmet's options for the API: nothing may be loaded or framed; the web app's page sets a policy of its own. */
export const API_SECURITY_HEADERS = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
};

export function createHttpApp(deps: HttpAppDeps): Koa<HttpState> {
  const app = new Koa<HttpState>({ proxy: deps.trustProxy });
  const auth = requireAuth(deps.useCases.authenticate);
  const api = [
    healthRoutes(deps.readiness),
    userRoutes(deps.useCases),
    iceServerRoutes(deps.iceServers),
    meetingRoutes(deps.meetings),
    ...(deps.metrics ? [deps.metrics.routes] : []),
  ];
  const tables = [...api, openApiRoutes(api)];
  const routers = tables.map((table) => mountRoutes(table, auth));

  const headers = securityHeaderList(API_SECURITY_HEADERS);
  // @koa/cors adds `Vary: Origin` to every response; the edge sets it with the other fixed headers.
  app.use(requestEdge({ logger: deps.logger, headers: [...headers, ['Vary', 'Origin']], observe: deps.metrics?.observe }));
  const allowOrigin = cors({
    origin: (ctx) => (deps.origins.allows(ctx.get('origin')) ? ctx.get('origin') : ''),
    credentials: true,
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Authorization', 'Content-Type'],
  });
  // Without an Origin header all @koa/cors does is that `Vary: Origin`, already set.
  app.use((ctx, next): unknown => (ctx.get('origin') === '' ? next() : allowOrigin(ctx, next)));
  // After the security headers: the page replaces the API's strict policy with its own.
  app.use(webApp());
  app.use(jsonBody(JSON_BODY_LIMIT));
  app.use(exactRoutes(tables, routers, auth));
  routers.forEach((router) => app.use(router.routes()));
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      throw new DomainError('NOT_FOUND', `No route for ${ctx.method} ${ctx.path}`);
    }
  });

  // Errors past the middleware (socket resets, aborted requests) are logged, never crash the process.
  app.on('error', (error: Error) => deps.logger.warn({ err: error.message }, 'http connection error'));
  return app;
}
