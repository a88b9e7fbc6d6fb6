/**
 * npm run fuzz — the built server (production mode) in a child process on loopback, fed mutated HTTP requests,
 * malformed raw HTTP, and fuzzed Socket.IO traffic while two honest peers check their call. Prints one JSON line per
 * part and exits 0 only when nothing failed: no 5xx, every 4xx in the documented error shape with the table's status,
 * no INTERNAL, no lost or reordered honest message, no error log line, and the server alive throughout.
 * Bounded: FUZZ_HTTP and FUZZ_SOCKET events (10,000 each), each part stops after FUZZ_SECONDS (300) and says so.
 * FUZZ_SEED replays the same generated cases (timing still varies).
 */
import { cpus } from 'node:os';
import { fuzzHttp, type Credentials } from './fuzz-http';
import { fuzzInterleavings } from './fuzz-resume';
import { fuzzSockets } from './fuzz-socket';
import { Random } from './support/random';
import { startServer, type ServerProcess } from './support/server-process';
import { runBench } from './support/run-bench';

const HTTP_COUNT = Number(process.env.FUZZ_HTTP ?? 10_000);
const SOCKET_COUNT = Number(process.env.FUZZ_SOCKET ?? 10_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 300);
const INTERLEAVINGS = Number(process.env.FUZZ_INTERLEAVINGS ?? 100);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const JWT_SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret-fuzz';
const MAX_SOCKETS_PER_ADDRESS = 50;
const RECONNECT_GRACE_SECONDS = 3;
const MAX_PARTICIPANTS = 8;

const SERVER_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET,
  CLIENT_URL: 'http://localhost:3000',
  BCRYPT_ROUNDS: '10',
  // Raised so that fuzzed events reach the handlers; floods still go past them (RATE_LIMITED).
  RATE_LIMIT_CHAT: '100',
  RATE_LIMIT_SIGNAL: '1000',
  // Defaults, so that their refusals are exercised: 10 failed logins per address + username, 50 sockets per address.
  LOGIN_MAX_FAILURES: '10',
  MAX_SOCKETS_PER_ADDRESS: String(MAX_SOCKETS_PER_ADDRESS),
  MAX_PARTICIPANTS: String(MAX_PARTICIPANTS),
  // Short, so that the interleavings see resumes refused after it and the final probes find dropped participants gone.
  RECONNECT_GRACE: `${RECONNECT_GRACE_SECONDS}s`,
  // Join acks and GET /api/v1/ice-servers then sign TURN credentials; its default per-address limit is exercised too.
  STUN_URLS: 'stun:stun.example.com:3478',
  TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349?transport=tcp',
  TURN_SECRET: 'fuzz-turn-secret',
};

async function call(url: string, path: string, body: object): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function setUp(server: ServerProcess): Promise<{ credentials: Credentials; login: () => Promise<string> }> {
  const honest = { name: 'Honest Fuzz', username: `honest${SEED}`, password: 'honest password 1' };
  const victim = { name: 'Victim Fuzz', username: 'victim', password: 'victim password 1' };
  for (const user of [honest, victim]) {
    const res = await call(server.url, '/api/v1/users/register', user);
    if (res.status !== 201) throw new Error(`register ${user.username}: ${res.status} ${JSON.stringify(res.json)}`);
  }
  const login = async () => {
    const res = await call(server.url, '/api/v1/users/login', { username: honest.username, password: honest.password });
    if (res.status !== 200 || typeof res.json.token !== 'string') throw new Error(`login: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json.token;
  };
  const token = await login();
  const me = await fetch(`${server.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } });
  const { user } = (await me.json()) as { user: { id: string } };
  return { credentials: { token, userId: user.id, honest, victim }, login };
}

/** Log lines at error level and stray output since `mark`, charged to the part that just ran. */
function serverChecks(server: ServerProcess, mark: { errors: number; stray: number }) {
  const errorLines = server.log.errorCount - mark.errors;
  const strayLines = server.log.stray.length - mark.stray;
  const failures: string[] = [];
  if (errorLines > 0) failures.push(`${errorLines} server log lines at level >= 50: ${server.log.errors.slice(mark.errors, mark.errors + 3).join(' | ')}`);
  if (strayLines > 0) failures.push(`${strayLines} stray server output lines: ${server.log.stray.slice(mark.stray, mark.stray + 3).join(' | ')}`);
  if (server.exited !== null) failures.push(`server process exited (${server.exited})`);
  mark.errors = server.log.errorCount;
  mark.stray = server.log.stray.length;
  return { errorLines, strayLines, alive: server.exited === null, failures };
}

async function main(): Promise<boolean> {
  const random = new Random(SEED);
  const machine = { cpus: cpus().length, node: process.version };
  const server = await startServer(SERVER_ENV);
  const mark = { errors: 0, stray: 0 };
  let clean = true;
  try {
    const { credentials, login } = await setUp(server);

    let started = Date.now();
    const http = await fuzzHttp({ url: server.url, port: server.port, count: HTTP_COUNT, deadline: started + SECONDS * 1000, random, jwtSecret: JWT_SECRET }, credentials, login);
    const httpServer = serverChecks(server, mark);
    // The fuzz never logged this session out: it must still work.
    const still = await fetch(`${server.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${credentials.token}` } }).catch(() => null);
    if (still?.status !== 200) httpServer.failures.push(`the fuzz session's token stopped working (${still?.status ?? 'no answer'})`);
    const httpFailures = http.failures + httpServer.failures.length;
    const httpDone = http.requests + http.rawRequests;
    console.log(
      JSON.stringify({
        part: 'http',
        seed: SEED,
        requests: httpDone,
        viaHttpClient: http.requests,
        rawOverNet: http.rawRequests,
        durationMs: Date.now() - started,
        stoppedEarly: httpDone < HTTP_COUNT ? `time limit FUZZ_SECONDS=${SECONDS} reached after ${httpDone} of ${HTTP_COUNT}` : false,
        byStatus: http.byStatus,
        byCode: http.byCode,
        other: http.raw,
        server: { errorLogLines: httpServer.errorLines, strayOutputLines: httpServer.strayLines, alive: httpServer.alive },
        failures: httpFailures,
        failureSamples: [...http.samples, ...httpServer.failures],
        pass: httpFailures === 0,
        machine,
      }),
    );
    clean &&= httpFailures === 0;
    if (server.exited !== null) return false;

    started = Date.now();
    const socketOptions = {
      url: server.url,
      count: SOCKET_COUNT,
      deadline: started + SECONDS * 1000,
      random,
      token: credentials.token,
      badTokens: ['garbage', `${credentials.token}x`, credentials.token.split('.').slice(0, 2).join('.'), 'a'.repeat(5000)],
      maxSocketsPerAddress: MAX_SOCKETS_PER_ADDRESS,
    };
    const sockets = await fuzzSockets(socketOptions, async (tally, show) => {
      const options = { ...socketOptions, interleavings: INTERLEAVINGS, graceMs: RECONNECT_GRACE_SECONDS * 1000, capacity: MAX_PARTICIPANTS };
      tally.interleavings = await fuzzInterleavings(options, tally, show);
    });
    const socketServer = serverChecks(server, mark);
    const socketFailures = sockets.failures + socketServer.failures.length;
    const socketDone = sockets.clientEvents + sockets.rawFrames;
    console.log(
      JSON.stringify({
        part: 'socket',
        seed: SEED,
        events: socketDone,
        viaSocketIoClient: sockets.clientEvents,
        rawFrames: sockets.rawFrames,
        durationMs: Date.now() - started,
        stoppedEarly: socketDone < SOCKET_COUNT ? `time limit FUZZ_SECONDS=${SECONDS} reached after ${socketDone} of ${SOCKET_COUNT}` : false,
        ackByCode: sockets.ackByCode,
        callErrorByCode: sockets.callErrorByCode,
        connect: sockets.connectAnswers,
        disconnects: sockets.disconnects,
        raw: { ackByCode: sockets.rawAckByCode, callErrorByCode: sockets.rawCallErrorByCode, connect: sockets.rawConnectAnswers, closes: sockets.rawCloses },
        unanswered: sockets.unanswered,
        addressLimit: sockets.addressLimit,
        honestPeers: sockets.honest,
        interleavings: sockets.interleavings,
        kinds: sockets.kinds,
        server: { errorLogLines: socketServer.errorLines, strayOutputLines: socketServer.strayLines, alive: socketServer.alive },
        failures: socketFailures,
        failureSamples: [...sockets.samples, ...socketServer.failures],
        pass: socketFailures === 0,
        machine,
      }),
    );
    clean &&= socketFailures === 0;
  } finally {
    await server.stop();
    console.log(JSON.stringify({ part: 'server', exit: server.exited, logLines: server.log.lines, byLevel: server.log.byLevel, warnings: server.log.warnings }));
  }
  return clean && server.exited === '0';
}

runBench(main);
