/**
 * bench:signal — the signaling server against a bare Socket.IO relay (the floor), in the same run,
 * both as child processes on loopback, driven by real socket.io-client sockets from this process.
 * Also measures what counting metrics costs: the same server with METRICS_ENABLED=false, both relaying at the same
 * time, beside a second server without metrics as a control for the machine's noise.
 * Prints one JSON line per scenario. Bounded: every loop has a fixed count or duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { PrometheusMetrics } from '../src/adapters/metrics/prometheus-metrics';
import { connectMany } from './support/bench-socket';
import { runBench } from './support/run-bench';
import { median, RELAY_BENCH_ENV } from './support/server-process';
import { medianOfRounds, round, summary, type Summary } from './support/stats';

const ROOT = path.resolve(__dirname, '../..');
const IDLE_CALLS = Number(process.env.BENCH_IDLE_CALLS ?? 5000);
const THROUGHPUT_CALLS = Number(process.env.BENCH_CALLS ?? 10);
const THROUGHPUT_PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 4);
const THROUGHPUT_WINDOW = Number(process.env.BENCH_WINDOW ?? 16);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LATENCY_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const JOIN_SAMPLES = Number(process.env.BENCH_JOINS ?? 2000);
const METRICS_ROUNDS = Number(process.env.BENCH_METRICS_ROUNDS ?? 11);
const METRICS_SECONDS = Number(process.env.BENCH_METRICS_SECONDS ?? 4);
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

interface Target {
  name: 'app' | 'app-no-metrics' | 'floor';
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

type Client = Socket;

function startChild(name: Target['name'], args: string[], env: Record<string, string>): Promise<Target> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) {
        output = '';
        child.stdout?.removeAllListeners('data');
        child.stdout?.resume();
        ready({
          name,
          url: match[1],
          child,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code}: ${output}`)));
  });
}

function join(socket: Client, path: string): Promise<void> {
  return new Promise((done) => socket.emit('join-call', path, () => done()));
}

/** Sub-millisecond percentiles swing with a stray GC pause: each figure is the median over LATENCY_ROUNDS runs. */
const LATENCY_ROUNDS = 3;

async function repeated(run: (round: number) => Promise<number[]>): Promise<Summary> {
  const rounds: Summary[] = [];
  for (let i = 0; i < LATENCY_ROUNDS; i += 1) rounds.push(summary(await run(i)));
  return medianOfRounds(rounds);
}

/**
 * CPU time of a process, all its threads, in microseconds. Read from each thread's schedstat (nanoseconds on CPU) where
 * the kernel has it: /proc/<pid>/stat counts 100 Hz ticks, ±2 % over a 3 s window of a server sharing two cores.
 */
function cpuMicros(pid: number): number {
  if (!existsSync(`/proc/${pid}/schedstat`)) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  }
  let micros = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      micros += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return micros;
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** RSS moves with GC timing: the median of several readings half a second apart. */
async function steadyRss(pid: number): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    await settle(500);
    readings.push(rssBytes(pid));
  }
  return median(readings);
}

/** Tokens circulate around each call's ring: every delivery triggers exactly one send (closed loop). */
async function relayThroughput(target: Target, seconds = THROUGHPUT_SECONDS): Promise<Relay> {
  const [relay] = await relayTogether([target], seconds);
  return relay!;
}

/** relayThroughput on several servers at once, over the same window: each sees the same machine at the same time. */
async function relayTogether(targets: Target[], seconds: number): Promise<Relay[]> {
  const rings = await Promise.all(targets.map((target) => ring(target)));
  const payload = { type: 'candidate', candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host', sdpMid: '0' };
  for (const { calls } of rings) {
    for (const members of calls) {
      members.forEach((socket, i) => {
        const nextId = members[(i + 1) % members.length]!.id!;
        for (let w = 0; w < THROUGHPUT_WINDOW; w += 1) socket.emit('signal', nextId, payload);
      });
    }
  }
  await settle(500);
  const starts = rings.map((r, i) => ({ count: r.delivered(), cpu: cpuMicros(targets[i]!.child.pid!) }));
  const started = performance.now();
  await settle(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  const relays = rings.map((r, i) => {
    const count = r.delivered() - starts[i]!.count;
    const cpuMicrosPerSignal = (cpuMicros(targets[i]!.child.pid!) - starts[i]!.cpu) / count;
    return { rate: Math.round(count / elapsed), cpuMicrosPerSignal: round(cpuMicrosPerSignal, 2) };
  });
  for (const r of rings) r.stop();
  await settle(200);
  for (const r of rings) r.calls.flat().forEach((socket) => socket.close());
  return relays;
}

/** THROUGHPUT_CALLS calls of THROUGHPUT_PARTICIPANTS sockets, each passing on every signal to the next in its call. */
async function ring(target: Target): Promise<{ calls: Client[][]; delivered(): number; stop(): void }> {
  const calls: Client[][] = [];
  for (let c = 0; c < THROUGHPUT_CALLS; c += 1) {
    const members = await connectMany(target.url, THROUGHPUT_PARTICIPANTS);
    for (const socket of members) await join(socket, `bench-throughput-${c}`);
    calls.push(members);
  }
  let delivered = 0;
  let running = true;
  for (const members of calls) {
    members.forEach((socket, i) => {
      const nextId = members[(i + 1) % members.length]!.id!;
      socket.on('signal', (_from: string, message: unknown) => {
        delivered += 1;
        if (running) socket.emit('signal', nextId, message);
      });
    });
  }
  return { calls, delivered: () => delivered, stop: () => void (running = false) };
}

/** One message in flight: sender → receiver, time to delivery. */
async function chatLatency(target: Target, label: string): Promise<number[]> {
  await settle(500);
  const [sender, receiver] = await connectMany(target.url, 2);
  await join(sender!, `bench-chat-${label}`);
  await join(receiver!, `bench-chat-${label}`);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
    const arrived = new Promise<void>((done) => receiver!.once('chat-message', () => done()));
    const started = performance.now();
    sender!.emit('chat-message', `message ${i}`, 'bench');
    await arrived;
    samples.push(performance.now() - started);
  }
  sender!.close();
  receiver!.close();
  return samples.slice(Math.floor(LATENCY_SAMPLES / 10));
}

/** A connected socket joins a fresh call; time to the ack. */
async function joinLatency(target: Target, label: string): Promise<number[]> {
  const sockets = await connectMany(target.url, JOIN_SAMPLES);
  await settle(500);
  const samples: number[] = [];
  for (const [i, socket] of sockets.entries()) {
    const started = performance.now();
    await join(socket, `bench-join-${label}-${i}`);
    samples.push(performance.now() - started);
  }
  sockets.forEach((socket) => socket.close());
  return samples.slice(Math.floor(JOIN_SAMPLES / 10));
}

interface Figures {
  throughput: number;
  cpuMicrosPerSignal: number;
  chat0: Summary;
  chatIdle: Summary;
  join0: Summary;
  joinIdle: Summary;
  bytesPerIdleSocket: number;
}

const THROUGHPUT_ROUNDS = 3;

interface Relay {
  rate: number;
  cpuMicrosPerSignal: number;
}

interface Spread {
  median: number;
  min: number;
  max: number;
}

interface MetricsOverhead {
  /** Medians over the rounds. */
  withMetrics: Relay;
  withoutMetrics: Relay;
  /** Per round against the server without metrics, in %: more CPU per signal, and more signals/s without. */
  cpuOverheadPercent: Spread;
  throughputOverheadPercent: Spread;
  /** The same figures for the control, a second server without metrics: what the machine's noise alone gives. */
  control: { cpuPercent: Spread; throughputPercent: Spread };
}

interface OverheadServers {
  withMetrics: Target;
  withoutMetrics: Target;
  control: Target;
}

/**
 * The three servers relay at the same time over the same window, round after round, so that the machine's other load
 * falls on all three alike; each round compares them with each other, and the rounds' ratios give a median and range.
 */
async function metricsOverhead(servers: OverheadServers): Promise<MetricsOverhead> {
  const trio = [servers.withMetrics, servers.withoutMetrics, servers.control];
  await relayTogether(trio, METRICS_SECONDS);
  const rounds: Array<Map<Target, Relay>> = [];
  for (let i = 0; i < METRICS_ROUNDS; i += 1) {
    // Which ring is set up and started first turns each round: the one bench process drives all three.
    const order = trio.map((_, k) => trio[(i + k) % trio.length]!);
    const relays = await relayTogether(order, METRICS_SECONDS);
    rounds.push(new Map(order.map((target, k) => [target, relays[k]!])));
  }
  const of = (r: Map<Target, Relay>, target: Target) => r.get(target)!;
  const spread = (values: number[]): Spread => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
    return { median: round(middle, 1), min: round(sorted[0]!, 1), max: round(sorted.at(-1)!, 1) };
  };
  const base = servers.withoutMetrics;
  const cpuPercent = (target: Target) =>
    spread(rounds.map((r) => (of(r, target).cpuMicrosPerSignal / of(r, base).cpuMicrosPerSignal - 1) * 100));
  const throughputPercent = (target: Target) => spread(rounds.map((r) => (of(r, base).rate / of(r, target).rate - 1) * 100));
  const medians = (target: Target): Relay => ({
    rate: median(rounds.map((r) => of(r, target).rate)),
    cpuMicrosPerSignal: median(rounds.map((r) => of(r, target).cpuMicrosPerSignal)),
  });
  return {
    withMetrics: medians(servers.withMetrics),
    withoutMetrics: medians(base),
    cpuOverheadPercent: cpuPercent(servers.withMetrics),
    throughputOverheadPercent: throughputPercent(servers.withMetrics),
    control: { cpuPercent: cpuPercent(servers.control), throughputPercent: throughputPercent(servers.control) },
  };
}

/**
 * What the gateway's hook costs per event, timed alone in this process (median of 5 runs of 10⁶ calls): the part of
 * the overhead that machine noise cannot hide.
 */
function observeNanos(): number {
  const metrics = new PrometheusMetrics(() => ({ calls: 0, participants: 0 }));
  const runs: number[] = [];
  for (let run = 0; run < 6; run += 1) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1_000_000; i += 1) metrics.observeEvent('signal', 'ok');
    // The first run warms the JIT up.
    if (run > 0) runs.push(Number(process.hrtime.bigint() - started) / 1_000_000);
  }
  return round(median(runs), 1);
}

/** /metrics on a server: its status, and the relayed signals it has counted (proof that counting ran). */
async function scrapeRelays(target: Target): Promise<{ status: number; relays: number | null }> {
  const res = await fetch(`${target.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const match = /^meet_signal_relays_total (\d+)$/m.exec(await res.text());
  return { status: res.status, relays: match ? Number(match[1]) : null };
}

async function measureLatencies(target: Target): Promise<Pick<Figures, 'chat0' | 'chatIdle' | 'join0' | 'joinIdle'>> {
  // Untimed warm-up so the first measured round does not pay for JIT compilation.
  await chatLatency(target, 'warm-up');
  await joinLatency(target, 'warm-up');
  const chat0 = await repeated((round) => chatLatency(target, `empty-${round}`));
  const join0 = await repeated((round) => joinLatency(target, `empty-${round}`));
  const idle = await connectMany(target.url, IDLE_CALLS);
  for (const [i, socket] of idle.entries()) await join(socket, `bench-idle-${i}`);
  const chatIdle = await repeated((round) => chatLatency(target, `loaded-${round}`));
  const joinIdle = await repeated((round) => joinLatency(target, `loaded-${round}`));
  idle.forEach((socket) => socket.close());
  await settle(1000);
  return { chat0, chatIdle, join0, joinIdle };
}

/** Run in a fresh process: earlier scenarios leave garbage whose collection would swamp the difference. */
async function bytesPerIdleSocket(start: () => Promise<Target>): Promise<number> {
  const target = await start();
  try {
    const before = await steadyRss(target.child.pid!);
    const idle = await connectMany(target.url, IDLE_CALLS);
    for (const [i, socket] of idle.entries()) await join(socket, `bench-idle-${i}`);
    const after = await steadyRss(target.child.pid!);
    idle.forEach((socket) => socket.close());
    return Math.round((after - before) / IDLE_CALLS);
  } finally {
    await target.stop();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meet-bench-'));
  const targets: Target[] = [];
  const results: Partial<Record<Target['name'], Figures>> = {};
  let overhead: (MetricsOverhead & { endpoint: Record<string, number>; relaysCounted: number | null }) | undefined;
  try {
    const startApp = (name: 'app' | 'app-no-metrics' = 'app', metrics: Record<string, string> = { METRICS_TOKEN }) =>
      startChild(name, [path.join(ROOT, 'dist/main/main.js')], {
        ...RELAY_BENCH_ENV,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        ...metrics,
      });
    const startFloor = () => startChild('floor', [path.join(__dirname, 'floor-server.js')], {});
    const app = await startApp();
    targets.push(app);
    const floor = await startFloor();
    targets.push(floor);

    // Alternating rounds, median of each: the two servers see the same machine conditions.
    const runs: Record<Target['name'], Relay[]> = { app: [], 'app-no-metrics': [], floor: [] };
    for (let round = 0; round < THROUGHPUT_ROUNDS; round += 1) {
      for (const target of [app, floor]) runs[target.name].push(await relayThroughput(target));
    }

    const noMetrics = { METRICS_ENABLED: 'false' };
    const servers = {
      withMetrics: await startApp(),
      withoutMetrics: await startApp('app-no-metrics', noMetrics),
      control: await startApp('app-no-metrics', noMetrics),
    };
    const trio = Object.values(servers);
    targets.push(...trio);
    const measured = await metricsOverhead(servers);
    const [counted, off] = [await scrapeRelays(servers.withMetrics), await scrapeRelays(servers.withoutMetrics)];
    const endpoint = { withMetrics: counted.status, withoutMetrics: off.status };
    overhead = { ...measured, endpoint, relaysCounted: counted.relays };
    for (const target of trio) targets.splice(targets.indexOf(target), 1);
    await Promise.all(trio.map((target) => target.stop()));
    for (const target of [app, floor]) {
      results[target.name] = {
        throughput: median(runs[target.name].map((run) => run.rate)),
        cpuMicrosPerSignal: median(runs[target.name].map((run) => run.cpuMicrosPerSignal)),
        ...(await measureLatencies(target)),
        bytesPerIdleSocket: 0,
      };
    }
    await Promise.all(targets.splice(0).map((target) => target.stop()));
    results.app!.bytesPerIdleSocket = await bytesPerIdleSocket(startApp);
    results.floor!.bytesPerIdleSocket = await bytesPerIdleSocket(startFloor);
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }

  const app = results.app!;
  const floor = results.floor!;
  const machine = { cpus: (await import('node:os')).cpus().length, node: process.version };
  const line = (value: object) => console.log(JSON.stringify({ ...value, machine }));

  line({
    scenario: 'relay-throughput',
    unit: 'signals/s',
    setup: `${THROUGHPUT_CALLS} calls x ${THROUGHPUT_PARTICIPANTS} participants, window ${THROUGHPUT_WINDOW}, ${THROUGHPUT_SECONDS}s`,
    app: app.throughput,
    floor: floor.throughput,
    ratio: round(app.throughput / floor.throughput, 2),
    serverCpuMicrosPerSignal: { app: app.cpuMicrosPerSignal, floor: floor.cpuMicrosPerSignal },
    // Floor CPU over app CPU per signal: the same comparison, less sensitive to other load on the machine.
    cpuRatio: round(floor.cpuMicrosPerSignal / app.cpuMicrosPerSignal, 2),
    target: 'ratio >= 0.9',
    pass: app.throughput / floor.throughput >= 0.9,
  });
  for (const [scenario, at0, atIdle] of [
    ['chat-delivery-latency', 'chat0', 'chatIdle'],
    ['join-latency', 'join0', 'joinIdle'],
  ] as const) {
    const a0 = app[at0];
    const aIdle = app[atIdle];
    line({
      scenario,
      unit: 'ms',
      app: { idleCalls0: a0, [`idleCalls${IDLE_CALLS}`]: aIdle },
      floor: { idleCalls0: floor[at0], [`idleCalls${IDLE_CALLS}`]: floor[atIdle] },
      p99Ratio: round(aIdle.p99 / a0.p99, 2),
      target: `app p99 at ${IDLE_CALLS} idle calls <= 1.5x p99 at 0`,
      pass: aIdle.p99 <= 1.5 * a0.p99,
    });
  }
  if (overhead) {
    const nanos = observeNanos();
    line({
      scenario: 'metrics-overhead',
      unit: '%',
      setup: `relay throughput as above for ${METRICS_SECONDS}s, three fresh servers at the same time: with metrics (METRICS_TOKEN set), with METRICS_ENABLED=false, and a second with METRICS_ENABLED=false as control; ${METRICS_ROUNDS} rounds, each round's ratios against the first without metrics, median and range`,
      ...overhead,
      observeHook: {
        nanosPerEvent: nanos,
        percentOfSignalCpu: round((nanos / 1000 / overhead.withMetrics.cpuMicrosPerSignal) * 100, 2),
      },
      target: 'median cpuOverheadPercent <= 3',
      pass: overhead.cpuOverheadPercent.median <= 3,
    });
  }
  line({
    scenario: 'memory-per-idle-socket',
    unit: 'bytes RSS',
    setup: `${IDLE_CALLS} connected sockets, each alone in its own call`,
    app: app.bytesPerIdleSocket,
    floor: floor.bytesPerIdleSocket,
    ratio: round(app.bytesPerIdleSocket / floor.bytesPerIdleSocket, 2),
  });
}

runBench(main);
