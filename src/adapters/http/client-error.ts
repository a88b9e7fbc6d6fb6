import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError } from '../../domain/errors';
import { describeError } from '../error-table';

type ClientError = Error & { code?: string };

/** Node's HTTP parser errors (and its request timeout) as domain errors; Node's own answers have no body. */
export function translateClientError(error: ClientError): DomainError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new DomainError('REQUEST_HEADERS_TOO_LARGE', 'Request headers are too large');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new DomainError('PAYLOAD_TOO_LARGE', 'Chunk extensions are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DomainError('REQUEST_TIMEOUT', 'The request took too long to arrive');
    default:
      return new DomainError('MALFORMED_REQUEST', 'The request is not valid HTTP');
  }
}

/** A complete HTTP/1.1 response carrying the JSON error body; the connection is closed after it. */
export function clientErrorResponse(error: ClientError): string {
  const { status, body } = describeError(translateClientError(error));
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    json,
  ].join('\r\n');
}

/**
 * Listener for http.Server `clientError`: answers what the parser rejected with our JSON error shape when nothing
 * has been written on the connection yet, then closes it. The parser reports again for every later chunk of a
 * broken request, so a connection is answered once.
 */
export function clientErrorListener(): (error: ClientError, socket: Duplex) => void {
  const answered = new WeakSet<Duplex>();
  return (error, socket) => {
    if (answered.has(socket)) return;
    // A reset peer reads nothing, and a response already under way cannot be replaced.
    if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    answered.add(socket);
    socket.end(clientErrorResponse(error), () => socket.destroy());
  };
}

function responseStarted(socket: Duplex): boolean {
  // Node's documented default behaviour checks the response attached to the socket the same way.
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  return current?.headersSent ?? false;
}
