import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ServerOptions } from 'socket.io';
import { InMemoryCallStore } from '../adapters/persistence/memory/in-memory-call-store';
import { RedisHealth } from '../adapters/persistence/redis/redis-health';
import { RedisCallStore } from '../adapters/persistence/redis/redis-call-store';
import { RedisInvalidations } from '../adapters/persistence/redis/redis-invalidations';
import { InProcessInvalidations, type Invalidations } from '../adapters/persistence/invalidations';
import { BatchingRedis } from '../adapters/realtime/batching-redis';
import type { Clock } from '../application/ports/clock';
import type { DatabaseHealth } from '../application/ports/database-health';
import type { CallStore } from '../application/ports/call-store';
import type { Config } from '../config/env';

/** What lives beyond one request: calls, login budgets, and how Socket.IO reaches the other nodes. */
export interface LiveState {
  kind: 'memory' | 'redis';
  rooms: CallStore;
  loginLimiters: { perAccount: RateLimiterAbstract; perAddress: RateLimiterAbstract };
  /** The Socket.IO adapter; undefined for the default in-process one. */
  socketAdapter: ServerOptions['adapter'] | undefined;
  /** How a change reaches the other nodes' caches: a revoked session, a user whose history grew. */
  invalidations: { sessions: Invalidations; history: Invalidations };
  /** Readiness of what the live state depends on beyond the database, by name. */
  health: Record<string, DatabaseHealth>;
  close(): Promise<void>;
}

const KEY_PREFIX = 'meet:';
/** A node silent this long is dead; it heartbeats (and sweeps for dead nodes) every NODE_HEARTBEAT_MS. */
const NODE_LIVENESS_MS = 10_000;
export const NODE_HEARTBEAT_MS = 3_000;

/** The one place cluster mode is chosen: Redis when REDIS_URL is set, this process's memory otherwise. */
export function openLiveState(config: Config, clock: Clock, logger: Logger): LiveState {
  const limits = (perAccount: (o: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract) => ({
    perAccount: perAccount({ keyPrefix: `${KEY_PREFIX}login-account`, points: config.loginMaxFailures, duration: config.loginWindowSeconds }),
    perAddress: perAccount({ keyPrefix: `${KEY_PREFIX}login-address`, points: config.loginMaxFailuresPerAddress, duration: config.loginWindowSeconds }),
  });
  const calls = config.calls;
  if (!config.redisUrl) {
    return {
      kind: 'memory',
      rooms: new InMemoryCallStore({
        historyTtlMs: calls.chatHistoryTtlSeconds * 1000,
        codeHoldMs: calls.codeHoldSeconds * 1000,
        chatMemoryLimitBytes: calls.chatMemoryLimitBytes, clock }),
      loginLimiters: limits((options) => new RateLimiterMemory(options)),
      socketAdapter: undefined,
      invalidations: { sessions: new InProcessInvalidations(), history: new InProcessInvalidations() },
      health: {},
      close: async () => {},
    };
  }

  // While Redis is away a store call fails after one reconnection attempt (SERVICE_UNAVAILABLE) rather than queueing
  // for long, and a command whose answer was lost is not sent twice (a chat would be stored twice).
  // Reconnecting is automatic. A Redis that is connected but does not answer (frozen, overloaded) holds no command
  // past the timeout: socket events answer SERVICE_UNAVAILABLE and /ready 503 within it.
  const store = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    commandTimeout: config.redisCommandTimeoutMs,
  });
  // The Socket.IO adapter publishes without handling a failure, and no event waits for a publish: its publishes
  // wait for Redis to come back rather than reject unhandled (so no timeout here), delaying other nodes' deliveries.
  // The publisher sends the publishes of one turn of the event loop in one write (BatchingRedis).
  const pub = new BatchingRedis(config.redisUrl, { maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  const invalidations = new Redis(config.redisUrl, { autoResubscribe: false });
  let down = false;
  for (const [name, client] of Object.entries({ store, pub, sub, invalidations })) {
    client.on('error', (error: Error) => {
      if (!down) logger.warn({ redis: name, err: error.message }, 'redis unavailable');
      down = true;
    });
    client.on('ready', () => {
      if (down) logger.info({ redis: name }, 'redis available again');
      down = false;
    });
  }
  return {
    kind: 'redis',
    rooms: new RedisCallStore(store, {
      keyPrefix: KEY_PREFIX,
      historyTtlMs: calls.chatHistoryTtlSeconds * 1000,
      codeHoldMs: calls.codeHoldSeconds * 1000,
      chatMemoryLimitBytes: calls.chatMemoryLimitBytes,
      clock,
      nodeId: config.nodeId,
      livenessMs: NODE_LIVENESS_MS,
    }),
    loginLimiters: limits((options) => new RateLimiterRedis({ ...options, storeClient: store })),
    socketAdapter: createAdapter(pub, sub, { key: `${KEY_PREFIX}socket.io` }),
    // Published with the store's client, which fails fast: a logout that could not tell the other nodes says so.
    invalidations: {
      sessions: new RedisInvalidations(store, invalidations, `${KEY_PREFIX}session-revoked`),
      history: new RedisInvalidations(store, invalidations, `${KEY_PREFIX}history-changed`),
    },
    health: { redis: new RedisHealth(store) },
    // Nothing is left to flush once the sockets are gone; disconnecting also ends commands still waiting for a
    // Redis that is away, so a shutdown during an outage does not wait for Redis.
    close: async () => {
      for (const client of [store, pub, sub, invalidations]) client.disconnect();
    },
  };
}
