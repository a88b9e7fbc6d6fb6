import { Router } from '@koa/router';
import type { DatabaseHealth } from '../../application/ports/database-health';
import type { HttpState } from './http-state';

export function healthRoutes(database: DatabaseHealth): Router<HttpState> {
  const router = new Router<HttpState>();

  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/ready', async (ctx) => {
    if (await database.isHealthy()) {
      ctx.body = { status: 'ready' };
      return;
    }
    ctx.status = 503;
    ctx.body = { code: 'SERVICE_UNAVAILABLE', message: 'The database is not answering', status: 'unavailable' };
  });

  return router;
}
