import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

export interface RedisServer {
  host: string;
  port: number;
}

const installed = spawnSync('redis-server', ['--version']).status === 0;

/**
 * A describe block with its own redis-server on an ephemeral port for the whole block. Without redis-server on
 * PATH it reports itself skipped in one line, unless REQUIRE_REDIS=1 (as .ci/run sets), where it fails.
 */
export function describeWithRedis(name: string, body: (server: () => RedisServer) => void): void {
  if (!installed) {
    if (process.env.REQUIRE_REDIS === '1') {
      describe(name, () => {
        it('finds redis-server on PATH (REQUIRE_REDIS=1)', () => {
          throw new Error('redis-server is not on PATH and REQUIRE_REDIS=1: install it (apt-get install redis-server)');
        });
      });
    } else {
      // Jest names no test of a wholly skipped file, so the reason goes to stderr, once per suite.
      process.stderr.write(`${name}: skipped: redis-server is not installed (apt-get install redis-server)\n`);
      describe(name, () => it.skip('skipped: redis-server is not installed (apt-get install redis-server)', () => {}));
    }
    return;
  }
  describe(name, () => {
    let running: { server: RedisServer; stop: () => Promise<void> } | undefined;
    beforeAll(async () => {
      running = await startRedisServer();
    });
    body(() => {
      if (!running) throw new Error('redis-server is not running');
      return running.server;
    });
    // Declared after the body's own hooks, so Redis stops only once what the body started has closed.
    afterAll(async () => {
      await running?.stop();
    });
  });
}

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

/** A redis-server of its own, on `port` when given (to restart one where it was), else an ephemeral one. */
export async function startRedisServer(port?: number): Promise<{ server: RedisServer; stop: () => Promise<void> }> {
  const host = '127.0.0.1';
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', host], { stdio: ['ignore', 'pipe', 'pipe'] });
  await untilReady(child);
  return {
    server: { host, port },
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
