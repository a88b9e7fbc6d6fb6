import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';
import { loadConfig } from '../../src/config/env';
import { startServer, type RunningServer } from '../../src/main/server';
import type { RedisServer } from './redis-process';

export interface TestServer extends RunningServer {
  dataDir: string;
  logs: string[];
  restart(): Promise<TestServer>;
  destroy(): Promise<void>;
}

/** A real server from the real composition root, on an ephemeral loopback port, with its logs captured. */
export async function startTestServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'meet-it-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'info',
    DATA_DIR: dir,
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const server = await startServer(config, pino({ level: 'info' }, sink));
  const self: TestServer = {
    ...server,
    dataDir: dir,
    logs,
    restart: async () => {
      await server.close();
      return startTestServer(env, dir);
    },
    destroy: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

/** Two nodes on one Redis, as on one machine: they share a data directory, so the SQLite file, as processes may. */
export interface TwoNodes {
  nodeA: TestServer;
  nodeB: TestServer;
  /** Stops both nodes and removes their data directory. */
  close(): Promise<void>;
}

export async function startTwoNodes(redis: RedisServer, env: Record<string, string> = {}): Promise<TwoNodes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'meet-nodes-'));
  const shared = { REDIS_URL: `redis://${redis.host}:${redis.port}`, ...env };
  const started: TestServer[] = [];
  const close = async () => {
    for (const node of started) await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    started.push(await startTestServer({ ...shared, NODE_ID: 'node-a' }, dataDir));
    started.push(await startTestServer({ ...shared, NODE_ID: 'node-b' }, dataDir));
  } catch (error) {
    await close();
    throw error;
  }
  const [nodeA, nodeB] = started as [TestServer, TestServer];
  return { nodeA, nodeB, close };
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body (undefined when not JSON); read fields through bodyAs. */
  body: unknown;
  text: string;
}

export async function api(
  base: string,
  method: string,
  path: string,
  options: { json?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The body in the shape the test expects; fails the test, naming the mismatch, when it is not. */
export function bodyAs<S extends z.ZodType>(res: ApiResponse, schema: S): z.output<S> {
  return schema.parse(res.body);
}

export const loginBody = z.object({ token: z.string(), expiresAt: z.string() });

/** Registers `username` (password `password123`) on the server at `url` and answers a session token for it. */
export async function accountToken(url: string, username: string, name: string): Promise<string> {
  await api(url, 'POST', '/api/v1/users/register', { json: { name, username, password: 'password123' } });
  const res = await api(url, 'POST', '/api/v1/users/login', { json: { username, password: 'password123' } });
  return bodyAs(res, loginBody).token;
}
export const errorBody = z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ field: z.string(), message: z.string() })).optional() });
export const historyBody = z.array(z.object({ meetingCode: z.string(), date: z.string() }));
export const attendanceBody = z.object({
  attendance: z.array(z.object({ meetingCode: z.string(), joinedAt: z.string(), leftAt: z.string(), durationSeconds: z.number() })),
});
