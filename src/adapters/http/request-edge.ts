import { randomUUID } from 'node:crypto';
import type { Middleware, ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import { answerError } from './error-answer';
import type { HttpState } from './http-state';
import { presetHeaders } from './preset-headers';
import { requestLine } from './request-line';
import type { FixedHeader } from './security-headers';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Told of every request once it is answered, with its final status, and how long it took. */
export type RequestObserver = (ctx: ParameterizedContext<HttpState>, seconds: number) => void;

export interface RequestEdgeOptions {
  /** This node's logger: `ctx.state.log`, and the request line. */
  logger: Logger;
  /** Set on every response, as they are (the security headers, `Vary: Origin`). */
  headers: readonly FixedHeader[];
  observe?: RequestObserver;
}

/**
 * What every request goes through first, in one middleware: its id (`X-Request-Id`), the fixed headers, the error
 * answer, then the metrics and one log line once it is answered. One async frame instead of four: each Koa hop was
 * a function, a promise and a bound dispatch on every request (docs/performance.md, issue 21).
 *
 * Only the path is logged: query strings may carry a token. The request line's fields are an id of safe characters,
 * the method, the path, the status and the duration, none named like the secrets the logger redacts, so it is
 * written without the redaction pass (request-line.ts: the same output, cheaper). `ctx.state.log` is the node's logger,
 * redaction included: what logs through it says `reqId` itself.
 */
export function requestEdge({ logger, headers, observe }: RequestEdgeOptions): Middleware<HttpState> {
  const logRequest = requestLine(logger);
  const preset = presetHeaders(headers);
  return async (ctx, next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger;
    preset(ctx.res, requestId);
    try {
      await next();
    } catch (raw) {
      answerError(ctx, raw);
    } finally {
      const ms = performance.now() - started;
      observe?.(ctx, ms / 1000);
      logRequest({ reqId: requestId, method: ctx.method, path: ctx.path, status: ctx.status, durationMs: Math.round(ms * 100) / 100 });
    }
  };
}
