import pino, { type Logger } from 'pino';
import { requestLine, type RequestLineFields } from '../../src/adapters/http/request-line';

/** A logger as createLogger makes it (redaction on, the node's bindings), writing into `lines`. */
function nodeLogger(lines: string[], options: pino.LoggerOptions = {}): Logger {
  const base = pino(
    {
      level: 'info',
      redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'], censor: '[redacted]' },
      ...options,
    },
    { write: (line: string) => lines.push(line) },
  );
  return base.child({ node: 'node-a' });
}

const FIELDS: RequestLineFields[] = [
  { reqId: '3f1c2e0a-8f7e-4a37-9c55-0a4b8e1d2c3f', method: 'GET', path: '/health', status: 200, durationMs: 0.12 },
  { reqId: 'trace-42.a_b', method: 'POST', path: '/api/v1/users/login', status: 415, durationMs: 3 },
  { reqId: 'x', method: 'GET', path: '/a"quote\\back\u0001slash/é/\ud800', status: 404, durationMs: 12.5 },
];

/** The line without its time, which the two writers read from the clock at different moments. */
const timeless = (line: string) => line.replace(/,"time":\d+/, '');

describe('requestLine', () => {
  it.each(FIELDS)('writes what logger.info(fields, "request") writes, byte for byte but the time: %j', (fields) => {
    const lines: string[] = [];
    const logger = nodeLogger(lines);
    logger.info(fields, 'request');
    const write = requestLine(logger);
    const throughPino = jest.spyOn(logger, 'info');
    write(fields);
    expect(throughPino).not.toHaveBeenCalled();
    expect(lines).toHaveLength(2);
    expect(timeless(lines[1]!)).toBe(timeless(lines[0]!));
    expect(JSON.parse(lines[1]!)).toEqual(expect.objectContaining({ ...fields, level: 30, node: 'node-a', msg: 'request' }));
  });

  it('writes nothing below the logger’s level', () => {
    const lines: string[] = [];
    const logger = nodeLogger(lines, { level: 'warn' });
    requestLine(logger)(FIELDS[0]!);
    expect(lines).toEqual([]);
  });

  it('goes through pino where the logger changes its lines (a mixin, a formatter)', () => {
    const lines: string[] = [];
    const mixed = nodeLogger(lines, { mixin: () => ({ extra: 1 }) });
    requestLine(mixed)(FIELDS[0]!);
    expect(JSON.parse(lines[0]!)).toEqual(expect.objectContaining({ extra: 1, msg: 'request' }));
    const labelled = nodeLogger(lines, { formatters: { level: (label) => ({ level: label }) } });
    requestLine(labelled)(FIELDS[0]!);
    expect(JSON.parse(lines[1]!)).toEqual(expect.objectContaining({ level: 'info', msg: 'request' }));
  });
});
