/**
 * bench:capacity — how many sockets one node holds (issue 21). The built server (production, SQLite, every limit at
 * its default: MAX_SOCKETS=auto, MAX_SOCKETS_PER_ADDRESS, the event rate limits) runs as a child process; client
 * processes (support/capacity-swarm.ts) connect to it from many loopback source addresses, fewer than
 * MAX_SOCKETS_PER_ADDRESS to each. One of them holds the live calls, chatting and signalling at a steady rate; the
 * others hold idle connected guests. At each level it prints the server's RSS after a full GC and its growth per
 * socket, the event-loop delay p99 over a measuring window, and the chat and signal delivery p99 among the live
 * sockets over that window. At the node's capacity it tries to connect more: those must be refused with
 * SERVICE_UNAVAILABLE while the held ones go on chatting. The same climb against a bare Socket.IO server (the
 * floor, floor-server.ts) alternates with it for BENCH_ROUNDS rounds, each climb on a fresh server, and each figure
 * printed is the median over the rounds, so that a spell of load on the shared machine moves one round of one side
 * only. RSS and loop delay are read the same way on both, by a preloaded probe (support/memory-probe.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openFilesLimit, socketCapacity } from '../src/main/open-files';
import { runBench } from './support/run-bench';
import { cpuMicros, sleep, startServer, type ServerProcess } from './support/server-process';
import { medianOf, round } from './support/stats';
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
/** Full climbs of each side, alternating; each printed figure is the median over them. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Measuring windows per level, each figure of a round the median over them. A window's p99 is about its worst stall,
 * and one window in three or four here takes in another job's; with three, one such window does not move a round.
 */
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 5);
/**
 * Live traffic run untimed before each climb's first level, so that no level times a server still compiling its
 * handlers; 0 also skips the untimed climb that warms the client processes before round 1.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
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

/** The median of the values there are (a window with no delivery has none), to 0.01 ms; null when none. */
function middleOf(values: Array<number | null>): number | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return present.length === 0 ? null : round(medianOf(present), 2);
}

async function window(clients: Clients, seconds = WINDOW_SECONDS): Promise<Reply<'window'>> {
  const measured = await clients.live.ask({ kind: 'window', seconds }, 'window');
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
  if (WARMUP_SECONDS > 0) await window(clients, WARMUP_SECONDS);
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
    const measured: Array<Reply<'window'>> = [];
    for (let i = 0; i < WINDOWS; i += 1) measured.push(await window(clients));
    const elapsedMicros = (performance.now() - cpuBefore.at) * 1000;
    const cpu = {
      server: round(((cpuMicros(server.pid) - cpuBefore.server) / elapsedMicros) * 100, 0),
      clients: round((pids.reduce((total, pid, i) => total + cpuMicros(pid) - cpuBefore.clients[i]!, 0) / elapsedMicros) * 100, 0),
    };
    const lag = await probe(server);
    const row: Level = {
      sockets: level,
      rssMB: round(memory.rss / 2 ** 20, 1),
      rssKBPerSocket: round((memory.rss - base.rss) / level / 1024, 1),
      heapKBPerSocket: round((memory.heapUsed - base.heapUsed) / level / 1024, 1),
      loopDelayP99Ms: round(lag.loopDelayP99Ms, 1),
      loopDelayMaxMs: round(lag.loopDelayMaxMs, 1),
      cpu,
      chatP99Ms: middleOf(measured.map((w) => w.chat.p99)),
      signalP99Ms: middleOf(measured.map((w) => w.signal.p99)),
      chatP50Ms: middleOf(measured.map((w) => w.chat.p50)),
      clientLoopDelayMaxMs: round(Math.max(...measured.map((w) => w.loopDelayMaxMs)), 1),
      deliveries: { chat: sum(measured.map((w) => w.chat.n)), signal: sum(measured.map((w) => w.signal.n)) },
    };
    progress(`${name}: ${JSON.stringify(row)} chat p99s ${measured.map((w) => w.chat.p99).join(' ')}`);
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

type Side = 'app' | 'floor';

interface ServerHealth {
  errors: number;
  exited: string | null;
  firstErrors: string[];
  stray: string[];
}

interface SideRound {
  climb: Climb;
  /** Past the capacity: the app's climbs only, and only when the capacity was reached. */
  past: Beyond | null;
  /** Sockets dropped without the bench closing them. */
  dropped: number;
  log: ServerHealth;
}

interface Round {
  first: Side;
  app: SideRound;
  floor: SideRound | null;
}

interface Plan {
  capacity: number;
  levels: number[];
  clients: Clients;
  /** Every server started, for the last stop if a climb throws. */
  servers: ServerProcess[];
}

const APP_ENV = { NODE_ENV: 'production', JWT_SECRET: 'bench-secret-bench-secret-bench-secret', ...(MAX_SOCKETS ? { MAX_SOCKETS } : {}) };

/** One full climb of one side on a server of its own, the app's followed by the step past its capacity. */
async function climbSide(side: Side, label: string, plan: Plan): Promise<SideRound> {
  const server = side === 'app' ? await startServer(APP_ENV, ['--expose-gc', '-r', PROBE]) : await startServer({}, ['--expose-gc', '-r', PROBE], FLOOR);
  plan.servers.push(server);
  const climbed = await climb(label, server, plan.levels, plan.clients);
  const past = side === 'app' && climbed.held === plan.capacity ? await beyond(server, plan.clients) : null;
  const dropped = await closeAll(plan.clients);
  const log = { errors: server.log.errorCount, exited: server.exited, firstErrors: server.log.errors.slice(0, 3), stray: server.log.stray.slice(0, 3) };
  await server.stop();
  return { climb: climbed, past, dropped, log };
}

/**
 * An untimed climb to the first level against the floor before round 1. Without it, the run's first climb timed client
 * processes still compiling their connection and traffic paths, on the same two cores as the server: at 1,000 sockets
 * it read 6–11 ms of chat p99 in every run, the later rounds 2.5–3.9.
 */
async function primeClients(plan: Plan): Promise<void> {
  const floor = await startServer({}, ['--expose-gc', '-r', PROBE], FLOOR);
  plan.servers.push(floor);
  await climb('warming the client processes', floor, plan.levels.slice(0, 1), plan.clients);
  await closeAll(plan.clients);
  await floor.stop();
}

/**
 * Which side climbs first alternates from round to round (app–floor, floor–app, ...): with app always first, a load
 * that grows or fades over the run would land on one side; alternating, each side's climbs sit at about the same
 * places in the run on average.
 */
async function playRound(index: number, plan: Plan): Promise<Round> {
  const play = (side: Side) => climbSide(side, `round ${index + 1}/${ROUNDS} ${side}`, plan);
  if (!FLOOR_ON) return { first: 'app', app: await play('app'), floor: null };
  if (index % 2 === 0) {
    const app = await play('app');
    return { first: 'app', app, floor: await play('floor') };
  }
  const floor = await play('floor');
  return { first: 'floor', app: await play('app'), floor };
}

async function main(): Promise<boolean> {
  const openFiles = openFilesLimit();
  const capacity = socketCapacity(MAX_SOCKETS === undefined ? 'auto' : Number(MAX_SOCKETS), openFiles);
  if (!Number.isFinite(capacity)) throw new Error('no open-files limit to measure against: set BENCH_MAX_SOCKETS');
  if (!(ROUNDS >= 1) || !(WINDOWS >= 1)) throw new Error('BENCH_ROUNDS and BENCH_WINDOWS must be at least 1');
  const levels = [...LEVELS.filter((level) => level > liveSockets && level < capacity), capacity];
  const swarmCount = Math.max(1, Math.ceil((capacity - liveSockets) / PER_SWARM));
  // 127.10.x.y for the live calls, 127.11... for the idle sockets, the last block for the connections beyond.
  const clients: Clients = {
    live: new Swarm(10),
    idle: Array.from({ length: swarmCount }, (_, i) => new Swarm(11 + i)),
    beyond: new Swarm(11 + swarmCount),
  };
  const plan: Plan = { capacity, levels, clients, servers: [] };
  progress(`open files ${openFiles}, capacity ${capacity}, levels ${levels.join(', ')}, ${swarmCount} idle client processes, ${ROUNDS} rounds`);
  const started = performance.now();
  try {
    const rounds: Round[] = [];
    if (WARMUP_SECONDS > 0) await primeClients(plan);
    for (let i = 0; i < ROUNDS; i += 1) rounds.push(await playRound(i, plan));
    return report({ capacity, openFiles, rounds, seconds: round((performance.now() - started) / 1000, 0) });
  } finally {
    await Promise.all([...plan.servers.map((server) => server.stop()), clients.live.stop(), clients.beyond.stop(), ...clients.idle.map((swarm) => swarm.stop())]);
  }
}

/** A level's figures over the rounds that reached it: each the median, the worst loop delays the worst, deliveries summed. */
interface MedianLevel extends Level {
  rounds: number;
}

function medianLevel(sockets: number, rows: Level[]): MedianLevel {
  const mid = (pick: (level: Level) => number, digits = 1) => round(medianOf(rows.map(pick)), digits);
  const worst = (pick: (level: Level) => number) => Math.max(...rows.map(pick));
  return {
    sockets,
    rounds: rows.length,
    rssMB: mid((level) => level.rssMB),
    rssKBPerSocket: mid((level) => level.rssKBPerSocket),
    heapKBPerSocket: mid((level) => level.heapKBPerSocket),
    loopDelayP99Ms: mid((level) => level.loopDelayP99Ms),
    loopDelayMaxMs: worst((level) => level.loopDelayMaxMs),
    cpu: { server: mid((level) => level.cpu.server, 0), clients: mid((level) => level.cpu.clients, 0) },
    chatP99Ms: middleOf(rows.map((level) => level.chatP99Ms)),
    signalP99Ms: middleOf(rows.map((level) => level.signalP99Ms)),
    chatP50Ms: middleOf(rows.map((level) => level.chatP50Ms)),
    clientLoopDelayMaxMs: worst((level) => level.clientLoopDelayMaxMs),
    deliveries: { chat: sum(rows.map((level) => level.deliveries.chat)), signal: sum(rows.map((level) => level.deliveries.signal)) },
  };
}

function medianLevels(climbs: Climb[]): MedianLevel[] {
  const sockets = [...new Set(climbs.flatMap((climbed) => climbed.levels.map((level) => level.sockets)))].sort((a, b) => a - b);
  return sockets.map((n) => medianLevel(n, climbs.flatMap((climbed) => climbed.levels.filter((level) => level.sockets === n))));
}

/** Chat p99 at the top level over its value at the first. */
function chatRatio(levels: Level[]): number | null {
  const first = levels[0]?.chatP99Ms;
  const top = levels.at(-1)?.chatP99Ms;
  return first && top ? round(top / first, 2) : null;
}

function refusedCleanly(past: Beyond | null): boolean {
  return (
    past !== null &&
    past.connected === 0 &&
    past.refused[SERVICE_UNAVAILABLE] === past.tried &&
    past.after.chat.n > 0 &&
    past.after.lost === 0 &&
    past.health === 200
  );
}

const healthy = (side: SideRound) => side.log.errors === 0 && side.log.exited === null && side.dropped === 0;

interface Outcome {
  capacity: number;
  openFiles: number | null;
  rounds: Round[];
  seconds: number;
}

function printTable(app: MedianLevel[], floor: MedianLevel[]): void {
  const floorAt = (sockets: number) => floor.find((level) => level.sockets === sockets);
  const cell = (value: number | null | undefined) => (value === null || value === undefined ? '-' : value);
  const rows = app.map((level) => {
    const bare = floorAt(level.sockets);
    const pair = (pick: (row: MedianLevel) => number | null) => [cell(pick(level)), cell(bare && pick(bare))];
    return [
      level.sockets,
      ...pair((row) => row.rssMB),
      ...pair((row) => row.rssKBPerSocket),
      ...pair((row) => row.heapKBPerSocket),
      ...pair((row) => row.loopDelayP99Ms),
      ...pair((row) => row.chatP99Ms),
      ...pair((row) => row.signalP99Ms),
      ...pair((row) => row.chatP50Ms),
      ...pair((row) => row.cpu.server),
    ];
  });
  const figures = ['RSS MB', 'KB/socket', 'heap KB/socket', 'loop p99 ms', 'chat p99 ms', 'signal p99 ms', 'chat p50 ms', 'server CPU %'];
  console.log(table(['sockets', ...figures.flatMap((figure) => [figure, 'floor'])], rows));
}

function printPast(rounds: Round[], capacity: number, openFiles: number | null): void {
  rounds.forEach(({ app }, i) => {
    const past = app.past;
    if (!past) {
      console.log(`Round ${i + 1}: the node was not filled: ${app.climb.held} of ${capacity} sockets held; refused on the way ${JSON.stringify(app.climb.refusedEarly)}.`);
      return;
    }
    console.log(
      `Round ${i + 1}: at ${app.climb.held} sockets the node is full (open files ${openFiles}, MAX_SOCKETS ${MAX_SOCKETS ?? 'auto'} = ${capacity}). ` +
        `${past.tried} more connections: ${past.connected} connected, refused ${JSON.stringify(past.refused)}. ` +
        `The ${liveSockets} live sockets went on: ${past.after.chat.n} chat deliveries (p99 ${past.after.chat.p99} ms) and ${past.after.signal.n} signals (p99 ${past.after.signal.p99} ms) in ${WINDOW_SECONDS} s, ${past.after.lost} lost; /health ${past.health}. ` +
        `Stopped there: the node is at its ${MAX_SOCKETS === undefined ? 'open-files' : 'MAX_SOCKETS'} limit.`,
    );
  });
}

/** Each round's chat p99 and loop delay per level, and its own chat ratio: how far the rounds were apart. */
function printRounds(rounds: Round[]): void {
  const list = (levels: Level[], pick: (level: Level) => number | null) => levels.map((level) => pick(level) ?? '-').join(' / ');
  const describe = (name: Side, side: SideRound) =>
    `${name} chat p99 ${list(side.climb.levels, (level) => level.chatP99Ms)} ms (${chatRatio(side.climb.levels) ?? '-'}x), loop p99 ${list(side.climb.levels, (level) => level.loopDelayP99Ms)} ms`;
  rounds.forEach((r, i) => {
    const sides = [describe('app', r.app), ...(r.floor ? [describe('floor', r.floor)] : [])];
    console.log(`Round ${i + 1} (${r.first} first): ${sides.join('; ')}`);
  });
}

function report(outcome: Outcome): boolean {
  const { rounds, capacity } = outcome;
  const app = medianLevels(rounds.map((r) => r.app.climb));
  const floorRounds = rounds.flatMap((r) => (r.floor ? [r.floor] : []));
  const floor = medianLevels(floorRounds.map((side) => side.climb));
  console.log(
    `\nOne node, ${liveSockets} sockets in ${LIVE_CALLS} live calls (a chat every ${CHAT_EVERY_MS} ms and a signal every ${SIGNAL_EVERY_MS} ms each), the rest idle; ` +
      `each figure the median over ${rounds.length} rounds (app and floor alternating which climbs first), chat and signal p99 of a round the median over ${WINDOWS} windows of ${WINDOW_SECONDS} s; ` +
      `loop delay over a level's windows, as prom-client's nodejs_eventloop_lag_p99_seconds reads it (10 ms sampling interval included); floor = bare Socket.IO\n`,
  );
  printTable(app, floor);
  console.log('');
  printRounds(rounds);
  printPast(rounds, capacity, outcome.openFiles);

  const ratio = chatRatio(app);
  const worstLag = Math.max(...app.map((level) => level.loopDelayP99Ms));
  const reached = rounds.every((r) => r.app.climb.held === capacity && r.app.climb.levels.at(-1)?.sockets === capacity);
  const pass = {
    reached,
    chatP99AtCapacityWithin2xOfFirstLevel: ratio !== null && ratio <= 2,
    loopDelayP99Within50ms: worstLag <= LAG_LIMIT_MS,
    refusedCleanlyAndKeptServing: rounds.every((r) => refusedCleanly(r.app.past)),
    noErrorsNoDrops: rounds.every((r) => healthy(r.app)),
  };
  console.log(
    JSON.stringify({
      scenario: 'capacity',
      machine: { cpus: cpus().length, memoryGB: round(totalmem() / 2 ** 30, 1), node: process.version, openFiles: outcome.openFiles },
      capacity,
      seconds: outcome.seconds,
      app,
      floor: floorRounds.length > 0 ? floor : null,
      chatP99Ratio: ratio,
      floorChatP99Ratio: floorRounds.length > 0 ? chatRatio(floor) : null,
      worstLoopDelayP99Ms: worstLag,
      rounds: rounds.map((r) => ({
        first: r.first,
        app: r.app.climb.levels,
        floor: r.floor?.climb.levels ?? null,
        chatP99Ratio: { app: chatRatio(r.app.climb.levels), floor: r.floor ? chatRatio(r.floor.climb.levels) : null },
        beyond: r.app.past && { tried: r.app.past.tried, connected: r.app.past.connected, refused: r.app.past.refused, after: { chat: r.app.past.after.chat, signal: r.app.past.after.signal, lost: r.app.past.after.lost }, health: r.app.past.health },
        server: r.app.log,
        dropped: { app: r.app.dropped, floor: r.floor?.dropped ?? null },
      })),
      pass,
    }),
  );
  const passed = Object.values(pass).every(Boolean);
  console.log(
    (passed ? 'PASS: every target met' : `FAIL: ${Object.entries(pass).filter(([, ok]) => !ok).map(([name]) => name).join(', ')}`) +
      `; ${rounds.length} rounds in ${outcome.seconds} s; stopped cleanly.`,
  );
  return passed;
}

runBench(main);
