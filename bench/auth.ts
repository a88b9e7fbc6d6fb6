/**
 * bench:auth — latency of authenticated requests while bcrypt is saturated by logins, beside the same
 * requests on the quiet server in the same run. The built server runs as a child process (production mode,
 * BCRYPT_ROUNDS=12) and is driven over loopback by fetch and real socket.io-client sockets from this process.
 * Quiet and storm alternate for ROUNDS rounds so both see the same machine conditions; each figure is the
 * median over the rounds. Prints one JSON line per scenario. Bounded: every loop has a fixed count and a time limit.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { runBench } from './support/run-bench';
import { median, sleep, startServer } from './support/server-process';
import { medianOfRounds, round, summary, type Summary } from './support/stats';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const HANDSHAKES = Number(process.env.BENCH_HANDSHAKES ?? 150);
const STORM_LOOPS = Number(process.env.BENCH_STORM_LOOPS ?? 8);
const SCENARIO_MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADPOOL_SIZE = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
const USERS = '/api/v1/users';
const PASSWORD = 'correct horse battery staple';

/** The built server in production mode, with logins that nothing refuses: every storm login is correct. */
const startAuthServer = () =>
  startServer({
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    BCRYPT_ROUNDS: '12',
    LOGIN_MAX_FAILURES: '1000',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
    UV_THREADPOOL_SIZE: String(THREADPOOL_SIZE),
  });

async function post(url: string, body: object): Promise<{ status: number; json: { token?: string } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { token?: string } };
}

async function register(base: string, username: string): Promise<void> {
  const { status } = await post(`${base}${USERS}/register`, { name: username, username, password: PASSWORD });
  if (status !== 201) throw new Error(`register ${username}: ${status}`);
}

async function login(base: string, username: string): Promise<string> {
  const { status, json } = await post(`${base}${USERS}/login`, { username, password: PASSWORD });
  if (status !== 200 || !json.token) throw new Error(`login ${username}: ${status}`);
  return json.token;
}

/** One authenticated request: token verification, session lookup, user lookup. */
async function me(base: string, token: string): Promise<void> {
  const response = await fetch(`${base}${USERS}/me`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`/me: ${response.status}`);
}

/** Control: no token, no thread pool — shows what CPU contention alone costs. */
async function health(base: string): Promise<void> {
  const response = await fetch(`${base}/health`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`/health: ${response.status}`);
}

/** A Socket.IO connection with a token (websocket transport), until 'connect'; then closed. */
function handshake(base: string, token: string): Promise<void> {
  const socket = io(base, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  return new Promise((done, fail) => {
    socket.once('connect', () => {
      socket.close();
      done();
    });
    socket.once('connect_error', (error) => {
      socket.close();
      fail(error);
    });
  });
}

/** Sequential operations, one in flight, up to `count` or SCENARIO_MAX_SECONDS. */
async function timeEach(count: number, operation: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  const deadline = performance.now() + SCENARIO_MAX_SECONDS * 1000;
  while (samples.length < count && performance.now() < deadline) {
    const started = performance.now();
    await operation();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** STORM_LOOPS closed loops of correct-password logins: always that many bcrypt comparisons queued or running. */
function startStorm(base: string, usernames: string[]) {
  let running = true;
  let completed = 0;
  const loops = usernames.map(async (username) => {
    while (running) {
      await login(base, username);
      completed += 1;
    }
  });
  return {
    completed: () => completed,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

interface Scenario {
  name: string;
  count: number;
  operation: () => Promise<void>;
  target: boolean;
}

async function main(): Promise<void> {
  const server = await startAuthServer();
  const base = server.url;
  const reader = { token: '' };
  const scenarios: Scenario[] = [
    { name: 'me-latency', count: SAMPLES, operation: () => me(base, reader.token), target: true },
    { name: 'socket-handshake-latency', count: HANDSHAKES, operation: () => handshake(base, reader.token), target: true },
    { name: 'health-latency', count: SAMPLES, operation: () => health(base), target: false },
  ];
  const quiet = scenarios.map((): Summary[] => []);
  const storm = scenarios.map((): Summary[] => []);
  const loginRates = scenarios.map((): number[] => []);
  try {
    const stormUsers = Array.from({ length: STORM_LOOPS }, (_, i) => `storm${i}`);
    await Promise.all(['reader', ...stormUsers].map((username) => register(base, username)));
    reader.token = await login(base, 'reader');

    // Untimed warm-up so the quiet figures do not pay for JIT compilation.
    for (const scenario of scenarios) await timeEach(Math.ceil(scenario.count / 5), scenario.operation);
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const [i, scenario] of scenarios.entries()) quiet[i]!.push(summary(await timeEach(scenario.count, scenario.operation), 2));
      const logins = startStorm(base, stormUsers);
      try {
        await sleep(2000);
        for (const [i, scenario] of scenarios.entries()) {
          const loginsBefore = logins.completed();
          const started = performance.now();
          storm[i]!.push(summary(await timeEach(scenario.count, scenario.operation), 2));
          loginRates[i]!.push((logins.completed() - loginsBefore) / ((performance.now() - started) / 1000));
        }
      } finally {
        await logins.stop();
      }
    }
  } finally {
    await server.stop();
  }

  const machine = { cpus: cpus().length, node: process.version, serverUvThreadpoolSize: THREADPOOL_SIZE };
  for (const [i, scenario] of scenarios.entries()) {
    const q = medianOfRounds(quiet[i]!);
    const st = medianOfRounds(storm[i]!);
    console.log(
      JSON.stringify({
        scenario: scenario.name,
        unit: 'ms',
        setup: `one in flight; storm = ${STORM_LOOPS} concurrent correct-password login loops, BCRYPT_ROUNDS=12; median of ${ROUNDS} alternating rounds`,
        quiet: q,
        storm: st,
        p99Ratio: round(st.p99 / q.p99, 2),
        stormLoginsPerSecond: round(median(loginRates[i]!), 1),
        ...(scenario.target ? { target: 'storm p99 <= 3x quiet p99', pass: st.p99 <= 3 * q.p99 } : { note: 'control, no target' }),
        machine,
      }),
    );
  }
}

runBench(main);
