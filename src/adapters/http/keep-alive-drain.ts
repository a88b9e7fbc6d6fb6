import type { Server, ServerResponse } from 'node:http';

export interface KeepAliveDrain {
  /** From now on, every response not yet started tells its client `Connection: close`. */
  drain(): void;
}

/**
 * `server.close()` closes the keep-alive connections that are idle at that moment, but a response still in
 * flight goes out with `Connection: keep-alive`, and its connection then idles until the keep-alive timeout
 * (5 s), holding the shutdown. Once draining, each such connection ends with its last response instead.
 */
export function keepAliveDrain(server: Server): KeepAliveDrain {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_request, response: ServerResponse) => {
    if (draining) {
      closeAfter(response);
      return;
    }
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  return {
    drain() {
      draining = true;
      inFlight.forEach(closeAfter);
      inFlight.clear();
    },
  };
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
