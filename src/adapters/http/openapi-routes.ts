import httpStatus from 'http-status';
import { z } from 'zod';
import type { oas31 } from 'zod-openapi';
import { openApiDocument } from './openapi-document';
import { route, type RouteTable } from './route';

const documentResponse = z.custom<oas31.OpenAPIObject>().meta({ override: { type: 'object', description: 'An OpenAPI 3.1 document' } });

/** GET /api/v1/openapi.json: the document of `documented` and of itself, built once. */
export function openApiRoutes(documented: readonly RouteTable[]): RouteTable {
  const table: RouteTable = {
    prefix: '/api/v1',
    tag: 'api',
    routes: [
      route({
        method: 'get',
        path: '/openapi.json',
        summary: 'This document',
        auth: false,
        ok: { status: httpStatus.OK, description: 'The OpenAPI 3.1 document of every route', body: documentResponse },
        errors: [],
        handle: async () => document,
      }),
    ],
  };
  const document = openApiDocument([...documented, table]);
  return table;
}
