import { PassThrough } from 'node:stream';
import { clientErrorListener, clientErrorResponse } from '../../src/adapters/http/client-error';

const parserError = (code: string) => Object.assign(new Error(code), { code });

/** A stand-in for the client socket: what the listener writes can be read back. */
function fakeSocket(): { socket: PassThrough; written: () => string } {
  const socket = new PassThrough();
  let written = '';
  socket.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { socket, written: () => written };
}

describe('answering what the HTTP parser rejects', () => {
  it.each([
    ['HPE_INVALID_METHOD', 'HTTP/1.1 400 Bad Request', 'MALFORMED_REQUEST'],
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large', 'REQUEST_HEADERS_TOO_LARGE'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HTTP/1.1 413 Payload Too Large', 'PAYLOAD_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout', 'REQUEST_TIMEOUT'],
  ])('%s becomes "%s" with code %s in a JSON body of the declared length', (code, statusLine, errorCode) => {
    const response = clientErrorResponse(parserError(code));
    const [head = '', body = ''] = response.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe(statusLine);
    expect(head).toContain('\r\nConnection: close');
    expect(head).toContain(`\r\nContent-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({ code: errorCode, message: expect.any(String) });
  });

  it('answers a connection once, however often the parser reports, then closes it', async () => {
    const { socket, written } = fakeSocket();
    const listener = clientErrorListener();
    listener(parserError('HPE_INVALID_METHOD'), socket);
    listener(parserError('HPE_INVALID_METHOD'), socket);
    await new Promise((resolve) => socket.once('close', resolve));
    expect(written().match(/HTTP\/1\.1 400/g)).toHaveLength(1);
  });

  it('writes nothing to a reset connection, and just closes it', async () => {
    const { socket, written } = fakeSocket();
    clientErrorListener()(parserError('ECONNRESET'), socket);
    await new Promise((resolve) => socket.once('close', resolve));
    expect(written()).toBe('');
  });

  it('does not throw for a socket that is already destroyed', () => {
    const { socket } = fakeSocket();
    socket.destroy();
    expect(() => clientErrorListener()(parserError('HPE_INVALID_METHOD'), socket)).not.toThrow();
  });
});
