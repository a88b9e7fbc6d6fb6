import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/env';

/**
 * JSON lines in production and test; pretty in development. Secrets are redacted wherever they might appear.
 *
 * Lines are written synchronously, on this thread, to stdout: nothing is left to flush at exit. pino's default
 * asynchronous destination and a worker-thread transport both flush when the process exits, and into a pipe
 * whose reader is gone that flush blocked the exit for 10 s (transport) or for ever (sonic-boom retrying EPIPE).
 * With synchronous writes, a broken pipe just silences the log. The JSON lines go out in batches of a few
 * milliseconds (see batchedLines).
 */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const destination: DestinationStream =
    config.env === 'development' ? pretty({ singleLine: true, sync: true }) : batchedLines(pino.destination({ dest: 1, sync: true }));
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

/** How long the first line of a batch may wait for others, and how much a batch may hold before it is written. */
const BATCH_MS = 5;
const BATCH_BYTES = 64 * 1024;

/**
 * Lines gathered and written together, still synchronously: BATCH_MS after the first line of a batch, as soon as a
 * batch holds BATCH_BYTES, and at exit. A write per line was a system call per request, the largest single cost of
 * serving `/health`; a write per event-loop turn was still one for every few requests under load, and as many
 * wake-ups of whatever reads the log (docs/performance.md, issue 21). A line waits at most BATCH_MS; a process
 * killed outright (SIGKILL) loses the lines of those last milliseconds.
 */
export function batchedLines(destination: DestinationStream): DestinationStream {
  let pending: string[] = [];
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const lines = pending.join('');
    pending = [];
    bytes = 0;
    destination.write(lines);
  };
  process.on('exit', flush);
  return {
    write(line: string) {
      pending.push(line);
      bytes += line.length;
      if (bytes >= BATCH_BYTES) flush();
      else timer ??= setTimeout(flush, BATCH_MS).unref();
    },
  };
}
