import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  evictDeadNodesScript,
  expireGraceScript,
  heartbeatScript,
  joinScript,
  leaveScript,
  postChatScript,
  setMediaScript,
  unlockScript,
} from '../../src/adapters/persistence/redis/redis-call-store-scripts';
import { sleep } from './server-process';

/**
 * Counts the commands Redis receives, as MONITOR sees them, between two ECHO markers sent by the bench (the idea of
 * tests/integration/redis-call-store.test.ts). Each command is put down to the node whose connection sent it (its
 * connections are learnt from CLIENT LIST as it starts) and sorted: the room store's commands (EVAL/EVALSHA named by
 * script, MGET, ...), the Socket.IO adapter's (PUBLISH and the subscription commands), commands run inside scripts,
 * and the nodes' liveness traffic (heartbeat, dead-node sweep and reconnect-grace expiry: their scripts, known by
 * SHA1, and the sweep lock's SET), which is left out of the store's count.
 */

const SCRIPTS: Record<string, string> = {
  join: joinScript.lua,
  leave: leaveScript.lua,
  postChat: postChatScript.lua,
  setMedia: setMediaScript.lua,
  heartbeat: heartbeatScript.lua,
  evictDeadNodes: evictDeadNodesScript.lua,
  unlock: unlockScript.lua,
  expireGrace: expireGraceScript.lua,
};
const SCRIPT_BY_SHA = new Map(Object.entries(SCRIPTS).map(([name, lua]) => [createHash('sha1').update(lua).digest('hex'), name]));
const SCRIPT_BY_BODY = new Map(Object.entries(SCRIPTS).map(([name, lua]) => [asMonitored(lua), name]));
const LIVENESS_SCRIPTS = new Set(['heartbeat', 'evictDeadNodes', 'unlock', 'expireGrace']);
const ADAPTER_COMMANDS = new Set(['publish', 'spublish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe']);

export type Kind = 'store' | 'adapter' | 'liveness';

/** What one window saw, per node and kind, each command by name (`evalsha:join`, `mget`, `publish`). */
export interface Window {
  commands: Array<{ node: string; kind: Kind; command: string }>;
  /** Commands scripts ran inside Redis (MONITOR's `lua` source). */
  insideScripts: number;
  /** Commands from connections of no node (the bench's own), markers excepted. */
  other: number;
}

interface Seen {
  args: string[];
  source: string;
}

/** An argument as ioredis hands MONITOR's over: escaped by Redis (sdscatrepr), then `\\"` turned back into `"`. */
function asMonitored(text: string): string {
  const escapes: Record<number, string> = { 0x5c: '\\\\', 0x22: '"', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x07: '\\a', 0x08: '\\b' };
  let out = '';
  for (const byte of Buffer.from(text)) {
    out += escapes[byte] ?? (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`);
  }
  return out;
}

function addresses(clientList: string): Set<string> {
  return new Set([...clientList.matchAll(/\baddr=(\S+)/g)].map((match) => match[1] ?? ''));
}

export class RedisCommandCounter {
  private readonly nodeOf = new Map<string, string>();
  private monitor: Redis | undefined;
  private readonly seen: Seen[] = [];

  constructor(private readonly admin: Redis) {}

  /** Runs `start` (a node starting) and puts the `connections` new Redis connections down to `node`. */
  async learnNode<T>(node: string, connections: number, start: () => Promise<T>): Promise<T> {
    const before = addresses(await this.clientList());
    const started = await start();
    for (let waited = 0; ; waited += 50) {
      const fresh = [...addresses(await this.clientList())].filter((address) => !before.has(address));
      if (fresh.length >= connections) {
        for (const address of fresh) this.nodeOf.set(address, node);
        return started;
      }
      if (waited > 10_000) throw new Error(`${node} opened ${fresh.length} Redis connections, not ${connections}`);
      await sleep(50);
    }
  }

  async start(): Promise<void> {
    this.monitor = await this.admin.monitor();
    this.monitor.on('monitor', (_time: string, args: string[], source: string) => this.seen.push({ args, source }));
  }

  stop(): void {
    this.monitor?.disconnect();
  }

  /** The commands sent while `run` ran: it must finish only once everything the nodes do for it has reached Redis. */
  async during(run: () => Promise<unknown>): Promise<Window> {
    const [start, end] = [`start-${randomUUID()}`, `end-${randomUUID()}`];
    await this.admin.echo(start);
    await run();
    await this.admin.echo(end);
    const isMarker = (entry: Seen, marker: string) => entry.args[0]?.toLowerCase() === 'echo' && entry.args[1] === marker;
    for (let waited = 0; !this.seen.some((entry) => isMarker(entry, end)); waited += 5) {
      if (waited > 10_000) throw new Error('MONITOR did not show the end marker');
      await sleep(5);
    }
    const from = this.seen.findIndex((entry) => isMarker(entry, start));
    const to = this.seen.findIndex((entry) => isMarker(entry, end));
    if (from < 0) throw new Error('MONITOR did not show the start marker');
    const entries = this.seen.splice(0).slice(from + 1, to);
    const window: Window = { commands: [], insideScripts: 0, other: 0 };
    for (const { args, source } of entries) {
      const node = this.nodeOf.get(source);
      if (source === 'lua') window.insideScripts += 1;
      else if (node === undefined) window.other += 1;
      else window.commands.push({ node, ...classify(args) });
    }
    return window;
  }

  private async clientList(): Promise<string> {
    return String(await this.admin.call('CLIENT', 'LIST'));
  }
}

function classify(args: string[]): { kind: Kind; command: string } {
  const name = (args[0] ?? '').toLowerCase();
  if (ADAPTER_COMMANDS.has(name)) return { kind: 'adapter', command: name };
  const script = name === 'evalsha' ? SCRIPT_BY_SHA.get(args[1] ?? '') : name === 'eval' ? SCRIPT_BY_BODY.get(args[1] ?? '') : undefined;
  if (script !== undefined) return { kind: LIVENESS_SCRIPTS.has(script) ? 'liveness' : 'store', command: `${name}:${script}` };
  if (name === 'set' && (args[1] ?? '').endsWith('sweep-lock')) return { kind: 'liveness', command: 'set:sweep-lock' };
  return { kind: 'store', command: name };
}
