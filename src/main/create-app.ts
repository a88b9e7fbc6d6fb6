import { createServer, type Server } from 'node:http';
import type Koa from 'koa';
import { clientErrorListener } from '../adapters/http/client-error';
import { createHttpApp, type HttpAppDeps } from '../adapters/http/create-http-app';
import type { HttpState } from '../adapters/http/http-state';
import { keepAliveDrain, type KeepAliveDrain } from '../adapters/http/keep-alive-drain';
import type { AppMetrics } from '../adapters/metrics/app-metrics';
import { httpMetrics, metricsRoutes } from '../adapters/metrics/http-metrics';
import { attachRealtimeGateway, type RealtimeDeps, type RealtimeGateway } from '../adapters/realtime/realtime-gateway';
import type { RealtimeServer } from '../adapters/realtime/socket-server';

export interface AppDeps {
  http: HttpAppDeps;
  realtime: RealtimeDeps;
  /** Null: metrics are off; nothing is counted and /metrics is an unknown route. */
  metrics: AppMetrics | null;
}

export interface App {
  koa: Koa<HttpState>;
  /** Not listening yet: the caller decides where. Koa and Socket.IO share it, so one port serves both. */
  httpServer: Server;
  io: RealtimeServer;
  keepAlive: KeepAliveDrain;
  gateway: RealtimeGateway;
}

export function createApp(deps: AppDeps): App {
  const metrics = deps.metrics;
  const http = metrics ? { observe: httpMetrics(metrics.metrics), routes: metricsRoutes(metrics.metrics, metrics.access) } : undefined;
  const koa = createHttpApp(http ? { ...deps.http, metrics: http } : deps.http);
  const handle = koa.callback();
  // Koa settles every request itself (its error handling answers and logs); nothing is left to await here.
  const httpServer = createServer((request, response) => void handle(request, response));
  httpServer.on('clientError', clientErrorListener());
  // Node answers an Expect other than 100-continue with a bare 417 and no body; RFC 9110 (10.1.1) lets a server
  // ignore the expectation instead, so the request is served and every answer keeps the JSON shape.
  httpServer.on('checkExpectation', (request, response) => void handle(request, response));
  const keepAlive = keepAliveDrain(httpServer);
  const io = deps.realtime.io.attach(httpServer);
  const gateway = attachRealtimeGateway(metrics ? { ...deps.realtime, observe: metrics.metrics.observeEvent } : deps.realtime);
  return { koa, httpServer, io, keepAlive, gateway };
}
