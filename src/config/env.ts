import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseDurationMs, parseDurationSeconds } from './duration';
import { iceUrlList } from './ice-urls';
import { MEDIA_MODES, type MediaMode } from '../domain/media-path';

const YEAR_SECONDS = 365 * 86400;

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const seconds = parseDurationSeconds(text);
      if (seconds === null) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 30s, 15m, 1h or 7d` });
        return z.NEVER;
      }
      if (seconds > YEAR_SECONDS) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is longer than the maximum of 365d` });
        return z.NEVER;
      }
      return seconds;
    });

/** A duration that may be under a second (500ms, 2s), in milliseconds, at most `maxMs`. */
const millis = (fallback: string, maxMs: number) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDurationMs(text);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 500ms, 2s or 1m` });
        return z.NEVER;
      }
      if (ms > maxMs) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is longer than the maximum of ${maxMs / 1000}s` });
        return z.NEVER;
      }
      return ms;
    });

const BYTE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** A size like 64MB, 512KB or 1048576 (bytes). */
const bytes = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const match = /^(\d+)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
      const size = match ? Number(match[1]) * (BYTE_UNITS[(match[2] ?? '').toUpperCase()] ?? 0) : 0;
      if (size < 1024) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a size of at least 1KB like 64MB, 512KB or 1048576` });
        return z.NEVER;
      }
      return size;
    });

const int = (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const CHAT_ECHO = { auto: 'auto', true: 'always', false: 'never' } as const;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() !== '' ? value.trim() : undefined));

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: int(8000, 0, 65535),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URI: optionalText.refine((uri) => uri === undefined || /^mongodb(\+srv)?:\/\//.test(uri), {
      message: 'must start with mongodb:// or mongodb+srv://',
    }),
    JWT_SECRET: optionalText,
    REDIS_URL: optionalText.refine((uri) => uri === undefined || /^rediss?:\/\//.test(uri), {
      message: 'must start with redis:// or rediss://',
    }),
    REDIS_COMMAND_TIMEOUT: millis('2s', 60_000),
    JANUS_URLS: z
      .string()
      .default('')
      .transform((list) => list.split(',').map((url) => url.trim()).filter(Boolean))
      .refine((urls) => urls.every((url) => /^wss?:\/\/[^\s/]+/.test(url)), { message: 'must be a comma-separated list of ws:// or wss:// URLs' })
      .refine((urls) => new Set(urls).size === urls.length, { message: 'must not name the same Janus twice' }),
    JANUS_REQUEST_TIMEOUT: millis('5s', 60_000),
    MAX_SFU_PARTICIPANTS: int(100, 2, 1000),
    MEDIA_MODE: z.enum(MEDIA_MODES, { error: 'must be auto, mesh or sfu' }).default('auto'),
    SFU_FROM: int(3, 1, 1000),
    NODE_ID: optionalText.refine((id) => id === undefined || /^[A-Za-z0-9._-]{1,64}$/.test(id), {
      message: 'must be 1-64 characters of letters, digits, . _ -',
    }),
    JWT_TTL: duration('7d'),
    BCRYPT_ROUNDS: int(12, 4, 15),
    UV_THREADPOOL_SIZE: int(4, 1, 1024),
    CLIENT_URL: z.string().default(''),
    TRUST_PROXY: flag(false),
    LOGIN_MAX_FAILURES: int(10, 1, 1000),
    LOGIN_MAX_FAILURES_PER_ADDRESS: int(100, 1, 1_000_000),
    LOGIN_WINDOW: duration('15m'),
    SESSION_CLEANUP_INTERVAL: duration('1h'),
    REQUIRE_AUTH: flag(false),
    CHAT_ECHO_SENDER: z
      .enum(['auto', 'true', 'false'], { error: 'must be auto, true or false' })
      .default('auto')
      .transform((value) => CHAT_ECHO[value]),
    CHAT_HISTORY_TTL: duration('1h'),
    RECONNECT_GRACE: duration('20s'),
    CALL_CODE_HOLD: duration('24h'),
    CHAT_HISTORY_LIMIT: int(100, 0, 10_000),
    CHAT_MEMORY_LIMIT: bytes('64MB'),
    MAX_SOCKETS_PER_ADDRESS: int(50, 1, 100_000),
    MAX_SOCKETS: z
      .string()
      .default('auto')
      .transform((text, ctx) => {
        if (text === 'auto') return 'auto' as const;
        const count = /^\d+$/.test(text) ? Number(text) : NaN;
        if (!(count >= 1 && count <= 10_000_000)) {
          ctx.addIssue({ code: 'custom', message: `"${text}" is not auto or a number of sockets from 1 to 10000000` });
          return z.NEVER;
        }
        return count;
      }),
    MAX_PARTICIPANTS: int(8, 2, 100),
    RATE_LIMIT_CHAT: int(5, 1, 100_000),
    RATE_LIMIT_SIGNAL: int(100, 1, 1_000_000),
    STUN_URLS: iceUrlList('stun'),
    TURN_URLS: iceUrlList('turn'),
    TURN_SECRET: optionalText,
    TURN_TTL: duration('1h'),
    RATE_LIMIT_ICE_SERVERS: int(60, 1, 1_000_000),
    RATE_LIMIT_MEETING_LOOKUP: int(60, 1, 1_000_000),
    METRICS_ENABLED: flag(true),
    METRICS_TOKEN: optionalText.refine((token) => token === undefined || /^[A-Za-z0-9._~+/=-]{16,}$/.test(token), {
      message: 'must be at least 16 characters of letters, digits, - . _ ~ + / =',
    }),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'test' && env.BCRYPT_ROUNDS < 10) {
      ctx.addIssue({ code: 'custom', path: ['BCRYPT_ROUNDS'], message: 'must be at least 10 outside NODE_ENV=test' });
    }
    if (env.NODE_ENV === 'production' && (env.JWT_SECRET?.length ?? 0) < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production and must be at least 32 characters' });
    }
    if (env.TURN_URLS.length > 0 && env.TURN_SECRET === undefined) {
      ctx.addIssue({ code: 'custom', path: ['TURN_SECRET'], message: "is required with TURN_URLS: set it to the TURN server's static-auth-secret" });
    }
    if (env.TURN_SECRET !== undefined && env.TURN_URLS.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['TURN_URLS'], message: 'is required with TURN_SECRET: list the TURN servers it is for' });
    }
  });

type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  mongodbUri: string | undefined;
  jwtSecret: string | undefined;
  /** Set: cluster mode on this Redis. */
  redisUrl: string | undefined;
  /** How long any Redis command may take before it fails (SERVICE_UNAVAILABLE, /ready 503). */
  redisCommandTimeoutMs: number;
  /** This process in logs and in the cluster. */
  nodeId: string;
  media: {
    /** The Janus servers (their WebSocket API, never public) calls can use as an SFU; empty: every call is a mesh. */
    janusUrls: string[];
    /** How long any Janus request may take before it fails (SERVICE_UNAVAILABLE, /ready 503). */
    janusRequestTimeoutMs: number;
    /** The most participants a call on the SFU takes (a room's publishers). */
    maxSfuParticipants: number;
    /** How calls whose meeting left it at auto carry media: auto (a mesh until sfuFrom people), mesh or sfu. */
    mode: MediaMode;
    /** Under auto, the participant whose join moves a call onto the SFU. */
    sfuFrom: number;
  };
  jwtTtlSeconds: number;
  bcryptRounds: number;
  threadPoolSize: number;
  clientOrigins: string[];
  trustProxy: boolean;
  loginMaxFailures: number;
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  sessionCleanupIntervalSeconds: number;
  calls: {
    requireAuth: boolean;
    chatEcho: (typeof CHAT_ECHO)[keyof typeof CHAT_ECHO];
    chatHistoryTtlSeconds: number;
    /** How long a dropped participant that joined with an ack stays in its call, waiting to resume. */
    reconnectGraceSeconds: number;
    /** How long the code of an ended ad-hoc call cannot become a meeting's code. */
    codeHoldSeconds: number;
    chatHistoryLimit: number;
    chatMemoryLimitBytes: number;
    maxSocketsPerAddress: number;
    /** Open sockets on this node; auto: what the process's open-files limit leaves room for (see open-files.ts). */
    maxSockets: number | 'auto';
    maxParticipants: number;
    rateLimitChatPerSecond: number;
    rateLimitSignalPerSecond: number;
  };
  ice: {
    stunUrls: string[];
    /** Null without TURN_URLS: clients get the STUN servers only. */
    turn: { urls: string[]; secret: string; ttlSeconds: number } | null;
    /** GET /api/v1/ice-servers per client address per minute. */
    rateLimitPerMinute: number;
  };
  meetings: {
    /** GET /api/v1/meetings/:code per client address per minute: codes and titles are not to be guessed by trying. */
    lookupRateLimitPerMinute: number;
  };
  metrics: {
    enabled: boolean;
    /** Set: /metrics answers only `Authorization: Bearer <token>`. */
    token: string | undefined;
  };
}

export class ConfigError extends Error {}

/** Reads and checks the environment; a bad value throws ConfigError with one line naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const variable = first?.path.join('.') || 'environment';
    throw new ConfigError(`Invalid configuration: ${variable} ${first?.message ?? 'is invalid'}`);
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    mongodbUri: env.MONGODB_URI,
    jwtSecret: env.JWT_SECRET,
    redisUrl: env.REDIS_URL,
    redisCommandTimeoutMs: env.REDIS_COMMAND_TIMEOUT,
    nodeId: env.NODE_ID ?? `node-${randomBytes(4).toString('hex')}`,
    media: {
      janusUrls: env.JANUS_URLS,
      janusRequestTimeoutMs: env.JANUS_REQUEST_TIMEOUT,
      maxSfuParticipants: env.MAX_SFU_PARTICIPANTS,
      mode: env.MEDIA_MODE,
      sfuFrom: env.SFU_FROM,
    },
    jwtTtlSeconds: env.JWT_TTL,
    bcryptRounds: env.BCRYPT_ROUNDS,
    threadPoolSize: env.UV_THREADPOOL_SIZE,
    clientOrigins: env.CLIENT_URL.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    loginMaxFailures: env.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginWindowSeconds: env.LOGIN_WINDOW,
    sessionCleanupIntervalSeconds: env.SESSION_CLEANUP_INTERVAL,
    calls: {
      requireAuth: env.REQUIRE_AUTH,
      chatEcho: env.CHAT_ECHO_SENDER,
      chatHistoryTtlSeconds: env.CHAT_HISTORY_TTL,
      reconnectGraceSeconds: env.RECONNECT_GRACE,
      codeHoldSeconds: env.CALL_CODE_HOLD,
      chatHistoryLimit: env.CHAT_HISTORY_LIMIT,
      chatMemoryLimitBytes: env.CHAT_MEMORY_LIMIT,
      maxSocketsPerAddress: env.MAX_SOCKETS_PER_ADDRESS,
      maxSockets: env.MAX_SOCKETS,
      maxParticipants: env.MAX_PARTICIPANTS,
      rateLimitChatPerSecond: env.RATE_LIMIT_CHAT,
      rateLimitSignalPerSecond: env.RATE_LIMIT_SIGNAL,
    },
    ice: {
      stunUrls: env.STUN_URLS,
      turn: env.TURN_SECRET === undefined ? null : { urls: env.TURN_URLS, secret: env.TURN_SECRET, ttlSeconds: env.TURN_TTL },
      rateLimitPerMinute: env.RATE_LIMIT_ICE_SERVERS,
    },
    meetings: { lookupRateLimitPerMinute: env.RATE_LIMIT_MEETING_LOOKUP },
    metrics: { enabled: env.METRICS_ENABLED, token: env.METRICS_TOKEN },
  };
}
