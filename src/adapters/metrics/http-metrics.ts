import httpStatus from 'http-status';
import { z } from 'zod';
import { DomainError, ERROR_CODES, type ErrorCode } from '../../domain/errors';
import type { RequestObserver } from '../http/request-edge';
import { route, type RouteTable } from '../http/route';
import { bearerMatches, type MetricsAccess } from './metrics-access';
import type { PrometheusMetrics } from './prometheus-metrics';

/** Requests that matched no route, or were refused before routing (a malformed body): never the raw URL. */
const UNMATCHED = 'unmatched';
const LOGIN_ROUTE = '/api/v1/users/login';

/**
 * Counts and times every request under its route pattern and final status; a login's result is the error code it
 * answered, or ok.
 */
export function httpMetrics(metrics: PrometheusMetrics): RequestObserver {
  return (ctx, seconds) => {
    // @koa/router sets the matched layer's pattern (prefix included) on the context.
    const matched: unknown = ctx._matchedRoute;
    const route = typeof matched === 'string' ? matched : UNMATCHED;
    metrics.observeRequest(ctx.method, route, ctx.status, seconds);
    if (route === LOGIN_ROUTE && ctx.method === 'POST') {
      metrics.observeLogin(ctx.status < 400 ? 'ok' : (errorCodeOf(ctx.body) ?? String(ctx.status)));
    }
  };
}

/** GET /metrics in the Prometheus text format, for whom `access` lets in. */
export function metricsRoutes(metrics: PrometheusMetrics, access: MetricsAccess): RouteTable {
  return {
    prefix: '',
    tag: 'operations',
    routes: [
      route({
        method: 'get',
        path: '/metrics',
        summary: 'This node’s Prometheus metrics',
        description:
          'With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it, open outside production and absent (404) in production.',
        auth: false,
        ok: { status: httpStatus.OK, description: 'Prometheus text exposition format', body: z.string(), mediaType: metrics.registry.contentType },
        errors: ['UNAUTHENTICATED'],
        handle: async ({ ctx }) => {
          if (access.kind === 'bearer' && !bearerMatches(ctx.get('authorization'), access.token)) {
            throw new DomainError('UNAUTHENTICATED', 'A valid metrics token is required');
          }
          return metrics.registry.metrics();
        },
      }),
    ],
  };
}

const isErrorCode = (value: unknown): value is ErrorCode => ERROR_CODES.some((code) => code === value);

function errorCodeOf(body: unknown): ErrorCode | undefined {
  const code: unknown = typeof body === 'object' && body !== null && 'code' in body ? body.code : undefined;
  return isErrorCode(code) ? code : undefined;
}
