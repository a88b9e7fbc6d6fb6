import { ConfigError, loadConfig } from '../../src/config/env';
import { parseDurationMs, parseDurationSeconds } from '../../src/config/duration';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      host: '0.0.0.0',
      port: 8000,
      dataDir: './data',
      mongodbUri: undefined,
      jwtTtlSeconds: 7 * 86400,
      bcryptRounds: 12,
      threadPoolSize: 4,
      loginMaxFailures: 10,
      loginMaxFailuresPerAddress: 100,
      loginWindowSeconds: 900,
      redisCommandTimeoutMs: 2000,
    });
    expect(loadConfig({ REDIS_COMMAND_TIMEOUT: '500ms' }).redisCommandTimeoutMs).toBe(500);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT /],
    [{ JWT_TTL: 'forever' }, /^Invalid configuration: JWT_TTL "forever" is not a duration/],
    [{ JWT_TTL: '400d' }, /^Invalid configuration: JWT_TTL "400d" is longer than the maximum of 365d/],
    [{ MAX_PARTICIPANTS: '1' }, /^Invalid configuration: MAX_PARTICIPANTS /],
    [{ REQUIRE_AUTH: 'yes' }, /^Invalid configuration: REQUIRE_AUTH /],
    [{ REDIS_URL: 'localhost:6379' }, /^Invalid configuration: REDIS_URL must start with redis:\/\/ or rediss:\/\/$/],
    [{ REDIS_COMMAND_TIMEOUT: 'soon' }, /^Invalid configuration: REDIS_COMMAND_TIMEOUT "soon" is not a duration like 500ms, 2s or 1m$/],
    [{ REDIS_COMMAND_TIMEOUT: '2m' }, /^Invalid configuration: REDIS_COMMAND_TIMEOUT "2m" is longer than the maximum of 60s$/],
    [{ NODE_ID: 'node one' }, /^Invalid configuration: NODE_ID must be 1-64 characters/],
    [{ JANUS_URLS: 'http://janus:8088' }, /^Invalid configuration: JANUS_URLS must be a comma-separated list of ws:\/\/ or wss:\/\/ URLs$/],
    [{ JANUS_URLS: 'ws://a:8188,ws://a:8188' }, /^Invalid configuration: JANUS_URLS must not name the same Janus twice$/],
    [{ JANUS_REQUEST_TIMEOUT: '2m' }, /^Invalid configuration: JANUS_REQUEST_TIMEOUT "2m" is longer than the maximum of 60s$/],
    [{ MAX_SFU_PARTICIPANTS: '1' }, /^Invalid configuration: MAX_SFU_PARTICIPANTS /],
    [{ MEDIA_MODE: 'p2p' }, /^Invalid configuration: MEDIA_MODE must be auto, mesh or sfu$/],
    [{ SFU_FROM: '0' }, /^Invalid configuration: SFU_FROM /],
    [{ CHAT_MEMORY_LIMIT: 'lots' }, /^Invalid configuration: CHAT_MEMORY_LIMIT "lots" is not a size/],
    [{ CHAT_MEMORY_LIMIT: '10' }, /^Invalid configuration: CHAT_MEMORY_LIMIT "10" is not a size of at least 1KB/],
    [{ MAX_SOCKETS_PER_ADDRESS: '0' }, /^Invalid configuration: MAX_SOCKETS_PER_ADDRESS /],
    [{ CHAT_ECHO_SENDER: 'sometimes' }, /^Invalid configuration: CHAT_ECHO_SENDER must be auto, true or false$/],
    [{ BCRYPT_ROUNDS: '8' }, /^Invalid configuration: BCRYPT_ROUNDS must be at least 10 outside NODE_ENV=test/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: JWT_SECRET is required in production/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, /^Invalid configuration: JWT_SECRET/],
    [{ MONGODB_URI: 'http://x' }, /^Invalid configuration: MONGODB_URI must start with mongodb/],
    [{ STUN_URLS: 'stun.example.com' }, /^Invalid configuration: STUN_URLS "stun.example.com" is not a STUN URL like stun:/],
    [{ STUN_URLS: 'stun:a.example, turn:b.example' }, /^Invalid configuration: STUN_URLS "turn:b.example" is not a STUN URL/],
    [{ STUN_URLS: 'stun:a.example:70000' }, /^Invalid configuration: STUN_URLS "stun:a.example:70000" is not a STUN URL/],
    [{ TURN_URLS: 'http://turn.example', TURN_SECRET: 'x' }, /^Invalid configuration: TURN_URLS "http:\/\/turn.example" is not a TURN URL like turn:/],
    [{ TURN_URLS: 'turn:t.example?transport=sctp', TURN_SECRET: 'x' }, /^Invalid configuration: TURN_URLS "turn:t.example\?transport=sctp" is not a TURN URL/],
    [{ TURN_URLS: 'turn:t.example' }, /^Invalid configuration: TURN_SECRET is required with TURN_URLS/],
    [{ TURN_SECRET: 'x' }, /^Invalid configuration: TURN_URLS is required with TURN_SECRET/],
    [{ TURN_URLS: 'turn:t.example', TURN_SECRET: 'x', TURN_TTL: 'an hour' }, /^Invalid configuration: TURN_TTL "an hour" is not a duration/],
    [{ RATE_LIMIT_ICE_SERVERS: '0' }, /^Invalid configuration: RATE_LIMIT_ICE_SERVERS /],
    [{ RATE_LIMIT_MEETING_LOOKUP: '0' }, /^Invalid configuration: RATE_LIMIT_MEETING_LOOKUP /],
    [{ METRICS_TOKEN: 'short-token' }, /^Invalid configuration: METRICS_TOKEN must be at least 16 characters/],
    [{ METRICS_TOKEN: 'a token with spaces in it' }, /^Invalid configuration: METRICS_TOKEN must be at least 16 characters/],
    [{ METRICS_ENABLED: 'maybe' }, /^Invalid configuration: METRICS_ENABLED /],
  ])('stops on %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the call limits with their documented defaults', () => {
    expect(loadConfig({}).calls).toEqual({
      requireAuth: false,
      chatEcho: 'auto',
      chatHistoryTtlSeconds: 3600,
      reconnectGraceSeconds: 20,
      codeHoldSeconds: 86400,
      chatHistoryLimit: 100,
      chatMemoryLimitBytes: 64 * 1024 * 1024,
      maxSocketsPerAddress: 50,
      maxSockets: 'auto',
      maxParticipants: 8,
      rateLimitChatPerSecond: 5,
      rateLimitSignalPerSecond: 100,
    });
    expect(loadConfig({ MAX_SOCKETS: '19000' }).calls.maxSockets).toBe(19000);
    for (const bad of ['0', '-5', 'lots', '1e4']) expect(() => loadConfig({ MAX_SOCKETS: bad })).toThrow('MAX_SOCKETS');
    expect(loadConfig({ REQUIRE_AUTH: 'true', CHAT_HISTORY_TTL: '10m' }).calls).toMatchObject({
      requireAuth: true,
      chatHistoryTtlSeconds: 600,
    });
  });

  it.each([
    ['auto', 'auto'],
    ['true', 'always'],
    ['false', 'never'],
  ])('reads CHAT_ECHO_SENDER=%s as %s', (value, chatEcho) => {
    expect(loadConfig({ CHAT_ECHO_SENDER: value }).calls.chatEcho).toBe(chatEcho);
  });

  it.each([
    ['64MB', 64 * 1024 * 1024],
    ['512kb', 512 * 1024],
    ['1048576', 1048576],
    ['2 GB', 2 * 1024 ** 3],
  ])('reads CHAT_MEMORY_LIMIT=%s as %d bytes', (value, bytes) => {
    expect(loadConfig({ CHAT_MEMORY_LIMIT: value }).calls.chatMemoryLimitBytes).toBe(bytes);
  });

  it('runs on one node with nothing installed unless REDIS_URL is set, under a random NODE_ID unless one is given', () => {
    const single = loadConfig({});
    expect(single.redisUrl).toBeUndefined();
    expect(single.nodeId).toMatch(/^node-[0-9a-f]{8}$/);
    expect(loadConfig({}).nodeId).not.toBe(single.nodeId);
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/2', NODE_ID: 'eu-1' })).toMatchObject({ redisUrl: 'redis://cache:6379/2', nodeId: 'eu-1' });
  });

  it('uses no SFU unless JANUS_URLS names some, in their order', () => {
    expect(loadConfig({}).media).toEqual({ janusUrls: [], janusRequestTimeoutMs: 5000, maxSfuParticipants: 100, mode: 'auto', sfuFrom: 3 });
    expect(loadConfig({ JANUS_URLS: ' ws://a:8188 , wss://b.internal/janus,', JANUS_REQUEST_TIMEOUT: '800ms' }).media).toMatchObject({
      janusUrls: ['ws://a:8188', 'wss://b.internal/janus'],
      janusRequestTimeoutMs: 800,
    });
  });

  it('hands out no ICE servers unless told, and reads STUN and TURN lists with a TURN credential lifetime of 1h by default', () => {
    expect(loadConfig({}).ice).toEqual({ stunUrls: [], turn: null, rateLimitPerMinute: 60 });
    const config = loadConfig({
      STUN_URLS: 'stun:stun.example.com:3478, stun:[2001:db8::1]',
      TURN_URLS: 'turn:turn.example.com:3478?transport=udp,turn:turn.example.com:3478?transport=tcp, turns:turn.example.com:5349',
      TURN_SECRET: 'north-secret',
      RATE_LIMIT_ICE_SERVERS: '10',
    });
    expect(config.ice).toEqual({
      stunUrls: ['stun:stun.example.com:3478', 'stun:[2001:db8::1]'],
      turn: {
        urls: ['turn:turn.example.com:3478?transport=udp', 'turn:turn.example.com:3478?transport=tcp', 'turns:turn.example.com:5349'],
        secret: 'north-secret',
        ttlSeconds: 3600,
      },
      rateLimitPerMinute: 10,
    });
    expect(loadConfig({ TURN_URLS: 'turn:10.0.0.5', TURN_SECRET: 'x', TURN_TTL: '15m' }).ice.turn?.ttlSeconds).toBe(900);
  });

  it('limits meeting lookups to 60 a minute per client address unless RATE_LIMIT_MEETING_LOOKUP says otherwise', () => {
    expect(loadConfig({}).meetings).toEqual({ lookupRateLimitPerMinute: 60 });
    expect(loadConfig({ RATE_LIMIT_MEETING_LOOKUP: '5' }).meetings).toEqual({ lookupRateLimitPerMinute: 5 });
  });

  it('counts metrics by default, with no token unless METRICS_TOKEN is set', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, token: undefined });
    expect(loadConfig({ METRICS_ENABLED: 'false', METRICS_TOKEN: ' abcdefghijklmnop0123 ' }).metrics).toEqual({
      enabled: false,
      token: 'abcdefghijklmnop0123',
    });
  });

  it('allows low bcrypt cost only under NODE_ENV=test and splits CLIENT_URL', () => {
    const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', CLIENT_URL: 'https://a.example, https://b.example' });
    expect(config.bcryptRounds).toBe(4);
    expect(config.clientOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('parses durations', () => {
    expect(parseDurationSeconds('90')).toBe(90);
    expect(parseDurationSeconds('15m')).toBe(900);
    expect(parseDurationSeconds('7d')).toBe(604800);
    expect(parseDurationSeconds('0s')).toBeNull();
    expect(parseDurationSeconds('1w')).toBeNull();
    expect(parseDurationSeconds('500ms')).toBeNull();
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('2s')).toBe(2000);
    expect(parseDurationMs('2')).toBe(2000);
    expect(parseDurationMs('1m')).toBe(60_000);
    expect(parseDurationMs('0ms')).toBeNull();
    expect(parseDurationMs('1.5s')).toBeNull();
  });
});
