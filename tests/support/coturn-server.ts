import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CoturnServer {
  host: string;
  port: number;
  /** coturn's static-auth-secret: what TURN_SECRET must be for its credentials to work here. */
  secret: string;
}

const HOST = '127.0.0.1';
const installed = ['turnserver', 'turnutils_uclient'].every((tool) => spawnSync('which', [tool]).status === 0);
const INSTALL_HINT = 'apt-get install coturn';

/**
 * A describe block with its own coturn (`turnserver`, TURN REST `use-auth-secret`) on an ephemeral loopback port
 * for the whole block. Without coturn on PATH it reports itself skipped in one line, unless REQUIRE_COTURN=1 (as
 * .ci/run sets), where it fails.
 */
export function describeWithCoturn(name: string, body: (server: () => CoturnServer) => void): void {
  if (!installed) {
    if (process.env.REQUIRE_COTURN === '1') {
      describe(name, () => {
        it('finds turnserver and turnutils_uclient on PATH (REQUIRE_COTURN=1)', () => {
          throw new Error(`coturn is not on PATH and REQUIRE_COTURN=1: install it (${INSTALL_HINT})`);
        });
      });
    } else {
      // Jest names no test of a wholly skipped file, so the reason goes to stderr, once per suite.
      process.stderr.write(`${name}: skipped: coturn is not installed (${INSTALL_HINT})\n`);
      describe(name, () => it.skip(`skipped: coturn is not installed (${INSTALL_HINT})`, () => {}));
    }
    return;
  }
  describe(name, () => {
    let running: { server: CoturnServer; stop: () => Promise<void> } | undefined;
    beforeAll(async () => {
      running = await startCoturn();
    });
    body(() => {
      if (!running) throw new Error('turnserver is not running');
      return running.server;
    });
    afterAll(async () => {
      await running?.stop();
    });
  });
}

/** A port free on loopback for both TCP and UDP, as coturn listens on both. */
async function freePort(): Promise<number> {
  for (;;) {
    const probe = createServer().listen(0, HOST);
    await once(probe, 'listening');
    const address = probe.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port');
    const udp = createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(address.port, HOST, () => resolve(true));
    });
    udp.close();
    probe.close();
    await once(probe, 'close');
    if (bound) return address.port;
  }
}

async function startCoturn(): Promise<{ server: CoturnServer; stop: () => Promise<void> }> {
  const port = await freePort();
  const secret = randomBytes(16).toString('hex');
  // Its pid file and (unused) user database go here, not to /var.
  const dir = mkdtempSync(join(tmpdir(), 'coturn-'));
  const child = spawn(
    'turnserver',
    [
      '-n',
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=test',
      `--listening-ip=${HOST}`,
      `--relay-ip=${HOST}`,
      `--listening-port=${port}`,
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      // turnutils_uclient sets up a permission for a peer on loopback; production configs deny it (docs/turn.md).
      '--allow-loopback-peers',
      '--log-file=stdout',
      `--pidfile=${join(dir, 'turnserver.pid')}`,
      `--userdb=${join(dir, 'turndb')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilListening(port, () => (child.exitCode === null ? null : `turnserver exited (${child.exitCode}) before listening:\n${output}`));
  } catch (error) {
    await stop();
    throw error;
  }
  return { server: { host: HOST, port, secret }, stop };
}

/** Retries a TCP connection until turnserver accepts one, or `failure()` says it never will. */
async function untilListening(port: number, failure: () => string | null): Promise<void> {
  for (;;) {
    const problem = failure();
    if (problem) throw new Error(problem);
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type Allocation = 'allocated' | 'refused';

/**
 * One TURN allocation over TCP by coturn's own client, turnutils_uclient, with a permission for a peer and no data
 * sent. 'refused' only when the server answered and the allocation could not be completed; anything else (no
 * answer, a crash) fails with the client's output.
 */
export async function allocate(server: CoturnServer, login: { username: string; credential: string }): Promise<Allocation> {
  const first = await allocateOnce(server, login);
  // turnutils_uclient now and then exits 255 before printing a word (it never reached the server: it chooses its
  // local ports at random); that says nothing of the server, so it is tried once more. Any answer is final.
  if (first.code !== 0 && first.output.trim() === '') return answerOf(await allocateOnce(server, login));
  return answerOf(first);
}

function answerOf({ code, output }: { code: number | null; output: string }): Allocation {
  if (code === 0) return 'allocated';
  if (output.includes('Cannot complete Allocation')) return 'refused';
  throw new Error(`turnutils_uclient exited (${String(code)}) without an answer on the allocation:\n${output}`);
}

async function allocateOnce(server: CoturnServer, login: { username: string; credential: string }): Promise<{ code: number | null; output: string }> {
  const args = ['-t', '-c', '-n', '0', '-u', login.username, '-w', login.credential, '-p', String(server.port), '-e', HOST, server.host];
  const client = spawn('turnutils_uclient', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  client.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  client.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => client.once('exit', (code) => resolve(code)));
  const killer = setTimeout(() => client.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(killer);
  return { code, output };
}
