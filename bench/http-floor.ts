/**
 * The floors for bench:http (issue 21), written the short way with the project's own libraries and nothing else:
 * no logging, helmet, CORS, metrics, validation or error table. FLOOR=bare: Koa answering `GET /health` with JSON.
 * FLOOR=short: Koa serving `GET /api/v1/users/get_all_activity?limit=20` with jose's HS256 jwtVerify, one
 * better-sqlite3 session lookup and one indexed history query, on a database it seeds (FLOOR_USER_ID's session
 * FLOOR_SESSION_ID and FLOOR_HISTORY entries) in DATA_DIR. Prints "listening on <url>" on stdout.
 *
 * FLOOR=edge (BENCH_LADDER=1): the bare floor behind the project's own request edge, to tell what each layer that
 * every response must go through costs: FLOOR_LAYERS=headers (the id and the fixed headers; the request line's
 * logger is silent), log (and the request line, as the server writes it), metrics (and the request metrics).
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { jwtVerify } from 'jose';
import Koa from 'koa';
import { API_SECURITY_HEADERS } from '../src/adapters/http/create-http-app';
import type { HttpState } from '../src/adapters/http/http-state';
import { requestEdge } from '../src/adapters/http/request-edge';
import { securityHeaderList } from '../src/adapters/http/security-headers';
import { httpMetrics } from '../src/adapters/metrics/http-metrics';
import { PrometheusMetrics } from '../src/adapters/metrics/prometheus-metrics';
import { createLogger } from '../src/main/logger';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

interface SessionRow {
  user_id: string;
}
interface HistoryRow {
  meeting_code: string;
  date: number;
}

function shortApp(): Koa {
  const db = new Database(join(env('DATA_DIR'), 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
    CREATE TABLE meeting_history (seq INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, meeting_code TEXT NOT NULL, date INTEGER NOT NULL);
    CREATE INDEX meeting_history_user_date ON meeting_history (user_id, date DESC, seq DESC);
  `);
  const userId = env('FLOOR_USER_ID');
  db.prepare('INSERT INTO sessions VALUES (?, ?, ?, NULL)').run(env('FLOOR_SESSION_ID'), userId, Date.now() + 3_600_000);
  const addHistory = db.prepare('INSERT INTO meeting_history (user_id, meeting_code, date) VALUES (?, ?, ?)');
  for (let i = 0; i < Number(env('FLOOR_HISTORY')); i += 1) addHistory.run(userId, `code-${i}`, Date.now() - i * 1000);

  const findSession = db.prepare<[string, number], SessionRow>('SELECT user_id FROM sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?');
  const history = db.prepare<[string, number], HistoryRow>(
    'SELECT meeting_code, date FROM meeting_history WHERE user_id = ? ORDER BY date DESC, seq DESC LIMIT ?',
  );
  const key = new TextEncoder().encode(env('JWT_SECRET'));
  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.path !== '/api/v1/users/get_all_activity') return;
    const token = /^Bearer (\S+)$/.exec(ctx.get('authorization'))?.[1];
    try {
      if (!token) throw new Error('no token');
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: 'meet-backend', audience: 'meet-clients' });
      const session = typeof payload.jti === 'string' ? findSession.get(payload.jti, Date.now()) : undefined;
      if (!session || session.user_id !== payload.sub) throw new Error('no session');
      const limit = Math.min(Number(ctx.query.limit ?? 100), 100);
      ctx.body = history.all(session.user_id, limit).map((row) => ({ meetingCode: row.meeting_code, date: new Date(row.date).toISOString() }));
    } catch {
      ctx.status = 401;
      ctx.body = { code: 'UNAUTHENTICATED' };
    }
  });
  return app;
}

function bareApp(): Koa {
  const app = new Koa();
  app.use((ctx) => {
    if (ctx.path === '/health') ctx.body = { status: 'ok' };
  });
  return app;
}

function edgeApp(layers: string): Koa<HttpState> {
  const app = new Koa<HttpState>();
  const logger = createLogger({ env: 'production', logLevel: layers === 'headers' ? 'silent' : 'info' });
  const metrics = layers === 'metrics' ? httpMetrics(new PrometheusMetrics(() => ({ calls: 0, participants: 0 }))) : undefined;
  app.use(requestEdge({ logger, headers: [...securityHeaderList(API_SECURITY_HEADERS), ['Vary', 'Origin']], observe: metrics }));
  app.use((ctx) => {
    if (ctx.path === '/health') ctx.body = { status: 'ok' };
  });
  return app;
}

const floors: Record<string, () => Koa<HttpState> | Koa> = { short: shortApp, edge: () => edgeApp(env('FLOOR_LAYERS')) };
const app = (floors[process.env.FLOOR ?? ''] ?? bareApp)();
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`floor listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
