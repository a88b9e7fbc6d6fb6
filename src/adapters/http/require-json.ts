import type { Middleware } from 'koa';
import { DomainError } from '../../domain/errors';

/** A request that carries content must say it is JSON; an empty POST (logout) needs no type. */
export function requireJsonBody(): Middleware {
  return async (ctx, next) => {
    const hasContent = ctx.get('transfer-encoding') !== '' || (ctx.request.length ?? 0) > 0;
    if (hasContent && !ctx.request.is('application/json', '+json')) {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Request body must be application/json');
    }
    await next();
  };
}
