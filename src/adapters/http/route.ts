import type { RouterContext } from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { Principal } from '../../application/use-cases/authenticate';
import type { ErrorCode } from '../../domain/errors';
import { httpStatusOf } from '../error-table';
import { validate } from '../validate';
import type { HttpState } from './http-state';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A query string or path parameters: an object whose fields are parameters. */
type ParameterSchema = z.ZodType<unknown, Record<string, unknown>>;

/** What a route reads from a request, each part validated before its handler runs. */
export interface RouteInput {
  body?: z.ZodType;
  query?: ParameterSchema;
  params?: ParameterSchema;
}

/** An error answer whose body says more than the common error body (see `errorBodies`). */
export class ErrorReply<C extends ErrorCode = ErrorCode, B = unknown> {
  constructor(
    readonly code: C,
    readonly body: B,
  ) {}
}

type ErrorBodies = Partial<Record<ErrorCode, z.ZodType>>;
type ErrorReplyOf<E extends ErrorBodies> = { [C in keyof E & ErrorCode]: ErrorReply<C, z.output<NonNullable<E[C]>>> }[keyof E & ErrorCode];

export type RouteContext = RouterContext<HttpState>;

export interface RouteRequest<I extends RouteInput> {
  input: z.output<ReturnType<typeof z.object<I>>>;
  /** Who sent the request; only on a route with `auth: true`. */
  principal: () => Principal;
  /** For what is not input (the client address); the answer is the handler's return value. */
  ctx: RouteContext;
}

/** How a route is documented: everything but its handler. */
export interface RouteDoc {
  method: Method;
  /** Below its table's prefix, in the router's syntax (`/:code`). */
  path: string;
  summary: string;
  description?: string;
  /** Needs a session token (Authorization: Bearer); refused with UNAUTHENTICATED otherwise. */
  auth: boolean;
  input?: RouteInput;
  /** `mediaType`: how `body` is sent, JSON unless said (a text answer sets it). */
  ok: { status: number; description: string; body?: z.ZodType; mediaType?: string };
  /** The errors the route's own work can answer; those every request can get are added by the document. */
  errors: readonly ErrorCode[];
  /** Error answers whose body is not the common error body, by code (these need not be in `errors` too). */
  errorBodies?: ErrorBodies;
  /** Run before auth and the handler (a rate limit, an optional session); their errors must be in `errors`. */
  before?: readonly Middleware<HttpState>[];
}

export interface Route extends RouteDoc {
  /** Validates the request, runs the handler and answers; auth has already run where `auth` is true. */
  serve: (ctx: RouteContext) => Promise<void>;
}

/** One router's routes under one prefix: what is served and what is documented are both read from here. */
export interface RouteTable {
  prefix: string;
  /** The document's tag for these routes. */
  tag: string;
  routes: readonly Route[];
}

type RouteSpec<I extends RouteInput, R extends z.ZodType, E extends ErrorBodies> = RouteDoc & {
  input?: I;
  ok: { status: number; description: string; body?: R; mediaType?: string };
  errorBodies?: E;
  /** Returns the success body, typed by `ok.body`, or one of the `errorBodies` answers. */
  handle: (request: RouteRequest<I>) => Promise<NoInfer<z.output<R> | ErrorReplyOf<E>>>;
};

/** A route whose handler is typed by its own schemas: its input by `input`, its answer by `ok.body`. */
export function route<I extends RouteInput = Record<never, never>, R extends z.ZodType = z.ZodVoid, E extends ErrorBodies = Record<never, never>>(
  spec: RouteSpec<I, R, E>,
): Route {
  const { handle, ...doc } = spec;
  const inputSchema = z.object(spec.input);
  // A route that reads nothing gets what validating any request would give it, without validating each one.
  const noInput = spec.input === undefined ? inputSchema.parse({}) : undefined;
  if (noInput) Object.freeze(noInput);
  return {
    ...doc,
    async serve(ctx) {
      // The part name (body, query, params) is not part of a field's name in error details.
      const input = noInput ?? validate(inputSchema, { body: ctx.request.body, query: ctx.query, params: ctx.params }, 1);
      const answer = await handle({ input, principal: () => principalOf(ctx), ctx });
      if (isErrorReply(answer)) {
        ctx.status = httpStatusOf(answer.code);
        ctx.body = answer.body;
        return;
      }
      ctx.status = spec.ok.status;
      if (answer === undefined) return;
      ctx.body = answer;
      if (spec.ok.mediaType) ctx.type = spec.ok.mediaType;
    },
  };
}

function isErrorReply(answer: unknown): answer is ErrorReply {
  return answer instanceof ErrorReply;
}

function principalOf(ctx: RouteContext): Principal {
  if (!ctx.state.principal) throw new Error('principal() on a route without auth');
  return ctx.state.principal;
}
