import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/env';

/**
 * JSON lines in production and test; pretty in development. Secrets are redacted wherever they might appear.
 *
 * Lines are written synchronously, on this thread, to stdout: nothing is left to flush at exit. pino's default
 * asynchronous destination and a worker-thread transport both flush when the process exits, and into a pipe
 * whose reader is gone that flush blocked the exit for 10 s (transport) or for ever (sonic-boom retrying EPIPE).
 * With synchronous writes, a broken pipe just silences the log.
 */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const destination: DestinationStream =
    config.env === 'development' ? pretty({ singleLine: true, sync: true }) : pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: config.logLevel,
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'passwordHash', '*.passwordHash', 'authorization', '*.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
