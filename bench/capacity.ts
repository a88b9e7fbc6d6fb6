/**
 * bench:capacity — how many sockets one node holds (issue 21). The built server (production, SQLite, every limit at
 * its default: MAX_SOCKETS=auto, MAX_SOCKETS_PER_ADDRESS, the event rate limits) runs as a child process; client
 * processes (support/capacity-swarm.ts) connect to it from many loopback source addresses, fewer than
 * MAX_SOCKETS_PER_ADDRESS to each. One of them holds the live calls, chatting and signalling at a steady rate; the
 * others hold idle connected guests. At each level it prints the server's RSS after a full GC and its growth per
 * socket, the event-loop delay p99 over a measuring window, and the chat and signal delivery p99 among the live
 * sockets over that window. At the node's capacity it tries to connect more: those must be refused with
 * SERVICE_UNAVAILABLE while the held ones go on chatting. Then the same climb against a bare Socket.IO server (the
 * floor, floor-server.ts) in the same run. RSS and loop delay are read the same way on both, by a preloaded probe
 * (support/memory-probe.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openFilesLimit, socketCapacity } from '../src/main/open-files';
import { runBench } from './support/run-bench';
import { cpuMicros, median, sleep, startServer, type ServerProcess } from './support/server-process';
import { round } from './support/stats';
import { SwarmReply, type SwarmCommand } from './support/swarm-protocol';
import { table } from './support/table';

const PROBE = path.join(__dirname, 'support/memory-probe.js');
const SWARM = path.join(__dirname, 'support/capacity-swarm.js');
const FLOOR = path.join(__dirname, 'floor-server.js');

/** Total sockets at which figures are taken; the node's capacity is always the last. */
const LEVELS = (process.env.BENCH_LEVELS ?? '1000,5000,10000').split(',').map(Number);
/** The server's MAX_SOCKETS; unset, its default (auto: the open-files limit less its reserve). */
const MAX_SOCKETS = process.env.BENCH_MAX_SOCKETS;
const LIVE_CALLS = Number(process.env.BENCH_LIVE_CALLS ?? 50);
const LIVE_PARTICIPANTS = Number(process.env.BENCH_LIVE_PARTICIPANTS ?? 4);
/** Per live socket: a chat a second and five signals a second, well under RATE_LIMIT_CHAT (5) and RATE_LIMIT_SIGNAL (100). */
const CHAT_EVERY_MS = Number(process.env.BENCH_CHAT_EVERY_MS ?? 1000);
const SIGNAL_EVERY_MS = Number(process.env.BENCH_SIGNAL_EVERY_MS ?? 200);
/** Measuring windows per level, each figure the median over them: a stray stall of the shared machine moves one only. */
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 5);
/** Connections tried past the capacity. */
const BEYOND = Number(process.env.BENCH_BEYOND ?? 500);
/** Sockets per client process: each has the server's open-files limit too. */
const PER_SWARM = 5000;
/** Under MAX_SOCKETS_PER_ADDRESS's default of 50, which stays on. */
const PER_ADDRESS = 40;
/** Handshakes in flight per client process. */
const PARALLEL = 50;
const FLOOR_ON = process.env.BENCH_FLOOR !== '0';
const LAG_LIMIT_MS = 50;
const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

type Reply<K extends SwarmReply['kind']> = Extract<SwarmReply, { kind: K }>;

function is<K extends SwarmReply['kind']>(reply: SwarmReply, kind: K): reply is Reply<K> {
  return reply.kind === kind;
}

/** A forked client process, one command at a time. */
class Swarm {
  private readonly child: ChildProcess;
  private waiting: { answer: (reply: SwarmReply) => void; fail: (error: Error) => void } | undefined;
  private exited: string | null = null;
  readonly pid: number;

  constructor(readonly block: number) {
    this.child = fork(SWARM, [String(block), String(PER_ADDRESS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid ?? 0;
    this.child.on('message', (raw: unknown) => {
      const parsed = SwarmReply.safeParse(raw);
      const waiting = this.waiting;
      this.waiting = undefined;
      if (!waiting) return;
      if (!parsed.success) waiting.fail(new Error(`client process ${block} answered nonsense: ${parsed.error.message}`));
      else if (parsed.data.kind === 'failed') waiting.fail(new Error(`client process ${block}: ${parsed.data.message}`));
      else waiting.answer(parsed.data);
    });
    this.child.once('exit', (code, signal) => {
      this.exited = signal ?? String(code);
      this.waiting?.fail(new Error(`client process ${block} exited with ${this.exited}`));
      this.waiting = undefined;
    });
  }

  async ask<K extends SwarmReply['kind']>(command: SwarmCommand, kind: K): Promise<Reply<K>> {
    if (this.exited !== null) throw new Error(`client process ${this.block} has exited with ${this.exited}`);
    if (this.waiting) throw new Error(`client process ${this.block} is still busy`);
    const reply = await new Promise<SwarmReply>((answer, fail) => {
      this.waiting = { answer, fail };
      this.child.send(command);
    });
    if (!is(reply, kind)) throw new Error(`client process ${this.block} answered ${reply.kind}, not ${kind}`);
    return reply;
  }

  stop(): Promise<void> {
    if (this.exited !== null) return Promise.resolve();
    return new Promise((done) => {
      this.child.once('exit', () => done());
      this.child.disconnect();
    });
  }
}

interface Memory {
  rss: number;
  heapUsed: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** Asks the preloaded probe for a reading: a full GC, then memory, and the loop delay since the previous reading. */
async function probe(server: ServerProcess): Promise<Memory> {
  const seen = server.probes.length;
  server.child.kill('SIGUSR2');
  for (let waited = 0; server.probes.length === seen; waited += 20) {
    if (waited > 30_000) throw new Error('the memory probe did not answer');
    await sleep(20);
  }
  const reading = server.probes.at(-1) ?? {};
  return { rss: reading.rss ?? NaN, heapUsed: reading.heapUsed ?? NaN, loopDelayP99Ms: reading.loopDelayP99Ms ?? NaN, loopDelayMaxMs: reading.loopDelayMaxMs ?? NaN };
}

interface Level {
  sockets: number;
  rssMB: number;
  /** (RSS − RSS before any socket) / sockets. */
  rssKBPerSocket: number;
  heapKBPerSocket: number;
  /** Over all the windows at this level. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** CPU over the window, in % of one core: the server's, and all the client processes' together. */
  cpu: { server: number; clients: number };
  /** Each the median over the windows at this level. */
  chatP99Ms: number | null;
  signalP99Ms: number | null;
  chatP50Ms: number | null;
  /** The live client process's own worst event-loop delay: when large, it, not the server, delayed deliveries. */
  clientLoopDelayMaxMs: number;
  deliveries: { chat: number; signal: number };
}

interface Climb {
  levels: Level[];
  /** Sockets held at the top. */
  held: number;
  /** Refusals on the way up, by connect_error message. */
  refusedEarly: Record<string, number>;
}

interface Clients {
  live: Swarm;
  idle: Swarm[];
  /** Connects past the capacity, from addresses of its own: a refusal there is the node's, not the address's. */
  beyond: Swarm;
}

const liveSockets = LIVE_CALLS * LIVE_PARTICIPANTS;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const progress = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

async function window(clients: Clients): Promise<Reply<'window'>> {
  const measured = await clients.live.ask({ kind: 'window', seconds: WINDOW_SECONDS }, 'window');
  if (measured.lost > 0 || Object.keys(measured.errors).length > 0) {
    throw new Error(`live traffic failed: ${measured.lost} deliveries lost, errors ${JSON.stringify(measured.errors)}`);
  }
  return measured;
}

/** Connects up to each level in turn and measures there; stops early, with what it reached, at the first refusal. */
async function climb(name: string, server: ServerProcess, levels: number[], clients: Clients): Promise<Climb> {
  await sleep(1000);
  const base = await probe(server);
  await clients.live.ask({ kind: 'live', url: server.url, calls: LIVE_CALLS, participants: LIVE_PARTICIPANTS, chatEveryMs: CHAT_EVERY_MS, signalEveryMs: SIGNAL_EVERY_MS }, 'live-ready');
  const result: Climb = { levels: [], held: liveSockets, refusedEarly: {} };
  const idleHeld = clients.idle.map(() => 0);
  for (const level of levels) {
    const idleTarget = level - liveSockets;
    const started = Date.now();
    const opened = await Promise.all(
      clients.idle.map((swarm, i) => {
        const share = Math.floor((idleTarget * (i + 1)) / clients.idle.length) - Math.floor((idleTarget * i) / clients.idle.length);
        return swarm.ask({ kind: 'open', url: server.url, count: Math.max(0, share - idleHeld[i]!), parallel: PARALLEL }, 'opened');
      }),
    );
    opened.forEach((reply, i) => {
      idleHeld[i] = reply.held;
      for (const [code, n] of Object.entries(reply.refused)) result.refusedEarly[code] = (result.refusedEarly[code] ?? 0) + n;
    });
    result.held = liveSockets + sum(idleHeld);
    progress(`${name}: ${result.held} sockets (${round((Date.now() - started) / 1000, 1)} s to connect)`);
    if (result.held < level) {
      progress(`${name}: stopped below ${level}: refused ${JSON.stringify(result.refusedEarly)}`);
      break;
    }
    await sleep(2000);
    const memory = await probe(server);
    // The probe's full GC stalls the server (at 19,000 sockets, for longer on a loaded machine): what queued behind it
    // drains before anything is timed, and no further GC is forced until the windows are over.
    await sleep(1000);
    const pids = [clients.live, ...clients.idle].map((swarm) => swarm.pid);
    const cpuBefore = { server: cpuMicros(server.pid), clients: pids.map(cpuMicros), at: performance.now() };
    const rounds: Array<Reply<'window'>> = [];
    for (let i = 0; i < WINDOWS; i += 1) rounds.push(await window(clients));
    const elapsedMicros = (performance.now() - cpuBefore.at) * 1000;
    const cpu = {
      server: round(((cpuMicros(server.pid) - cpuBefore.server) / elapsedMicros) * 100, 0),
      clients: round((pids.reduce((total, pid, i) => total + cpuMicros(pid) - cpuBefore.clients[i]!, 0) / elapsedMicros) * 100, 0),
    };
    const lag = await probe(server);
    const middle = (values: Array<number | null>) => median(values.map((value) => value ?? NaN));
    const row: Level = {
      sockets: level,
      rssMB: round(memory.rss / 2 ** 20, 1),
      rssKBPerSocket: round((memory.rss - base.rss) / level / 1024, 1),
      heapKBPerSocket: round((memory.heapUsed - base.heapUsed) / level / 1024, 1),
      loopDelayP99Ms: round(lag.loopDelayP99Ms, 1),
      loopDelayMaxMs: round(lag.loopDelayMaxMs, 1),
      cpu,
      chatP99Ms: middle(rounds.map((r) => r.chat.p99)),
      signalP99Ms: middle(rounds.map((r) => r.signal.p99)),
      chatP50Ms: middle(rounds.map((r) => r.chat.p50)),
      clientLoopDelayMaxMs: round(Math.max(...rounds.map((r) => r.loopDelayMaxMs)), 1),
      deliveries: { chat: sum(rounds.map((r) => r.chat.n)), signal: sum(rounds.map((r) => r.signal.n)) },
    };
    progress(`${name}: ${JSON.stringify(row)} chat p99s ${rounds.map((r) => r.chat.p99).join(' ')}`);
    result.levels.push(row);
  }
  return result;
}

interface Beyond {
  tried: number;
  refused: Record<string, number>;
  connected: number;
  /** The live calls' window after the refusals. */
  after: Reply<'window'>;
  health: number;
}

async function beyond(server: ServerProcess, clients: Clients): Promise<Beyond> {
  const tried = await clients.beyond.ask({ kind: 'open', url: server.url, count: BEYOND, parallel: PARALLEL }, 'opened');
  const after = await window(clients);
  const health = (await fetch(`${server.url}/health`)).status;
  return { tried: BEYOND, refused: tried.refused, connected: tried.connected, after, health };
}

async function closeAll(clients: Clients): Promise<number> {
  const replies = await Promise.all([clients.live, ...clients.idle, clients.beyond].map((swarm) => swarm.ask({ kind: 'close' }, 'closed')));
  return replies.reduce((total, reply) => total + reply.dropped, 0);
}

async function main(): Promise<boolean> {
  const openFiles = openFilesLimit();
  const capacity = socketCapacity(MAX_SOCKETS === undefined ? 'auto' : Number(MAX_SOCKETS), openFiles);
  if (!Number.isFinite(capacity)) throw new Error('no open-files limit to measure against: set BENCH_MAX_SOCKETS');
  const levels = [...LEVELS.filter((level) => level > liveSockets && level < capacity), capacity];
  const swarmCount = Math.max(1, Math.ceil((capacity - liveSockets) / PER_SWARM));
  // 127.10.x.y for the live calls, 127.11... for the idle sockets, the last block for the connections beyond.
  const clients: Clients = {
    live: new Swarm(10),
    idle: Array.from({ length: swarmCount }, (_, i) => new Swarm(11 + i)),
    beyond: new Swarm(11 + swarmCount),
  };
  const servers: ServerProcess[] = [];
  progress(`open files ${openFiles}, capacity ${capacity}, levels ${levels.join(', ')}, ${swarmCount} idle client processes`);
  try {
    const env = { NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', ...(MAX_SOCKETS ? { MAX_SOCKETS } : {}) };
    const app = await startServer(env, ['--expose-gc', '-r', PROBE]);
    servers.push(app);
    const appClimb = await climb('app', app, levels, clients);
    const past = appClimb.held === capacity ? await beyond(app, clients) : null;
    const dropped = await closeAll(clients);
    const appLog = { errors: app.log.errorCount, exited: app.exited, firstErrors: app.log.errors.slice(0, 3), stray: app.log.stray.slice(0, 3) };
    await app.stop();

    let floorClimb: Climb | null = null;
    if (FLOOR_ON) {
      const floor = await startServer({}, ['--expose-gc', '-r', PROBE], FLOOR);
      servers.push(floor);
      floorClimb = await climb('floor', floor, levels, clients);
      await closeAll(clients);
      await floor.stop();
    }
    return report({ capacity, openFiles, app: appClimb, floor: floorClimb, past, dropped, appLog });
  } finally {
    await Promise.all([...servers.map((server) => server.stop()), clients.live.stop(), clients.beyond.stop(), ...clients.idle.map((swarm) => swarm.stop())]);
  }
}

interface Outcome {
  capacity: number;
  openFiles: number | null;
  app: Climb;
  floor: Climb | null;
  past: Beyond | null;
  dropped: number;
  appLog: { errors: number; exited: string | null; firstErrors: string[]; stray: string[] };
}

function report(outcome: Outcome): boolean {
  const { app, floor, past, capacity } = outcome;
  const floorAt = (sockets: number) => floor?.levels.find((level) => level.sockets === sockets);
  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '-' : value);
  const rows = app.levels.map((level) => {
    const bare = floorAt(level.sockets);
    return [
      level.sockets,
      level.rssMB,
      cell(bare?.rssMB),
      level.rssKBPerSocket,
      cell(bare?.rssKBPerSocket),
      level.heapKBPerSocket,
      level.loopDelayP99Ms,
      cell(bare?.loopDelayP99Ms),
      cell(level.chatP99Ms),
      cell(bare?.chatP99Ms),
      cell(level.signalP99Ms),
      cell(bare?.signalP99Ms),
    ];
  });
  const headers = ['sockets', 'RSS MB', 'floor', 'KB/socket', 'floor', 'heap KB/socket', 'loop p99 ms', 'floor', 'chat p99 ms', 'floor', 'signal p99 ms', 'floor'];
  console.log(`\nOne node, ${liveSockets} sockets in ${LIVE_CALLS} live calls (a chat every ${CHAT_EVERY_MS} ms and a signal every ${SIGNAL_EVERY_MS} ms each), the rest idle; chat and signal p99 each the median over ${WINDOWS} windows of ${WINDOW_SECONDS} s; loop delay over all of them, as prom-client's nodejs_eventloop_lag_p99_seconds reads it (10 ms sampling interval included); floor = bare Socket.IO\n`);
  console.log(table(headers, rows));

  const first = app.levels[0];
  const top = app.levels.at(-1);
  const reached = app.held === capacity && top?.sockets === capacity;
  const chatRatio = first?.chatP99Ms && top?.chatP99Ms ? round(top.chatP99Ms / first.chatP99Ms, 2) : null;
  const worstLag = Math.max(...app.levels.map((level) => level.loopDelayP99Ms));
  const refusedCleanly =
    past !== null &&
    past.connected === 0 &&
    past.refused[SERVICE_UNAVAILABLE] === past.tried &&
    past.after.chat.n > 0 &&
    past.after.lost === 0 &&
    past.health === 200;
  const healthy = outcome.appLog.errors === 0 && outcome.appLog.exited === null && outcome.dropped === 0;
  console.log('');
  if (past) {
    console.log(
      `At ${app.held} sockets the node is full (open files ${outcome.openFiles}, MAX_SOCKETS ${MAX_SOCKETS ?? 'auto'} = ${capacity}). ` +
        `${past.tried} more connections: ${past.connected} connected, refused ${JSON.stringify(past.refused)}. ` +
        `The ${liveSockets} live sockets went on: ${past.after.chat.n} chat deliveries (p99 ${past.after.chat.p99} ms) and ${past.after.signal.n} signals (p99 ${past.after.signal.p99} ms) in ${WINDOW_SECONDS} s, none lost; /health ${past.health}. Stopping here: the node is at its ${MAX_SOCKETS === undefined ? 'open-files' : 'MAX_SOCKETS'} limit.`,
    );
  } else {
    console.log(`The node was not filled: ${app.held} of ${capacity} sockets held; refused on the way ${JSON.stringify(app.refusedEarly)}.`);
  }
  const pass = {
    reached,
    chatP99AtCapacityWithin2xOfFirstLevel: chatRatio !== null && chatRatio <= 2,
    loopDelayP99Within50ms: worstLag <= LAG_LIMIT_MS,
    refusedCleanlyAndKeptServing: refusedCleanly,
    noErrorsNoDrops: healthy,
  };
  console.log(
    JSON.stringify({
      scenario: 'capacity',
      machine: { cpus: cpus().length, memoryGB: round(totalmem() / 2 ** 30, 1), node: process.version, openFiles: outcome.openFiles },
      capacity,
      app: app.levels,
      floor: floor?.levels ?? null,
      beyond: past && { tried: past.tried, connected: past.connected, refused: past.refused, after: { chat: past.after.chat, signal: past.after.signal, lost: past.after.lost }, health: past.health },
      chatP99Ratio: chatRatio,
      worstLoopDelayP99Ms: worstLag,
      server: outcome.appLog,
      dropped: outcome.dropped,
      pass,
    }),
  );
  const passed = Object.values(pass).every(Boolean);
  console.log(passed ? 'PASS: every target met; stopped cleanly.' : `FAIL: ${Object.entries(pass).filter(([, ok]) => !ok).map(([name]) => name).join(', ')}; stopped cleanly.`);
  return passed;
}

runBench(main);
