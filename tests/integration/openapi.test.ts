import { Router } from '@koa/router';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type Koa from 'koa';
import { z } from 'zod';
import type { HttpState } from '../../src/adapters/http/http-state';
import { openApiPath } from '../../src/adapters/http/openapi-document';
import { connect, ok, request } from '../support/socket-client';
import { api, attendanceBody, bodyAs, loginBody, startTestServer, type ApiResponse, type TestServer } from '../support/test-server';

const DOCUMENT = '/api/v1/openapi.json';
const USERS = '/api/v1/users';
/**
 * Routes served but left out of the API document on purpose, as `METHOD /path`, each with its reason. Empty: even
 * /health and /ready are documented; a text route such as /metrics can be too (`ok.mediaType` in its table entry).
 */
const UNDOCUMENTED: readonly string[] = [];

// Loose: what is not named here is kept, for the validators to read.
const operation = z.looseObject({ responses: z.record(z.string(), z.unknown()), security: z.array(z.record(z.string(), z.array(z.string()))).optional() });
const openApiDocument = z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.record(z.string(), operation)) });

/** `METHOD /path` of every route the app's routers serve; HEAD beside GET is the router's own and not a route. */
function servedRoutes(koa: Koa<HttpState>): string[] {
  const routers = koa.middleware.flatMap((middleware) => ('router' in middleware && middleware.router instanceof Router ? [middleware.router] : []));
  return routers.flatMap((router) =>
    router.stack.flatMap((layer) =>
      layer.methods
        .filter((method) => method !== 'HEAD' || !layer.methods.includes('GET'))
        .map((method) => `${method} ${openApiPath(String(layer.path))}`),
    ),
  );
}

function documentedRoutes(document: z.output<typeof openApiDocument>): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
}

describe('GET /api/v1/openapi.json', () => {
  let server: TestServer;
  let served: ApiResponse;
  let document: z.output<typeof openApiDocument>;

  beforeAll(async () => {
    server = await startTestServer();
    served = await api(server.url, 'GET', DOCUMENT);
    document = bodyAs(served, openApiDocument);
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('is served as application/json by the running server', () => {
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json\b/);
    expect(document.openapi).toBe('3.1.0');
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('would be refused by the validator if it were broken (a response without its description)', async () => {
    const broken = structuredClone(document);
    const login = broken.paths[`${USERS}/login`]?.post;
    expect(login?.responses['200']).toBeDefined();
    if (login) login.responses['200'] = {};
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('documents every route the routers serve, with its method, and nothing they do not serve', () => {
    const routes = servedRoutes(server.app.koa).filter((route) => !UNDOCUMENTED.includes(route));
    expect(routes).toContain(`GET ${DOCUMENT}`);
    expect(routes).toContain(`POST ${USERS}/add_to_activity`);
    expect(documentedRoutes(document).sort()).toEqual(routes.sort());
  });

  it('asks for a token on the routes that need one, and only there', () => {
    const secured = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) => (op.security?.length ? [`${method.toUpperCase()} ${path}`] : [])),
    );
    expect(secured.sort()).toEqual(
      [
        ...['POST /logout', 'GET /me', 'POST /add_to_activity', 'GET /get_all_activity', 'GET /attendance'].map((route) => route.replace(' /', ` ${USERS}/`)),
        'POST /api/v1/meetings',
        'GET /api/v1/meetings',
      ].sort(),
    );
  });

  describe('real answers match the schema documented for their route and status', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');
    const call = (method: string, path: string, options?: Parameters<typeof api>[3]) => api(server.url, method, path, options);

    /** Validates `res` against the schema the document gives `method path` (without its query) for `res.status`. */
    function expectDocumented(method: string, pathAndQuery: string, res: ApiResponse): void {
      if (!ajv.getSchema('openapi')) ajv.addSchema(document, 'openapi');
      const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
      const pointer = ['paths', path, method.toLowerCase(), 'responses', String(res.status), 'content', 'application/json', 'schema'];
      const validate = ajv.getSchema(`openapi#/${pointer.map(escape).join('/')}`);
      expect({ route: `${method} ${path}`, status: res.status, documented: validate !== undefined }).toEqual({
        route: `${method} ${path}`,
        status: res.status,
        documented: true,
      });
      const valid = validate?.(res.body);
      expect({ valid, errors: validate?.errors ?? [] }).toEqual({ valid: true, errors: [] });
    }

    async function expectCall(method: string, path: string, status: number, options?: Parameters<typeof api>[3]): Promise<ApiResponse> {
      const res = await call(method, path, options);
      expect(res.status).toBe(status);
      expectDocumented(method, path, res);
      return res;
    }

    it('health, readiness and the document itself', async () => {
      await expectCall('GET', '/health', 200);
      await expectCall('GET', '/ready', 200);
      await expectCall('GET', DOCUMENT, 200);
    });

    it('an account from registration to its history', async () => {
      const ann = { name: 'Ann Lee', username: 'ann-doc', password: 'correct horse battery' };
      await expectCall('POST', `${USERS}/register`, 201, { json: ann });
      await expectCall('POST', `${USERS}/register`, 409, { json: ann });
      await expectCall('POST', `${USERS}/register`, 400, { json: { ...ann, username: 'x' } });
      await expectCall('POST', `${USERS}/register`, 400, { raw: '{"name":', headers: { 'content-type': 'application/json' } });
      await expectCall('POST', `${USERS}/register`, 415, { raw: 'name=a', headers: { 'content-type': 'text/plain' } });
      await expectCall('POST', `${USERS}/login`, 401, { json: { username: ann.username, password: 'wrong password' } });
      const token = bodyAs(await expectCall('POST', `${USERS}/login`, 200, { json: { username: ann.username, password: ann.password } }), loginBody).token;
      await expectCall('GET', `${USERS}/me`, 200, { token });
      await expectCall('GET', `${USERS}/me`, 401);
      await expectCall('POST', `${USERS}/add_to_activity`, 201, { token, json: { meeting_code: 'standup' } });
      await expectCall('GET', `${USERS}/get_all_activity?limit=5`, 200, { token });
      await expectCall('GET', `${USERS}/get_all_activity?limit=0`, 400, { token });
      const socket = await connect(server.url, { token });
      try {
        ok(await request(socket, 'join-call', 'doc-call'));
        ok(await request(socket, 'leave-call'));
      } finally {
        socket.close();
      }
      expect(bodyAs(await expectCall('GET', `${USERS}/attendance?limit=5`, 200, { token }), attendanceBody).attendance).toHaveLength(1);
      await expectCall('GET', `${USERS}/attendance?limit=101`, 400, { token });
      await expectCall('GET', `${USERS}/attendance`, 401);
      const logout = await call('POST', `${USERS}/logout`, { token });
      expect(logout.status).toBe(204);
      expect(document.paths[`${USERS}/logout`]?.post?.responses['204']).toBeDefined();
    });

    it('meetings: created, taken, listed and looked up', async () => {
      await call('POST', `${USERS}/register`, { json: { name: 'Host', username: 'host-doc', password: 'correct horse battery' } });
      const token = bodyAs(await call('POST', `${USERS}/login`, { json: { username: 'host-doc', password: 'correct horse battery' } }), loginBody).token;
      await expectCall('POST', '/api/v1/meetings', 201, { token, json: { code: 'doc-room', title: 'Docs', lobby: true } });
      await expectCall('POST', '/api/v1/meetings', 201, { token, json: {} });
      await expectCall('POST', '/api/v1/meetings', 409, { token, json: { code: 'doc-room' } });
      await expectCall('POST', '/api/v1/meetings', 400, { token, json: { code: 'Doc Room' } });
      await expectCall('POST', '/api/v1/meetings', 401, { json: { code: 'doc-room-2' } });
      await expectCall('GET', '/api/v1/meetings?limit=10', 200, { token });
      for (const [code, status] of [['doc-room', 200], ['nobody-made-this', 404], ['Not_A_Code', 400]] as const) {
        const res = await call('GET', `/api/v1/meetings/${code}`);
        expect(res.status).toBe(status);
        expectDocumented('GET', '/api/v1/meetings/{code}', res);
      }
    });
  });
});
