/**
 * bench:http (issue 21) — HTTP throughput of the project beside floors written the short way, in one run:
 * (a) bare Koa `GET /health` answering JSON; (b) a short Koa handler with the same libraries (jose HS256 jwtVerify,
 * one better-sqlite3 session lookup, one indexed history query) serving `get_all_activity?limit=20`; (c) the built
 * server (production, SQLite, metrics on behind METRICS_TOKEN, info logging) for `/health` and an authenticated
 * `get_all_activity?limit=20` of a user with history. Each runs as its own child process; autocannon drives it
 * from this process. The four scenarios alternate for ROUNDS rounds so they share the machine's conditions; each
 * figure is the median over the rounds. Prints one JSON line per scenario, then one per target.
 *
 * BENCH_LADDER=1 adds three floors between bare Koa and the project's `/health` (bench/http-floor.ts, FLOOR=edge):
 * bare Koa behind the project's request edge with its fixed headers only, then with the request line, then with
 * the request metrics too; each alternates with the others and is printed with its ratio to bare Koa.
 *
 * BENCH_SERVER_CPUS=1 with `taskset -c 0` on the bench: the servers on one core and autocannon on the other.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { runBench } from './support/run-bench';
import { median, startServer, type ServerProcess } from './support/server-process';
import { round } from './support/stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const HISTORY = 30;
const LIMIT = 20;
const SECRET = 'bench-secret-bench-secret-bench-secret';
const FLOOR = path.join(__dirname, 'http-floor.js');
const ACTIVITY = `/api/v1/users/get_all_activity?limit=${LIMIT}`;
const LADDER = process.env.BENCH_LADDER === '1' ? ['headers', 'log', 'metrics'] : [];
const USERS = '/api/v1/users';

/** The built server as production runs it; no HTTP rate limit applies to /health or get_all_activity, so none is raised. */
const PROJECT_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: SECRET,
  METRICS_TOKEN: 'bench-metrics-token-bench',
  LOG_LEVEL: 'info',
};

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

interface Figures {
  reqPerSec: number;
  p50: number;
  p99: number;
}

async function post(url: string, body: object, token?: string): Promise<{ status: number; json: { token?: string } }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { token?: string } };
}

/** A user with HISTORY meetings on the project's server; answers its token. */
async function projectReader(base: string): Promise<string> {
  const account = { name: 'Reader', username: 'reader', password: 'correct horse battery staple' };
  if ((await post(`${base}${USERS}/register`, account)).status !== 201) throw new Error('register failed');
  const { status, json } = await post(`${base}${USERS}/login`, { username: account.username, password: account.password });
  if (status !== 200 || !json.token) throw new Error(`login failed: ${status}`);
  for (let i = 0; i < HISTORY; i += 1) {
    const added = await post(`${base}${USERS}/add_to_activity`, { meeting_code: `code-${i}` }, json.token);
    if (added.status !== 201) throw new Error(`add_to_activity failed: ${added.status}`);
  }
  return json.token;
}

/** Drives `target` for `seconds`; throws on any error or non-2xx answer, so a figure is never one of refusals. */
async function drive(target: Target, seconds: number): Promise<Figures> {
  const result = await autocannon({ url: target.url, headers: target.headers, connections: CONNECTIONS, duration: seconds });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(`${target.name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
  }
  return { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

function medianFigures(rounds: Figures[]): Figures {
  return {
    reqPerSec: round(median(rounds.map((r) => r.reqPerSec)), 0),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
  };
}

async function main(): Promise<boolean> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meet-bench-http-'));
  const servers: ServerProcess[] = [];
  try {
    const userId = randomUUID();
    const sessionId = randomUUID();
    const bare = await startServer({ FLOOR: 'bare' }, [], FLOOR);
    servers.push(bare);
    const short = await startServer(
      { FLOOR: 'short', DATA_DIR: dataDir, JWT_SECRET: SECRET, FLOOR_USER_ID: userId, FLOOR_SESSION_ID: sessionId, FLOOR_HISTORY: String(HISTORY) },
      [],
      FLOOR,
    );
    servers.push(short);
    const project = await startServer(PROJECT_ENV);
    servers.push(project);
    const ladder: Target[] = [];
    for (const layers of LADDER) {
      const floor = await startServer({ FLOOR: 'edge', FLOOR_LAYERS: layers }, [], FLOOR);
      servers.push(floor);
      ladder.push({ name: `edge-${layers}-health`, url: `${floor.url}/health`, headers: {} });
    }

    const shortToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(sessionId)
      .setIssuer('meet-backend')
      .setAudience('meet-clients')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    const projectToken = await projectReader(project.url);

    const targets: Target[] = [
      { name: 'bare-koa-health', url: `${bare.url}/health`, headers: {} },
      { name: 'project-health', url: `${project.url}/health`, headers: {} },
      { name: 'short-handler-get_all_activity', url: `${short.url}${ACTIVITY}`, headers: { authorization: `Bearer ${shortToken}` } },
      { name: 'project-get_all_activity', url: `${project.url}${ACTIVITY}`, headers: { authorization: `Bearer ${projectToken}` } },
      ...ladder,
    ];
    for (const target of targets) await drive(target, WARMUP_SECONDS);
    const rounds = targets.map((): Figures[] => []);
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [i, target] of targets.entries()) rounds[i]!.push(await drive(target, SECONDS));
    }

    const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };
    const setup = `autocannon ${CONNECTIONS} connections, ${SECONDS}s per scenario, median of ${ROUNDS} alternating rounds`;
    const figures = new Map(targets.map((target, i) => [target.name, medianFigures(rounds[i]!)]));
    for (const [name, f] of figures) {
      console.log(JSON.stringify({ scenario: name, unit: 'req/s; latency ms', ...f, setup, machine }));
    }
    const ratio = (of: string, to: string) => round(figures.get(of)!.reqPerSec / figures.get(to)!.reqPerSec, 2);
    const targetsMet = [
      { ratio: 'project get_all_activity / short handler', value: ratio('project-get_all_activity', 'short-handler-get_all_activity'), target: 1.5 },
      { ratio: 'project /health / bare Koa', value: ratio('project-health', 'bare-koa-health'), target: 0.7 },
    ].map((t) => ({ ...t, target: `>= ${t.target}x`, pass: t.value >= t.target }));
    for (const t of targetsMet) console.log(JSON.stringify(t));
    for (const { name } of ladder) console.log(JSON.stringify({ ratio: `${name} / bare Koa`, value: ratio(name, 'bare-koa-health') }));
    const errors = servers.reduce((total, server) => total + server.log.errorCount, 0);
    if (errors > 0) console.log(JSON.stringify({ serverErrors: errors, first: project.log.errors.slice(0, 3) }));
    return targetsMet.every((t) => t.pass) && errors === 0;
  } finally {
    for (const server of servers) await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
