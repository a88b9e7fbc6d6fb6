import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface KeepAliveDrain {
  /** From now on, every response not yet started tells its client `Connection: close`. */
  drain(): void;
}

/**
 * `server.close()` closes the keep-alive connections that are idle at that moment, but a response still in
 * flight goes out with `Connection: keep-alive`, and its connection then idles until the keep-alive timeout
 * (5 s), holding the shutdown. Once draining, each such connection ends with its last response instead.
 *
 * The latest response of each connection is remembered until the next one or the connection's end: a listener per
 * connection rather than one per request.
 */
export function keepAliveDrain(server: Server): KeepAliveDrain {
  const latest = new Map<Socket, ServerResponse>();
  let draining = false;
  server.on('connection', (socket: Socket) => socket.once('close', () => latest.delete(socket)));
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (draining) {
      closeAfter(response);
      return;
    }
    latest.set(request.socket, response);
  });
  return {
    drain() {
      draining = true;
      latest.forEach(closeAfter);
      latest.clear();
    },
  };
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
