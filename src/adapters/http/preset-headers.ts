import { ServerResponse, validateHeaderName, validateHeaderValue, type OutgoingMessage } from 'node:http';
import type { FixedHeader } from './security-headers';

declare module 'node:http' {
  interface OutgoingMessage {
    /** Node's own writer of the header block (not in its types): `writeHead` calls it with the status line. */
    _storeHeader?: (this: OutgoingMessage, firstLine: string, headers: unknown) => void;
  }
}

/**
 * Gives one response the fixed headers and its request id (`X-Request-Id`). The id must be of characters a header
 * value may hold: the request edge only passes its own UUIDs and ids of `A-Z a-z 0-9 . _ -`.
 */
export type HeaderPreset = (res: ServerResponse, requestId: string) => void;

const nodeStoreHeader = ServerResponse.prototype._storeHeader;

const REQUEST_ID = 'x-request-id';

/** Headers Node's writer reads while it writes them (keep-alive, framing): they must go through `setHeader`. */
const WATCHED = new Set(['connection', 'content-length', 'transfer-encoding', 'date', 'expect', 'trailer', 'keep-alive']);

interface HeaderLine {
  /** The name as `getHeaderNames` gives it, to tell when a later `setHeader` replaced it. */
  name: string;
  line: string;
}

/**
 * The fixed headers as one block of lines built and checked once, written by Node's writer right after the status
 * line. `setHeader` checks a header's name and value (two regular expressions), keeps a lower-cased copy of the name
 * and a pair per header, and the writer then walks them one by one: for a dozen fixed headers that was 5–6 µs per
 * request, a tenth of serving `/health` (docs/performance.md, issue 21). The answer carries the same headers, in the
 * same order, once each: a fixed header set again later (the web app's page policy, CORS's `Vary`) is left out of
 * the block, so only the later value is sent. Where Node's writer is not found, each header is set the usual way.
 */
export function presetHeaders(headers: readonly FixedHeader[]): HeaderPreset {
  const lines = headers.flatMap(([name, value]) => (typeof value === 'object' ? value : [value]).map((one) => headerLine(name, String(one))));
  const store = nodeStoreHeader;
  if (store === undefined) return setEachHeader(headers);
  const names = new Set([REQUEST_ID, ...lines.map((line) => line.name)]);
  const block = lines.map((line) => line.line).join('');
  return (res, requestId) => {
    const idLine = `X-Request-Id: ${requestId}\r\n`;
    res._storeHeader = function storeWithPreset(this: OutgoingMessage, firstLine: string, set: unknown) {
      if (!this.getHeaderNames().some((name) => names.has(name))) {
        store.call(this, firstLine + idLine + block, set);
        return;
      }
      const kept = [{ name: REQUEST_ID, line: idLine }, ...lines].filter((line) => !this.hasHeader(line.name));
      store.call(this, firstLine + kept.map((line) => line.line).join(''), set);
    };
  };
}

/** Each header through `setHeader`, as any code would: the reference `presetHeaders` is tested against. */
export function setEachHeader(headers: readonly FixedHeader[]): HeaderPreset {
  return (res, requestId) => {
    res.setHeader('X-Request-Id', requestId);
    for (const [name, value] of headers) res.setHeader(name, value);
  };
}

function headerLine(name: string, value: string): HeaderLine {
  validateHeaderName(name);
  validateHeaderValue(name, value);
  const lower = name.toLowerCase();
  if (WATCHED.has(lower)) throw new Error(`${name} cannot be a fixed header: Node's writer reads it`);
  return { name: lower, line: `${name}: ${value}\r\n` };
}
