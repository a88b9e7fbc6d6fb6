import type { ParameterizedContext } from 'koa';
import { describeError } from '../error-table';
import { translateEdgeError } from './edge-errors';
import type { HttpState } from './http-state';

/** Answers what a request threw: a domain error by its code, anything else as INTERNAL, logged. */
export function answerError(ctx: ParameterizedContext<HttpState>, raw: unknown): void {
  const described = describeError(translateEdgeError(raw));
  if (described.unexpected) {
    ctx.state.log.error({ reqId: ctx.state.requestId, err: raw }, 'unhandled error');
  }
  ctx.status = described.status;
  ctx.body = described.body;
  if (described.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(described.retryAfterSeconds));
}
