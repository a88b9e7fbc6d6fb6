/**
 * bench:cluster — one node on its memory store against two nodes on one Redis (issue 8), in the same run: the built
 * server as child processes on loopback, a redis-server of the bench's own (persistence off), real socket.io-client
 * sockets from this process. In the cluster every call has participants on both nodes, so every signal crosses Redis.
 * Scenarios (docs/performance.md): signal latency at light load, relay throughput under load, chat and join latency
 * with 5,000 idle calls held in Redis, and the Redis commands each event sends (counted with MONITOR).
 * Prints tables, then one JSON line per scenario. A lost signal, chat or ack, or an error logged by a server, fails it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { redisInstalled, startRedisServer, type RunningRedis } from '../tests/support/redis-process';
import { chatAndJoin, type ChatJoin } from './cluster-chat-join';
import { signalLatency, type Latency } from './cluster-latency';
import { roundTrips, type RoundTrips } from './cluster-round-trips';
import { relayThroughput, type Throughput } from './cluster-throughput';
import { RedisCommandCounter } from './support/redis-commands';
import { runBench } from './support/run-bench';
import { median, RELAY_BENCH_ENV, startServer, type ServerProcess } from './support/server-process';

/** Issue 21's floor: two bare Socket.IO nodes on the official Redis adapter (floor-server.ts with REDIS_URL). */
const FLOOR = path.join(__dirname, 'floor-server.js');
import { round, type Summary } from './support/stats';
import { table } from './support/table';

const setting = (name: string, fallback: string) => process.env[name] ?? fallback;
/** Pairs levels of the latency scenario: one pair alone, then many pairs each with its one signal in flight. */
const LATENCY_PAIRS = setting('BENCH_PAIRS', '1,20').split(',').map(Number);
const LATENCY_SAMPLES = Number(setting('BENCH_SAMPLES', '5000'));
const THROUGHPUT = {
  calls: Number(setting('BENCH_CALLS', '10')),
  participants: Number(setting('BENCH_PARTICIPANTS', '4')),
  window: Number(setting('BENCH_WINDOW', '16')),
  seconds: Number(setting('BENCH_SECONDS', '5')),
};
/** Nodes of the cluster and of the floor in the throughput scenario; the other scenarios use the first two. */
const NODES = Number(setting('BENCH_NODES', '2'));
/** `sharded`: the throughput scenario also runs a floor on the sharded adapter (floor-server.ts, FLOOR_ADAPTER). */
const SHARDED_FLOOR = setting('BENCH_ADAPTER', 'classic') === 'sharded';
const IDLE_CALLS = Number(setting('BENCH_IDLE_CALLS', '5000'));
const CHATS = Number(setting('BENCH_CHATS', '1000'));
const JOINS = Number(setting('BENCH_JOINS', '500'));
const ROUND_TRIP_REPEATS = Number(setting('BENCH_ROUND_TRIP_REPEATS', '20'));
/**
 * Single node and cluster (or no idle calls and 5,000) alternate this many times in each scenario; each figure is the
 * median over the rounds. Throughput rounds are longer and steadier, as in bench:signal.
 */
const ROUNDS = 5;
const THROUGHPUT_ROUNDS = 3;

/** The single node without REDIS_URL; the cluster's two nodes on one Redis and one DATA_DIR, as on one machine. */
async function startAll(redis: RunningRedis, counter: RedisCommandCounter, dataDir: string, started: ServerProcess[]) {
  const single = await startServer(RELAY_BENCH_ENV);
  started.push(single);
  const redisUrl = `redis://${redis.server.host}:${redis.server.port}`;
  const cluster: ServerProcess[] = [];
  for (let n = 1; n <= Math.max(2, NODES); n += 1) {
    const nodeId = `node-${n}`;
    // A node opens three connections: its room store's, and the Socket.IO adapter's publisher and subscriber.
    const node = await counter.learnNode(nodeId, 3, () => startServer({ ...RELAY_BENCH_ENV, REDIS_URL: redisUrl, NODE_ID: nodeId, DATA_DIR: dataDir }));
    started.push(node);
    cluster.push(node);
  }
  const floorOf = async (adapter: 'classic' | 'sharded') => {
    const nodes: ServerProcess[] = [];
    for (let i = 0; i < Math.max(2, NODES); i += 1) {
      const node = await startServer({ REDIS_URL: redisUrl, FLOOR_ADAPTER: adapter }, [], FLOOR);
      started.push(node);
      nodes.push(node);
    }
    return nodes;
  };
  const floor = await floorOf('classic');
  const shardedFloor = SHARDED_FLOOR ? await floorOf('sharded') : [];
  return { single, cluster, floor, shardedFloor, redisUrl };
}

interface Figures {
  latency: Array<{ pairs: number } & Latency>;
  throughput: { single: Throughput[]; cluster: Throughput[]; floor: Throughput[]; sharded: Throughput[] };
  chatJoin: ChatJoin;
  trips: RoundTrips;
  load: { start: number; end: number };
  warnings: Array<Record<string, number>>;
}

async function main(): Promise<boolean> {
  if (!redisInstalled()) {
    console.error('bench:cluster needs redis-server on PATH (apt-get install redis-server); nothing was measured.');
    return false;
  }
  const loadStart = loadavg()[0]!;
  const redis = await startRedisServer();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meet-bench-cluster-'));
  const admin = new Redis(redis.server.port, redis.server.host, { connectionName: 'bench-admin' });
  const counter = new RedisCommandCounter(admin);
  const started: ServerProcess[] = [];
  try {
    const { single, cluster, floor, shardedFloor, redisUrl } = await startAll(redis, counter, dataDir, started);
    const urls = { single: single.url, a: cluster[0]!.url, b: cluster[1]!.url, floorA: floor[0]!.url, floorB: floor[1]!.url };

    const latency: Figures['latency'] = [];
    for (const pairs of LATENCY_PAIRS) latency.push({ pairs, ...(await signalLatency(urls, pairs, LATENCY_SAMPLES, ROUNDS)) });

    const throughput: Figures['throughput'] = { single: [], cluster: [], floor: [], sharded: [] };
    for (let r = 0; r < THROUGHPUT_ROUNDS; r += 1) {
      throughput.single.push(await relayThroughput([single], null, THROUGHPUT, `single-${r}`));
      throughput.cluster.push(await relayThroughput(cluster.slice(0, NODES), redis.pid, THROUGHPUT, `cluster-${r}`));
      throughput.floor.push(await relayThroughput(floor.slice(0, NODES), redis.pid, THROUGHPUT, `floor-${r}`));
      if (SHARDED_FLOOR) throughput.sharded.push(await relayThroughput(shardedFloor.slice(0, NODES), redis.pid, THROUGHPUT, `sharded-${r}`));
    }

    const chatJoin = await chatAndJoin(urls, redisUrl, admin, { idleCalls: IDLE_CALLS, chats: CHATS, joins: JOINS, rounds: ROUNDS });
    const trips = await roundTrips(counter, urls.a, urls.b, ROUND_TRIP_REPEATS);

    const errors = started.flatMap((server, i) => server.log.errors.map((line) => `server ${i}: ${line}`));
    if (errors.length > 0) throw new Error(`servers logged errors:\n${errors.join('\n')}`);
    report({ latency, throughput, chatJoin, trips, load: { start: loadStart, end: loadavg()[0]! }, warnings: started.map((s) => s.log.warnings) });
    return true;
  } finally {
    await Promise.all(started.map((server) => server.stop()));
    counter.stop();
    admin.disconnect();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The round of median rate, so that its per-node and CPU figures belong together. */
function medianRun(runs: Throughput[]): Throughput {
  return [...runs].sort((x, y) => x.rate - y.rate)[Math.floor(runs.length / 2)]!;
}

function report(f: Figures): void {
  const machine = { cpus: cpus().length, node: process.version, loadAverage1m: { start: round(f.load.start, 2), end: round(f.load.end, 2) } };
  const out = (text = '') => console.log(text);
  const ms = (s: Summary) => `${s.p50} / ${s.p99}`;
  const added = (s: Summary, base: Summary) => `${round(s.p50 - base.p50)} / ${round(s.p99 - base.p99)}`;
  const addedP50 = f.latency.map((l) => ({ pairs: l.pairs, ms: round(l.cluster.p50 - l.single.p50) }));
  const t = { single: medianRun(f.throughput.single), cluster: medianRun(f.throughput.cluster), floor: medianRun(f.throughput.floor) };
  const sharded = f.throughput.sharded.length > 0 ? medianRun(f.throughput.sharded) : null;
  const perNodeRatio = round(median(t.cluster.perNode) / t.single.rate, 2);
  const c = f.chatJoin;
  const chatRatio = round(c.loaded.chatAck.p99 / c.none.chatAck.p99, 2);
  const joinRatio = round(c.loaded.join.p99 / c.none.join.p99, 2);
  const verdict = (pass: boolean) => (pass ? 'pass' : 'FAIL');

  out(`bench:cluster: ${machine.cpus} cores, Node ${machine.node}, 1-minute load average ${machine.loadAverage1m.start} at the start, ${machine.loadAverage1m.end} at the end`);
  out();
  out(`Signal latency at light load: one signal in flight per pair, each pair in its own call; ms per hop, median of ${ROUNDS} rounds`);
  out(
    table(
      ['pairs', 'placement', 'p50 / p99', 'added p50 / p99', 'samples'],
      f.latency.flatMap((l) => [
        [l.pairs, 'single node (memory store)', ms(l.single), '', l.single.n],
        [l.pairs, 'cluster, pair split over the nodes', ms(l.cluster), added(l.cluster, l.single), l.cluster.n],
        [l.pairs, 'cluster, pair on one node', ms(l.clusterOneNode), added(l.clusterOneNode, l.single), l.clusterOneNode.n],
        [l.pairs, 'floor: 2 bare Socket.IO nodes, official Redis adapter, pair split', ms(l.floor), added(l.floor, l.single), l.floor.n],
      ]),
    ),
  );
  for (const { pairs, ms: value } of addedP50) out(`${pairs} pair(s): added p50 ${value} ms, target <= 1 ms: ${verdict(value <= 1)}`);
  for (const l of f.latency) {
    const over = round(l.cluster.p50 - l.floor.p50);
    out(`${l.pairs} pair(s) split: p50 ${over} ms over the floor's, target <= 0.3 ms: ${verdict(over <= 0.3)}`);
  }
  out();
  const { calls, participants, window, seconds } = THROUGHPUT;
  const rows: Array<[string, Throughput, Throughput[]]> = [
    ['single node', t.single, f.throughput.single],
    [`cluster of ${NODES}`, t.cluster, f.throughput.cluster],
    [`floor: ${NODES} bare nodes, official adapter`, t.floor, f.throughput.floor],
    ...(sharded ? [[`floor: ${NODES} bare nodes, sharded adapter (SPUBLISH)`, sharded, f.throughput.sharded] satisfies [string, Throughput, Throughput[]]] : []),
  ];
  out(`Relay throughput under load: ${calls} calls x ${participants} participants, ${window} signals in flight each, ${seconds} s; median of ${THROUGHPUT_ROUNDS} alternating rounds`);
  out(
    table(
      ['deployment', 'signals/s, all', 'signals/s per node', 'rounds, signals/s', 'CPU µs/signal: nodes, redis', 'syscalls/signal (read+write): nodes, redis'],
      rows.map(([name, run, rounds]) => [
        name,
        run.rate,
        run.perNode.join(', '),
        rounds.map((r) => r.rate).join(', '),
        [run.serverCpuMicrosPerSignal, run.redisCpuMicrosPerSignal ?? '-'].join(', '),
        [run.serverSyscallsPerSignal, run.redisSyscallsPerSignal].map((c) => (c ? `${c.reads}+${c.writes}` : '-')).join(', '),
      ]),
    ),
  );
  out(`per node / single node: ${perNodeRatio}; cluster (all) / single node: ${round(t.cluster.rate / t.single.rate, 2)}`);
  const floorRatio = round(t.cluster.rate / t.floor.rate, 2);
  out(`cluster / floor: ${floorRatio}, target >= 0.9: ${verdict(floorRatio >= 0.9)}`);
  if (sharded) out(`floor on the sharded adapter / classic: ${round(sharded.rate / t.floor.rate, 2)} (CPU per signal ${round(sharded.serverCpuMicrosPerSignal / t.floor.serverCpuMicrosPerSignal, 2)}x)`);
  out();
  out(`Chat and join latency, ms, median of ${ROUNDS} rounds (chat: ${CHATS} acked chats; join: ${JOINS} joins of a 2-person call, each left again)`);
  out(
    table(
      ['', 'chat ack p50 / p99', 'chat delivery p50 / p99', 'join ack p50 / p99'],
      [
        ['single node, no idle calls', ms(c.single.chatAck), ms(c.single.chatDelivery), ms(c.single.join)],
        [`cluster, no idle calls (${c.redisKeys.none} Redis keys)`, ms(c.none.chatAck), ms(c.none.chatDelivery), ms(c.none.join)],
        [`cluster, ${IDLE_CALLS} idle calls (${c.redisKeys.loaded} Redis keys)`, ms(c.loaded.chatAck), ms(c.loaded.chatDelivery), ms(c.loaded.join)],
      ],
    ),
  );
  out(`p99 with ${IDLE_CALLS} idle calls / none: chat ${chatRatio}, join ${joinRatio}; target <= 1.5: ${verdict(chatRatio <= 1.5 && joinRatio <= 1.5)}`);
  out();
  out(`Redis commands per event, counted with MONITOR: ${f.trips.repeats} of each, one at a time, acting socket on node-1, its peer on node-2`);
  out(
    table(
      ['event', 'store, acting node', 'store, other node', 'adapter, acting node', 'adapter, other node', 'round trips', 'run inside scripts'],
      f.trips.events.map((e) => [e.event, e.store.acting, e.store.other, e.adapter.acting, e.adapter.other, e.roundTrips, e.insideScripts]),
    ),
  );
  out(`left out: ${f.trips.liveness} heartbeat/sweep commands inside the windows (known by script SHA1 and the sweep lock's key); ${f.trips.other} from the bench's own connections`);
  out();

  const line = (value: object) => out(JSON.stringify({ ...value, machine }));
  line({ scenario: 'cluster-signal-latency', unit: 'ms per hop', samplesPerRound: LATENCY_SAMPLES, rounds: ROUNDS, levels: f.latency, addedP50, target: 'added p50 <= 1 ms', pass: addedP50.every((a) => a.ms <= 1) });
  line({ scenario: 'cluster-relay-throughput', unit: 'signals/s', setup: THROUGHPUT, nodes: NODES, single: t.single, cluster: t.cluster, floor: t.floor, sharded, rounds: f.throughput, perNodeRatio, floorRatio });
  line({
    scenario: 'cluster-chat-join-latency',
    unit: 'ms',
    idleCalls: IDLE_CALLS,
    ...c,
    p99Ratio: { chat: chatRatio, join: joinRatio },
    target: 'p99 with idle calls <= 1.5x p99 with none',
    pass: chatRatio <= 1.5 && joinRatio <= 1.5,
  });
  line({ scenario: 'cluster-redis-commands', ...f.trips });
  line({ scenario: 'server-warnings', servers: 'single, then the cluster nodes, then the floor nodes', warnings: f.warnings });
}

runBench(main);
