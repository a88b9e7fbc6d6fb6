import { freePort, redisInstalled, startRedisServer, type RedisServer } from './redis-process';

export { freePort, startRedisServer, type RedisServer };

const installed = redisInstalled();

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
