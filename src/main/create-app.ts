import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { createHttpApp, type HttpAppDeps } from '../adapters/http/create-http-app';
import type { HttpState } from '../adapters/http/http-state';

export type AppDeps = HttpAppDeps;

export interface App {
  koa: Koa<HttpState>;
  /** Not listening yet: the caller decides where. */
  httpServer: Server;
}

export function createApp(deps: AppDeps): App {
  const koa = createHttpApp(deps);
  const httpServer = createServer(koa.callback());
  return { koa, httpServer };
}

export type { Logger };
