import { Router } from '@koa/router';
import type { DatabaseHealth } from '../../application/ports/database-health';
import type { HttpState } from './http-state';

/** `checks`: what readiness depends on, by name (the database, and Redis in cluster mode). */
export function healthRoutes(checks: Record<string, DatabaseHealth>): Router<HttpState> {
  const router = new Router<HttpState>();

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/ready', async (ctx) => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check.isHealthy()] as const));
    const failing = results.filter(([, healthy]) => !healthy).map(([name]) => name);
    if (failing.length === 0) {
      ctx.body = { status: 'ready' };
      return;
    }
    ctx.status = 503;
    ctx.body = { code: 'SERVICE_UNAVAILABLE', message: `Not answering: ${failing.join(', ')}`, status: 'unavailable', failing };
  });

  return router;
}
