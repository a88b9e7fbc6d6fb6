import httpStatus from 'http-status';
import { z } from 'zod';
import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors';
import { errorBody, httpStatusOf } from '../error-table';
import type { Route, RouteTable } from './route';

/** Answered by the edge (require-json, the body parser) to a request that carries a body, before its route runs. */
const BODY_ERRORS: readonly ErrorCode[] = ['UNSUPPORTED_MEDIA_TYPE', 'MALFORMED_JSON', 'MALFORMED_BODY', 'PAYLOAD_TOO_LARGE'];
const METHODS_WITH_BODY = new Set(['post', 'put', 'patch']);
/** Answered by Node's HTTP parser to any request, before it reaches a route; the connection is closed after. */
const CONNECTION_ERRORS: readonly ErrorCode[] = ['MALFORMED_REQUEST', 'REQUEST_TIMEOUT', 'REQUEST_HEADERS_TOO_LARGE'];

const JSON_TYPE = 'application/json';
const SECURITY = { bearer: 'bearer', queryToken: 'queryToken' } as const;

/** The OpenAPI 3.1 document of every route in `tables`, from the tables' own schemas. */
export function openApiDocument(tables: readonly RouteTable[]): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const table of tables) {
    for (const route of table.routes) {
      const item = (paths[openApiPath(table.prefix + route.path)] ??= {});
      item[route.method] = operation(table.tag, route);
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'meet-backend HTTP API',
      version: 'v1',
      description: [
        'Accounts and meeting history. Calls, signaling and chat run over Socket.IO (docs/protocol.md).',
        `Every error answer is the same JSON body; its \`code\` is stable. Any request may also be answered ${list(CONNECTION_ERRORS)} by the HTTP parser, and ${list(['NOT_FOUND'])} when no route matches.`,
      ].join('\n\n'),
    },
    tags: tables.map((table) => ({ name: table.tag })),
    components: {
      securitySchemes: {
        [SECURITY.bearer]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `token` from login' },
        [SECURITY.queryToken]: {
          type: 'apiKey',
          in: 'query',
          name: 'token',
          description: 'For existing front ends: the token in the query string, or as `token` in a JSON body',
        },
      },
    },
    paths,
  });
}

function operation(tag: string, route: Route): ZodOpenApiOperationObject {
  const { body, query, params } = route.input ?? {};
  return {
    tags: [tag],
    summary: route.summary,
    ...(route.description && { description: route.description }),
    ...(route.auth && { security: [{ [SECURITY.bearer]: [] }, { [SECURITY.queryToken]: [] }] }),
    ...(body && { requestBody: { required: true, content: { [JSON_TYPE]: { schema: body } } } }),
    ...((query ?? params) && { requestParams: { ...(query && { query }), ...(params && { path: params }) } }),
    responses: Object.fromEntries([
      [
        route.ok.status,
        {
          description: route.ok.description,
          ...(route.ok.body && { content: { [route.ok.mediaType ?? JSON_TYPE]: { schema: route.ok.body } } }),
        },
      ],
      ...errorResponses(route),
    ]),
  };
}

/** One response per status, whose `code` lists the codes of that status this route can answer. */
function errorResponses(route: Route): Array<[number, ZodOpenApiResponseObject]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(route)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => {
    const common = codes.filter((code) => !route.errorBodies?.[code]);
    const special = codes.flatMap((code) => route.errorBodies?.[code] ?? []);
    const bodies = [...(isNonEmpty(common) ? [errorBody.extend({ code: z.enum(common) })] : []), ...special];
    const response: ZodOpenApiResponseObject = {
      description: list(codes),
      content: { [JSON_TYPE]: { schema: bodies.length === 1 && bodies[0] ? bodies[0] : z.union(bodies) } },
      ...(status === httpStatus.TOO_MANY_REQUESTS && {
        headers: { 'Retry-After': { required: true, description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } },
      }),
    };
    return [status, response];
  });
}

/** The route's own errors, and those its auth, input, body and the server itself can answer. */
function errorCodesOf(route: Route): ErrorCode[] {
  const codes = new Set<ErrorCode>([...route.errors, 'INTERNAL']);
  if (route.auth) codes.add('UNAUTHENTICATED');
  if (route.input) codes.add('VALIDATION_FAILED');
  if (METHODS_WITH_BODY.has(route.method)) BODY_ERRORS.forEach((code) => codes.add(code));
  return ERROR_CODES.filter((code) => codes.has(code) || route.errorBodies?.[code]);
}

/** Koa's `/meetings/:code` as OpenAPI's `/meetings/{code}`. */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

function list(codes: readonly ErrorCode[]): string {
  return codes.map((code) => `\`${code}\``).join(', ');
}

function isNonEmpty<T>(items: T[]): items is [T, ...T[]] {
  return items.length > 0;
}
