import pino, { type Logger } from 'pino';

/** The one line logged per answered request. None of its fields can hold a secret: no redaction applies. */
export interface RequestLineFields {
  reqId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

export type RequestLine = (fields: RequestLineFields) => void;

interface LineStream {
  write(line: string): unknown;
}

const isLineStream = (value: unknown): value is LineStream =>
  typeof value === 'object' && value !== null && 'write' in value && typeof value.write === 'function';

const INFO = 30;

/** Printable ASCII but `"` and `\`: a string of these is its own JSON, between quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The string as JSON. JSON.stringify alone took a third of the line's cost for the id and the method. */
const quoted = (text: string): string => (PLAIN.test(text) ? `"${text}"` : JSON.stringify(text));
const LEVEL_PREFIX = '{"level":30';

/** No level formatter, mixin, message prefix, nesting or write hook: the line is its fields and nothing else. */
function writesPlainLines(logger: Logger): boolean {
  const levelPrefixes: unknown = Reflect.get(logger, pino.symbols.lsCacheSym);
  const hooks: unknown = Reflect.get(logger, pino.symbols.hooksSym);
  return (
    typeof levelPrefixes === 'object' &&
    levelPrefixes !== null &&
    Reflect.get(levelPrefixes, INFO) === LEVEL_PREFIX &&
    typeof hooks === 'object' &&
    hooks !== null &&
    !Reflect.get(hooks, 'streamWrite') &&
    !Reflect.get(logger, pino.symbols.mixinSym) &&
    !logger.msgPrefix &&
    !Reflect.get(logger, pino.symbols.nestedKeySym) &&
    Reflect.get(logger, pino.symbols.messageKeySym) === 'msg' &&
    Reflect.get(logger, pino.symbols.endSym) === '}\n'
  );
}

/**
 * The request line, written as `logger.info(fields, 'request')` writes it (the same keys, in the same order, after
 * the same level, time and bindings, to the same stream), but joined by hand: its five fields are fixed, and pino's
 * general serialising (a loop over the object's keys, a type switch and an escaper per value, the message, hooks)
 * cost as much again as the fields themselves (docs/performance.md, issue 21). `pino.symbols` is pino's documented
 * way for other code to reach a logger's stream, bindings and clock. Where a logger holds something else there (a
 * multistream, a formatter of its own), the line goes through pino.
 */
export function requestLine(logger: Logger): RequestLine {
  const stream: unknown = Reflect.get(logger, pino.symbols.streamSym);
  const bindings: unknown = Reflect.get(logger, pino.symbols.chindingsSym);
  const clock: unknown = Reflect.get(logger, pino.symbols.timeSym);
  const plain = isLineStream(stream) && !Reflect.get(stream, pino.symbols.needsMetadataGsym) && writesPlainLines(logger);
  if (!plain || typeof bindings !== 'string' || typeof clock !== 'function') return (fields) => logger.info(fields, 'request');
  const time = (): unknown => clock.call(logger);
  return ({ reqId, method, path, status, durationMs }) => {
    if (logger.levelVal > INFO) return;
    stream.write(
      `${LEVEL_PREFIX}${String(time())}${bindings},"reqId":${quoted(reqId)},"method":${quoted(method)},` +
        `"path":${quoted(path)},"status":${status},"durationMs":${durationMs},"msg":"request"}\n`,
    );
  };
}
