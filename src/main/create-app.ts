import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import { clientErrorListener } from '../adapters/http/client-error';
import { createHttpApp, type HttpAppDeps } from '../adapters/http/create-http-app';
import type { HttpState } from '../adapters/http/http-state';
import { keepAliveDrain, type KeepAliveDrain } from '../adapters/http/keep-alive-drain';
import { createRealtimeServer, type RealtimeDeps, type RealtimeServer } from '../adapters/realtime/create-realtime-server';

export interface AppDeps {
  http: HttpAppDeps;
  realtime: RealtimeDeps;
}

export interface App {
  koa: Koa<HttpState>;
  /** Not listening yet: the caller decides where. Koa and Socket.IO share it, so one port serves both. */
  httpServer: Server;
  io: RealtimeServer;
  keepAlive: KeepAliveDrain;
}

export function createApp(deps: AppDeps): App {
  const koa = createHttpApp(deps.http);
  const httpServer = createServer(koa.callback());
  httpServer.on('clientError', clientErrorListener());
  const keepAlive = keepAliveDrain(httpServer);
  const io = createRealtimeServer(httpServer, deps.realtime);
  return { koa, httpServer, io, keepAlive };
}
