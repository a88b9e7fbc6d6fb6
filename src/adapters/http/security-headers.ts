import { IncomingMessage, ServerResponse, type OutgoingHttpHeader } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';

/** A response that is never sent, remembering the names headers were set under (getHeaderNames lower-cases them). */
class HeaderRecorder extends ServerResponse {
  readonly names = new Set<string>();

  override setHeader(name: string, value: OutgoingHttpHeader): this {
    this.names.add(name);
    return super.setHeader(name, value);
  }
}

/** A header as it is set on every response. */
export type FixedHeader = readonly [name: string, value: string | number | readonly string[]];

/**
 * helmet's security headers, computed once. helmet sets them on every request by running a dozen middlewares (and
 * rebuilding the Content-Security-Policy string) that, with options holding no per-request function, give the same
 * headers every time; they are taken here from one run of helmet against a response that is never sent.
 */
export function securityHeaderList(options: Readonly<HelmetOptions>): FixedHeader[] {
  const response = new HeaderRecorder(new IncomingMessage(new Socket()));
  let finished = false;
  let failure: unknown;
  helmet(options)(response.req, response, (error?: unknown) => {
    finished = true;
    failure = error;
  });
  if (failure !== undefined) throw new Error('helmet refused its options', { cause: failure });
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return [...response.names].flatMap((name) => {
    const value = response.getHeader(name);
    return value === undefined ? [] : [[name, value] as const];
  });
}
