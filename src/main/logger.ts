import pino, { type Logger } from 'pino';
import type { Config } from '../config/env';

/** JSON lines in production and test; pretty in development. Secrets are redacted wherever they might appear. */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'passwordHash', '*.passwordHash', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
    transport: config.env === 'development' ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
  });
}
