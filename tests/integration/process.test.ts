import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Runs the built entry point exactly as `npm start` does (`npm test` builds first).
const MAIN = resolve(__dirname, '../../dist/main/main.js');

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

  it('starts on the SQLite default, prints its URL, and on SIGTERM finishes in-flight work and exits 0', async () => {
    const server = await start({ NODE_ENV: 'production', JWT_SECRET: 'z'.repeat(40), DATA_DIR: dataDir, BCRYPT_ROUNDS: '12' });
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

  it('refuses to start with a bad variable, naming it in one line', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, PORT: 'http' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => child.once('exit', done));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^Invalid configuration: PORT /);
  });

  it('refuses to start in production without a long JWT_SECRET', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((done) => child.once('exit', done))).toBe(1);
    expect(stderr).toMatch(/JWT_SECRET/);
  });
});
