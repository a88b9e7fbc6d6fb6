/**
 * bench:chat-memory — the chat-memory attack against the built server: CHAT_MEMORY_CONNECTIONS (3,000) guest
 * connections, each joining a fresh call, posting 9 chats of the maximum 2,000 characters and leaving (the call's
 * chat is then parked for CHAT_HISTORY_TTL, 1 h). Each configuration runs in a fresh child process: a baseline with
 * the same connect/join/leave pattern and no chat, then CHAT_MEMORY_LIMIT=8MB and 64MB. The server's memory is
 * read after a full GC (a preloaded probe, bench/support/memory-probe.ts; the server code is unchanged), median of
 * several readings, before and after; the chat's share is the growth minus the baseline's growth.
 * Then cluster mode (measureCluster): the same attack over two nodes on one Redis, Redis's memory measured.
 * Prints one JSON line per configuration. Bounded: a fixed number of connections, each with a fixed number of events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { io, type Socket } from 'socket.io-client';
import { median, sleep, startServer, type ServerProcess } from './support/server-process';
import { runBench } from './support/run-bench';
import { redisInstalled, startRedisServer } from '../tests/support/redis-process';

const CONNECTIONS = Number(process.env.CHAT_MEMORY_CONNECTIONS ?? 3000);
const CHATS_PER_CALL = 9;
const PARALLEL = 50;
/** Figures are printed in MB of 2^20 bytes (MiB), as CHAT_MEMORY_LIMIT counts them. */
const MB = 1024 * 1024;
/** Fixed overhead allowed on top of the limit: message objects, the parked-history maps, heap fragmentation. */
const SLACK_BYTES = 16 * MB;
/**
 * 2,000 characters is the most a chat may hold (code points). An astral character takes 4 bytes of UTF-8 and two
 * UTF-16 units in V8, so this is the largest a chat can be: 8,000 bytes (27,000 of them are the 216 MB reported).
 */
const CHAT_TEXT = '😀'.repeat(2000);
const PROBE = path.join(__dirname, 'support/memory-probe.js');

interface Memory {
  rss: number;
  heapUsed: number;
}

async function probe(server: ServerProcess): Promise<Memory> {
  const seen = server.probes.length;
  server.child.kill('SIGUSR2');
  for (let waited = 0; server.probes.length === seen; waited += 20) {
    if (waited > 10_000) throw new Error('memory probe did not answer');
    await sleep(20);
  }
  const reading = server.probes[server.probes.length - 1] ?? {};
  return { rss: reading.rss ?? NaN, heapUsed: reading.heapUsed ?? NaN };
}

/** After a full GC, the median of 5 readings half a second apart. */
async function steadyMemory(server: ServerProcess): Promise<Memory> {
  const readings: Memory[] = [];
  for (let i = 0; i < 5; i += 1) {
    await sleep(500);
    readings.push(await probe(server));
  }
  return { rss: median(readings.map((r) => r.rss)), heapUsed: median(readings.map((r) => r.heapUsed)) };
}

function ack(socket: Socket, event: string, ...args: unknown[]): Promise<{ ok: boolean; error?: { code: string } }> {
  return new Promise((resolve) => socket.emit(event, ...args, resolve));
}

/** One attacker connection: connect as a guest, join a fresh call, post `chats` chats, leave, disconnect. */
async function attacker(url: string, call: string, chats: number, refused: Record<string, number>): Promise<void> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((ready, fail) => {
    socket.once('connect', () => ready());
    socket.once('connect_error', fail);
  });
  const answers = [await ack(socket, 'join-call', call)];
  for (let i = 0; i < chats; i += 1) answers.push(await ack(socket, 'chat-message', CHAT_TEXT, 'attacker'));
  answers.push(await ack(socket, 'leave-call'));
  for (const answer of answers) if (!answer.ok) refused[answer.error?.code ?? '?'] = (refused[answer.error?.code ?? '?'] ?? 0) + 1;
  socket.close();
}

/** `count` attackers, PARALLEL at a time, spread over the nodes at `urls` in turn. */
async function pattern(urls: string | string[], label: string, count: number, chats: number): Promise<Record<string, number>> {
  const nodes = typeof urls === 'string' ? [urls] : urls;
  const refused: Record<string, number> = {};
  for (let i = 0; i < count; i += PARALLEL) {
    const batch = Array.from({ length: Math.min(PARALLEL, count - i) }, (_, j) => attacker(nodes[(i + j) % nodes.length]!, `${label}-${i + j}`, chats, refused));
    await Promise.all(batch);
  }
  return refused;
}

interface Run {
  config: string;
  limitBytes: number | null;
  before: Memory;
  after: Memory;
  refused: Record<string, number>;
  seconds: number;
}

const SERVER_ENV = {
  NODE_ENV: 'production',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
  // Raised so the pattern is not refused: 11 events per connection (default burst 10) and 50 connections at once
  // from one address (the default limit is 50 open sockets per address).
  RATE_LIMIT_CHAT: '100',
  MAX_SOCKETS_PER_ADDRESS: '10000',
};

async function measure(config: string, limit: string | null, chats: number): Promise<Run> {
  const server = await startServer({ ...SERVER_ENV, ...(limit ? { CHAT_MEMORY_LIMIT: limit } : {}) }, ['--expose-gc', '-r', PROBE]);
  try {
    // Warm-up without chat, the same for every configuration: code paths compiled, pools grown.
    await pattern(server.url, 'warm-up', 200, 0);
    const before = await steadyMemory(server);
    const started = Date.now();
    const refused = await pattern(server.url, 'attack', CONNECTIONS, chats);
    const seconds = (Date.now() - started) / 1000;
    const after = await steadyMemory(server);
    if (server.log.errorCount > 0 || server.exited !== null) throw new Error(`server failed: ${server.log.errors.join(' | ')} exit ${server.exited}`);
    return { config, limitBytes: limit === null ? null : parseLimit(limit), before, after, refused, seconds };
  } finally {
    await server.stop();
  }
}

function parseLimit(limit: string): number {
  return Number.parseInt(limit, 10) * MB;
}

const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

/** What Redis may hold for chat beyond the limit: the encoding of long messages (5%) and a few fixed keys. */
const redisOverhead = (limitBytes: number) => limitBytes * 0.05 + 64 * 1024;

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
}

/** MEMORY USAGE summed over every chat key of the nodes (prefix meet:). */
async function chatKeyBytes(redis: Redis): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  for (const key of await redis.keys('meet:chat*')) {
    bytes += Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
    keys += 1;
  }
  return { bytes, keys };
}

/**
 * Cluster mode: two nodes on one Redis, the attackers spread over both. Redis's memory is read (INFO used_memory)
 * after a warm-up, after the same pattern without chat (its growth is the baseline: held codes, node bookkeeping),
 * and after the attack; the chat's share is the attack's growth minus the baseline's, beside MEMORY USAGE of the
 * chat keys themselves and the counted bytes.
 */
async function measureCluster(limit: string): Promise<Record<string, unknown>> {
  const redis = await startRedisServer();
  const admin = new Redis(redis.server.port, redis.server.host, { connectionName: 'bench-admin' });
  const redisUrl = `redis://${redis.server.host}:${redis.server.port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'meet-bench-chat-'));
  const nodes: ServerProcess[] = [];
  try {
    for (const nodeId of ['node-1', 'node-2']) {
      nodes.push(await startServer({ ...SERVER_ENV, CHAT_MEMORY_LIMIT: limit, REDIS_URL: redisUrl, NODE_ID: nodeId, DATA_DIR: dataDir }));
    }
    const urls = nodes.map((node) => node.url);
    await pattern(urls, 'warm-up', 200, 0);
    const before = await usedMemory(admin);
    await pattern(urls, 'baseline', CONNECTIONS, 0);
    const middle = await usedMemory(admin);
    const started = Date.now();
    const refused = await pattern(urls, 'attack', CONNECTIONS, CHATS_PER_CALL);
    const seconds = (Date.now() - started) / 1000;
    const after = await usedMemory(admin);
    const chatKeys = await chatKeyBytes(admin);
    const counted = Number((await admin.get('meet:chat-bytes')) ?? 0);
    for (const node of nodes) if (node.log.errorCount > 0 || node.exited !== null) throw new Error(`node failed: ${node.log.errors.join(' | ')}`);
    const limitBytes = parseLimit(limit);
    const bound = limitBytes + redisOverhead(limitBytes);
    const chatShare = after - middle - (middle - before);
    return {
      scenario: 'chat-memory-cluster',
      config: `two nodes on one Redis, CHAT_MEMORY_LIMIT=${limit}`,
      setup: `${CONNECTIONS} guest connections spread over both nodes, each: join a fresh call, ${CHATS_PER_CALL} chats of 2,000 characters (8,000 bytes UTF-8), leave; baseline: the same without chat`,
      unit: 'MB',
      redisUsedMemory: { before: mb(before), afterBaseline: mb(middle), afterAttack: mb(after), chatShare: mb(chatShare) },
      chatKeys: { memoryUsage: mb(chatKeys.bytes), keys: chatKeys.keys, counted: mb(counted) },
      target: `chat keys' MEMORY USAGE and the chat share of used_memory <= limit + 5% + 64 KB = ${mb(bound)} MB`,
      pass: chatKeys.bytes <= bound && chatShare <= bound && counted <= limitBytes && Object.keys(refused).length === 0,
      refused,
      seconds,
    };
  } finally {
    for (const node of nodes) await node.stop();
    admin.disconnect();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const machine = { cpus: cpus().length, node: process.version };
  const baseline = await measure('baseline: connect, join, leave, no chat', null, 0);
  const runs = [await measure('CHAT_MEMORY_LIMIT=8MB', '8MB', CHATS_PER_CALL), await measure('CHAT_MEMORY_LIMIT=64MB (default)', '64MB', CHATS_PER_CALL)];
  const growth = (run: Run) => ({ rss: run.after.rss - run.before.rss, heapUsed: run.after.heapUsed - run.before.heapUsed });
  const base = growth(baseline);
  const setup = `${CONNECTIONS} guest connections, each: join a fresh call, ${CHATS_PER_CALL} chats of 2,000 characters (8,000 bytes UTF-8), leave`;
  console.log(
    JSON.stringify({
      scenario: 'chat-memory',
      config: baseline.config,
      setup: `${CONNECTIONS} guest connections, each: join a fresh call, leave`,
      unit: 'MB',
      rss: { before: mb(baseline.before.rss), after: mb(baseline.after.rss), growth: mb(base.rss) },
      heapUsed: { before: mb(baseline.before.heapUsed), after: mb(baseline.after.heapUsed), growth: mb(base.heapUsed) },
      refused: baseline.refused,
      seconds: baseline.seconds,
      machine,
    }),
  );
  for (const run of runs) {
    const g = growth(run);
    const chatRss = g.rss - base.rss;
    const chatHeap = g.heapUsed - base.heapUsed;
    const bound = (run.limitBytes ?? 0) + SLACK_BYTES;
    const sent = CONNECTIONS * CHATS_PER_CALL * Buffer.byteLength(CHAT_TEXT);
    console.log(
      JSON.stringify({
        scenario: 'chat-memory',
        config: run.config,
        setup,
        unit: 'MB',
        chatSent: mb(sent),
        rss: { before: mb(run.before.rss), after: mb(run.after.rss), growth: mb(g.rss), chatShare: mb(chatRss) },
        heapUsed: { before: mb(run.before.heapUsed), after: mb(run.after.heapUsed), growth: mb(g.heapUsed), chatShare: mb(chatHeap) },
        target: `chat share (growth - baseline growth) of RSS and of heapUsed <= limit + ${mb(SLACK_BYTES)} MB = ${mb(bound)} MB`,
        pass: chatRss <= bound && chatHeap <= bound && Object.keys(run.refused).length === 0,
        refused: run.refused,
        seconds: run.seconds,
        machine,
      }),
    );
  }
  if (!redisInstalled()) {
    console.error('bench:chat-memory: cluster mode needs redis-server on PATH (apt-get install redis-server); not measured.');
    return;
  }
  console.log(JSON.stringify({ ...(await measureCluster('8MB')), machine }));
}

runBench(main);
