import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/env';

/**
 * JSON lines in production and test; pretty in development. Secrets are redacted wherever they might appear.
 *
 * Lines are written synchronously, on this thread, to stdout: nothing is left to flush at exit. pino's default
 * asynchronous destination and a worker-thread transport both flush when the process exits, and into a pipe
 * whose reader is gone that flush blocked the exit for 10 s (transport) or for ever (sonic-boom retrying EPIPE).
 * With synchronous writes, a broken pipe just silences the log. The JSON lines of one event-loop turn go out in
 * one write (see onePerTurn).
 */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const destination: DestinationStream =
    config.env === 'development' ? pretty({ singleLine: true, sync: true }) : onePerTurn(pino.destination({ dest: 1, sync: true }));
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

/**
 * Lines gathered during one event-loop turn and written together once it ends (setImmediate), still synchronously,
 * and at exit. A write per line was a system call per request, the largest single cost of serving `/health`
 * (docs/performance.md, issue 21). A line waits at most for the turn it was logged in; a process killed outright
 * (SIGKILL) loses that turn's lines.
 */
export function onePerTurn(destination: DestinationStream): DestinationStream {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const lines = pending.join('');
    pending = [];
    destination.write(lines);
  };
  process.on('exit', flush);
  return {
    write(line: string) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
