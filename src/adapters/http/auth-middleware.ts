import type { Context, Middleware } from 'koa';
import type { Authenticate } from '../../application/use-cases/authenticate';
import type { HttpState } from './http-state';

/**
 * Authorization: Bearer <token>; when absent, the `token` query parameter (GET)
 * or body field (POST) that the existing front ends send.
 */
export function requireAuth(authenticate: Authenticate): Middleware<HttpState> {
  return async (ctx, next) => {
    ctx.state.principal = await authenticate.execute({ token: tokenOf(ctx) });
    await next();
  };
}

/**
 * requireAuth when `required`; otherwise a request that sends no token goes on without a principal, and one that
 * sends a token is held to it (as a socket handshake is).
 */
/** Anyone may pass; a request that carries a token is authenticated, and refused when the token is bad. */
export function optionalAuth(authenticate: Authenticate): Middleware<HttpState> {
  const auth = requireAuth(authenticate);
  return async (ctx, next) => {
    if (ctx.get('authorization') !== '' || tokenOf(ctx) !== undefined) await auth(ctx, next);
    else await next();
  };
}

function tokenOf(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  const fromQuery = ctx.query.token;
  if (typeof fromQuery === 'string' && fromQuery) return fromQuery;
  const fromBody = (ctx.request.body as { token?: unknown } | undefined)?.token;
  return typeof fromBody === 'string' && fromBody ? fromBody : undefined;
}
