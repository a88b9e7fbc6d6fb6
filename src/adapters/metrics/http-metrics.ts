import { Router } from '@koa/router';
import type { Middleware } from 'koa';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../domain/errors';
import type { HttpState } from '../http/http-state';
import { bearerMatches, type MetricsAccess } from './metrics-access';
import type { PrometheusMetrics } from './prometheus-metrics';

/** Requests that matched no route, or were refused before routing (a malformed body): never the raw URL. */
const UNMATCHED = 'unmatched';
const LOGIN_ROUTE = '/api/v1/users/login';

/**
 * Counts and times every request under its route pattern and final status, so it goes first (outside the error
 * middleware); a login's result is the error code it answered, or ok.
 */
export function httpMetrics(metrics: PrometheusMetrics): Middleware<HttpState> {
  return async (ctx, next) => {
    const done = metrics.startRequest();
    try {
      await next();
    } finally {
      // @koa/router sets the matched layer's pattern (prefix included) on the context.
      const matched: unknown = ctx._matchedRoute;
      const route = typeof matched === 'string' ? matched : UNMATCHED;
      done({ method: ctx.method, route, status: ctx.status });
      if (route === LOGIN_ROUTE && ctx.method === 'POST') {
        metrics.observeLogin(ctx.status < 400 ? 'ok' : (errorCodeOf(ctx.body) ?? String(ctx.status)));
      }
    }
  };
}

/** GET /metrics in the Prometheus text format, for whom `access` lets in. */
export function metricsRoute(metrics: PrometheusMetrics, access: MetricsAccess): Router<HttpState> {
  const router = new Router<HttpState>();
  router.get('/metrics', async (ctx) => {
    if (access.kind === 'bearer' && !bearerMatches(ctx.get('authorization'), access.token)) {
      throw new DomainError('UNAUTHENTICATED', 'A valid metrics token is required');
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}

const isErrorCode = (value: unknown): value is ErrorCode => ERROR_CODES.some((code) => code === value);

function errorCodeOf(body: unknown): ErrorCode | undefined {
  const code: unknown = typeof body === 'object' && body !== null && 'code' in body ? body.code : undefined;
  return isErrorCode(code) ? code : undefined;
}
