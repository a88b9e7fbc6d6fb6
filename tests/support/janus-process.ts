import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { findJanusLibDir, writeJanusConfig, type JanusConfigOptions } from '../../src/adapters/media/janus-config';
import { freePort } from './redis-process';

/*
 * A Janus child process (Debian's `janus`) on the project's generated configuration (src/adapters/media/janus-config.ts),
 * shared by the tests (janus-server.ts) and `npm run janus` (scripts/janus.ts): no Jest in here. Never the system
 * service: each one has its own configuration folder, WebSocket port and UDP range.
 */

export const JANUS_INSTALL_HINT = 'apt-get install janus';

/** Why Janus cannot be started here, or null when it can. */
export function janusMissing(): string | null {
  if (spawnSync('janus', ['--help']).status !== 0) return 'janus is not on PATH';
  if (findJanusLibDir() === null) return 'no Janus installation with the VideoRoom plugin and the WebSocket transport was found';
  return null;
}

export interface JanusStart {
  /** 127.0.0.1 unless given. */
  host?: string;
  /** An ephemeral one unless given. */
  port?: number;
  /** A random 100-port window in 40000-59999 unless given. */
  rtpPorts?: JanusConfigOptions['rtpPorts'];
  iceEnforceList?: string;
  webrtcEncryption?: boolean;
  debugLevel?: number;
  /** 'inherit': Janus writes to this process's stdout and stderr; 'pipe' (default): kept for the error of a failed start. */
  output?: 'pipe' | 'inherit';
  /** Where the configuration is written and kept; a temporary folder, removed by stop(), unless given. */
  configDir?: string;
}

export interface RunningJanus {
  /** The Janus API's WebSocket URL (JANUS_URLS). */
  url: string;
  pid: number;
  /** Resolves when the process is gone, however it ended. */
  exited: Promise<void>;
  /** What Janus printed (the last 64 KB), with output 'pipe'. */
  output: () => string;
  /** SIGKILL, and the process is gone. */
  kill: () => Promise<void>;
  /** SIGSTOP: Janus stops answering, its sockets stay open. */
  freeze: () => void;
  /** SIGCONT after freeze. */
  thaw: () => void;
  /** SIGTERM (SIGKILL after 5 s), then its temporary configuration folder is removed. */
  stop: () => Promise<void>;
}

/** The first IPv4 address of a non-loopback interface: where a test Janus gathers its candidates (see janus-config.ts). */
export function hostAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .find((address) => address.family === 'IPv4' && !address.internal)?.address;
}

export async function startJanus(start: JanusStart = {}): Promise<RunningJanus> {
  const libDir = findJanusLibDir();
  if (libDir === null) throw new Error(`Janus is not installed (${JANUS_INSTALL_HINT})`);
  const host = start.host ?? '127.0.0.1';
  const port = start.port ?? (await freePort());
  const base = 40_000 + 100 * Math.floor(Math.random() * 200);
  const dir = start.configDir ?? mkdtempSync(join(tmpdir(), 'janus-'));
  if (start.configDir !== undefined) mkdirSync(dir, { recursive: true });
  const args = writeJanusConfig(dir, {
    host,
    port,
    rtpPorts: start.rtpPorts ?? { min: base, max: base + 99 },
    libDir,
    iceEnforceList: start.iceEnforceList,
    webrtcEncryption: start.webrtcEncryption,
    debugLevel: start.debugLevel,
  });
  const piped = (start.output ?? 'pipe') === 'pipe';
  const child = spawn('janus', args, { stdio: piped ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-65_536));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const signal = (name: NodeJS.Signals) => {
    if (!gone) child.kill(name);
  };
  const stop = async () => {
    signal('SIGCONT');
    signal('SIGTERM');
    const killer = setTimeout(() => signal('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
    if (start.configDir === undefined) rmSync(dir, { recursive: true, force: true });
  };
  const url = `ws://${host}:${port}`;
  try {
    await untilAnswering(url, () => (gone ? `janus exited (${String(child.exitCode ?? child.signalCode)}) before answering:\n${output}` : null));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid: child.pid ?? 0,
    exited,
    output: () => output,
    kill: async () => {
      signal('SIGKILL');
      await exited;
    },
    freeze: () => signal('SIGSTOP'),
    thaw: () => signal('SIGCONT'),
    stop,
  };
}

/**
 * Ready means the Janus API answers `info` over the WebSocket and lists the VideoRoom plugin (transports load after
 * plugins, so a WebSocket that accepts is not yet proof of it); retried until then, or `failure()` says never.
 */
async function untilAnswering(url: string, failure: () => string | null, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = failure();
    if (problem) throw new Error(problem);
    if (await answersInfo(url)) return;
    if (Date.now() > deadline) throw new Error(`Janus did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function answersInfo(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'janus-protocol', { handshakeTimeout: 1_000 });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.terminate();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), 2_000);
    socket.on('error', () => done(false));
    socket.on('open', () => socket.send(JSON.stringify({ janus: 'info', transaction: 'ready' })));
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as { janus?: string; plugins?: Record<string, unknown> };
      done(reply.janus === 'server_info' && reply.plugins !== undefined && 'janus.plugin.videoroom' in reply.plugins);
    });
  });
}

