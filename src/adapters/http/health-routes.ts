import httpStatus from 'http-status';
import type { DatabaseHealth } from '../../application/ports/database-health';
import { ErrorReply, route, type RouteTable } from './route';
import { healthResponse, notReadyResponse, readyResponse } from './schemas';

/** `checks`: what readiness depends on, by name (the database, and Redis in cluster mode). */
export function healthRoutes(checks: Record<string, DatabaseHealth>): RouteTable {
  return {
    prefix: '',
    tag: 'health',
    routes: [
      route({
        method: 'get',
        path: '/health',
        summary: 'Liveness',
        auth: false,
        ok: { status: httpStatus.OK, description: 'The process runs', body: healthResponse },
        errors: [],
        handle: async () => ({ status: 'ok' as const }),
      }),

      route({
        method: 'get',
        path: '/ready',
        summary: 'Readiness',
        auth: false,
        ok: { status: httpStatus.OK, description: 'The database, Redis in cluster mode, and every Janus of JANUS_URLS answer', body: readyResponse },
        errors: [],
        errorBodies: { SERVICE_UNAVAILABLE: notReadyResponse },
        handle: async () => {
          const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check.isHealthy()] as const));
          const failing = results.filter(([, healthy]) => !healthy).map(([name]) => name);
          if (failing.length === 0) return { status: 'ready' as const };
          return new ErrorReply('SERVICE_UNAVAILABLE', {
            code: 'SERVICE_UNAVAILABLE' as const,
            message: `Not answering: ${failing.join(', ')}`,
            status: 'unavailable' as const,
            failing,
          });
        },
      }),
    ],
  };
}
