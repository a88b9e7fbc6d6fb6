import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/*
 * A redis-server child process, shared by the tests (redis-server.ts) and the benches (tsconfig.bench.json
 * compiles the few support files it shares from tests/): no Jest in here.
 */

export interface RedisServer {
  host: string;
  port: number;
}

export interface RunningRedis {
  server: RedisServer;
  pid: number;
  stop: () => Promise<void>;
}

export const redisInstalled = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** A redis-server of its own, persistence off, on `port` when given (to restart one where it was), else an ephemeral one. */
export async function startRedisServer(port?: number): Promise<RunningRedis> {
  const host = '127.0.0.1';
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', host], { stdio: ['ignore', 'pipe', 'pipe'] });
  await untilReady(child);
  return {
    server: { host, port },
    pid: child.pid ?? 0,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function untilReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
}
