import cors from '@koa/cors';
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import type { DatabaseHealth } from '../../application/ports/database-health';
import { DomainError } from '../../domain/errors';
import { errorMiddleware } from './error-middleware';
import { requireAuth } from './auth-middleware';
import { healthRoutes } from './health-routes';
import { iceServerRoutes, type IceServerRouteDeps } from './ice-server-routes';
import type { HttpState } from './http-state';
import { meetingRoutes, type MeetingRouteDeps } from './meeting-routes';
import { mountRoutes } from './mount-routes';
import type { RouteTable } from './route';
import { openApiRoutes } from './openapi-routes';
import { requestLogger } from './request-logger';
import { jsonBody } from './json-body';
import { securityHeaders } from './security-headers';
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
  /** `count` goes first, to see every request's final status; `routes` serve the metrics. Absent: metrics are off. */
  metrics?: { count: Middleware<HttpState>; routes: RouteTable };
}

export const JSON_BODY_LIMIT = '16kb';

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
  const routers = [...api, openApiRoutes(api)].map((table) => mountRoutes(table, auth));

  if (deps.metrics) app.use(deps.metrics.count);
  app.use(requestLogger(deps.logger));
  app.use(errorMiddleware());
  app.use(
    securityHeaders({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    }),
  );
  app.use(
    cors({
      origin: (ctx) => (deps.origins.allows(ctx.get('origin')) ? ctx.get('origin') : ''),
      credentials: true,
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Authorization', 'Content-Type'],
    }),
  );
  // After helmet: the page replaces the API's strict policy with its own.
  app.use(webApp());
  app.use(jsonBody(JSON_BODY_LIMIT));
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
