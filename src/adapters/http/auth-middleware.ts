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
