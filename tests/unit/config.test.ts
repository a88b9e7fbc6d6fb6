import { ConfigError, loadConfig } from '../../src/config/env';
import { parseDurationSeconds } from '../../src/config/duration';

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
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT /],
    [{ JWT_TTL: 'forever' }, /^Invalid configuration: JWT_TTL "forever" is not a duration/],
    [{ JWT_TTL: '400d' }, /^Invalid configuration: JWT_TTL "400d" is longer than the maximum of 365d/],
    [{ MAX_PARTICIPANTS: '1' }, /^Invalid configuration: MAX_PARTICIPANTS /],
    [{ REQUIRE_AUTH: 'yes' }, /^Invalid configuration: REQUIRE_AUTH /],
    [{ BCRYPT_ROUNDS: '8' }, /^Invalid configuration: BCRYPT_ROUNDS must be at least 10 outside NODE_ENV=test/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: JWT_SECRET is required in production/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, /^Invalid configuration: JWT_SECRET/],
    [{ MONGODB_URI: 'http://x' }, /^Invalid configuration: MONGODB_URI must start with mongodb/],
  ])('stops on %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the call limits with their documented defaults', () => {
    expect(loadConfig({}).calls).toEqual({
      requireAuth: false,
      chatEchoSender: false,
      chatHistoryTtlSeconds: 3600,
      chatHistoryLimit: 100,
      maxParticipants: 8,
      rateLimitChatPerSecond: 5,
      rateLimitSignalPerSecond: 100,
    });
    expect(loadConfig({ REQUIRE_AUTH: 'true', CHAT_HISTORY_TTL: '10m' }).calls).toMatchObject({
      requireAuth: true,
      chatHistoryTtlSeconds: 600,
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
  });
});
