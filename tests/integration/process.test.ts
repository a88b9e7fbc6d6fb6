import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnMain, spawned, startMain as start } from '../support/main-process';
import { closeAll, connect, next, record, request as ask, settle, type CallClient } from '../support/socket-client';

/** Connects once the node takes connections again, asking until it does (for 5 s at most). */
async function connectOnceTaken(url: string): Promise<CallClient> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await connect(url);
    } catch (error) {
      if (!(error instanceof Error) || error.message !== 'SERVICE_UNAVAILABLE' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
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
    const body = JSON.stringify({ name: 'Slow', username: 'slow', password: 'password123' });
    const register = request(`${server.url}/api/v1/users/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
    });
    const answered = once(register, 'response') as Promise<[IncomingMessage]>;
    register.flushHeaders();
    // Node sends 100 Continue once it has parsed the headers, just before it hands the request to the app: from
    // then on the request is in flight there, and the body, held back until the shutdown has begun, keeps it so.
    await once(register, 'continue');
    server.child.kill('SIGTERM');
    await server.printed('shutting down');
    register.end(body);
    const [response] = await answered;
    response.resume();
    expect(response.statusCode).toBe(201);
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

  it('at its open-files limit, refuses sockets in words and keeps serving those it has (MAX_SOCKETS=auto)', async () => {
    // 256 descriptors: auto keeps 64 back, so 192 sockets are taken and the rest refused while there are descriptors to say so.
    const server = await start({ ...production, MAX_SOCKETS: 'auto', MAX_SOCKETS_PER_ADDRESS: '1000' }, { openFiles: 256 });
    const sockets: CallClient[] = [];
    try {
      const answers = [];
      for (let i = 0; i < 230; i += 1) {
        answers.push(
          await connect(server.url).then(
            (socket) => (sockets.push(socket), 'connected'),
            (error: Error & { data?: { message?: string } }) => `${error.message}: ${error.data?.message ?? ''}`,
          ),
        );
      }
      const connected = answers.filter((answer) => answer === 'connected').length;
      expect(connected).toBe(192);
      expect(new Set(answers.slice(connected))).toEqual(new Set(['SERVICE_UNAVAILABLE: This server holds as many connections as it can; try again shortly']));
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const [first, second] = sockets;
      if (!first || !second) throw new Error('two sockets connected');
      await ask(first, 'join-call', 'at-the-limit');
      await ask(second, 'join-call', 'at-the-limit');
      const seen = record(second);
      await ask(first, 'chat-message', 'still served');
      await settle(second);
      expect(seen.get('chat-message')).toHaveLength(1);
      // A socket that goes makes room for one more: the node takes connections again rather than staying shut.
      const third = sockets[2];
      if (!third) throw new Error('a third socket connected');
      await ask(third, 'join-call', 'at-the-limit');
      const gone = next(first, 'user-left');
      third.close();
      await gone;
      // The call hears the leave as soon as the socket says goodbye; its connection, and so its descriptor, is
      // counted until the node sees it close a moment later: a connection is taken again from then on.
      sockets.push(await connectOnceTaken(server.url));
      await expect(connect(server.url)).rejects.toThrow('SERVICE_UNAVAILABLE');
      expect(server.child.exitCode).toBeNull();
    } finally {
      closeAll(sockets);
    }
  }, 30_000);

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
