import type { Middleware } from 'koa';
import { describeError } from '../error-table';
import { translateEdgeError } from './edge-errors';
import type { HttpState } from './http-state';

export function errorMiddleware(): Middleware<HttpState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (raw) {
      const described = describeError(translateEdgeError(raw));
      if (described.unexpected) {
        ctx.state.log.error({ reqId: ctx.state.requestId, err: raw }, 'unhandled error');
      }
      ctx.status = described.status;
      ctx.body = described.body;
      if (described.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(described.retryAfterSeconds));
    }
  };
}
