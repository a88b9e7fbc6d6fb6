import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import { DomainError } from '../../domain/errors';

/**
 * Parses a JSON request body (strict: an object or array) up to `limit`. A request that carries content must say it
 * is JSON; one without content (every GET, an empty POST such as logout) gets the empty body the parser would have
 * given it, without the parser's content-type negotiation.
 */
export function jsonBody(limit: string): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit, strict: true });
  // Not async: a request without content is passed on without a frame of its own.
  return (ctx, next): unknown => {
    const hasContent = ctx.get('transfer-encoding') !== '' || (ctx.request.length ?? 0) > 0;
    if (!hasContent) {
      ctx.request.body = {};
      return next();
    }
    if (!ctx.request.is('application/json', '+json')) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
    }
    return parse(ctx, next);
  };
}
