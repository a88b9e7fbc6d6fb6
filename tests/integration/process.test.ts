import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built entry point exactly as `npm start` does (`npm test` builds first).
const MAIN = resolve(__dirname, '../../dist/main/main.js');

/**
 * Spawns the entry point with only `env` (plus PATH) and a fresh empty working directory, so that neither the
 * developer's environment nor a `.env` in the checkout (read by `dotenv/config`) changes what is tested.
 */
const spawned = new Set<ChildProcess>();

function spawnMain(env: Record<string, string>): ChildProcess {
  const cwd = mkdtempSync(join(tmpdir(), 'meet-cwd-'));
  const child = spawn(process.execPath, [MAIN], { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.add(child);
  child.once('exit', () => {
    spawned.delete(child);
    rmSync(cwd, { recursive: true, force: true });
  });
  return child;
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawnMain({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env });
  let output = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\w.:]+)/.exec(output);
      if (match?.[1]) ready({ child, url: match[1], output: () => output, exit });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then((code) => fail(new Error(`exited ${code} before listening:\n${output}`)));
  });
}

describe('the server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'meet-proc-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  // A failed test must not leave a server running.
  afterEach(() => spawned.forEach((child) => child.kill('SIGKILL')));
  const production = { NODE_ENV: 'production', JWT_SECRET: 'z'.repeat(40), DATA_DIR: dataDir, BCRYPT_ROUNDS: '12' };

  it('starts on the SQLite default, prints its URL, and on SIGTERM finishes in-flight work and exits 0', async () => {
    const server = await start(production);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const inFlight = fetch(`${server.url}/api/v1/users/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Slow', username: 'slow', password: 'password123' }),
    });
    await new Promise((r) => setTimeout(r, 30));
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(201);
    expect(await server.exit).toBe(0);
    expect(server.output()).not.toContain('password123');
  });

  // The bound is the test's timeout, below the 10 s a log flush into a dead pipe used to block the exit.
  it.each([
    ['development (pretty logs)', { NODE_ENV: 'development', DATA_DIR: dataDir, BCRYPT_ROUNDS: '10' }],
    ['production (JSON logs)', production],
  ])('in %s, exits 0 on SIGTERM even when nobody reads its output any more', async (_mode, env) => {
    const server = await start(env);
    server.child.stdout?.destroy();
    server.child.stderr?.destroy();
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  }, 8000);

  it('refuses to start with a bad variable, naming it in one line', async () => {
    const child = spawnMain({ PORT: 'http' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Invalid configuration: PORT /);
  });

  it('refuses to start in production without a long JWT_SECRET', async () => {
    const child = spawnMain({ NODE_ENV: 'production', DATA_DIR: dataDir });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((done) => child.once('exit', done))).toBe(1);
    expect(stderr).toMatch(/JWT_SECRET/);
  });
});
