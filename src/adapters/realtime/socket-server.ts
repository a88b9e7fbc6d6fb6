import { Server, type ServerOptions } from 'socket.io';
import type { OriginPolicy } from '../origin-policy';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './protocol';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const MAX_MESSAGE_BYTES = 128 * 1024;

/** The Socket.IO server, not yet attached to an HTTP server: the notifier can be built on it before the app exists. */
export function createSocketServer(origins: OriginPolicy, adapter?: ServerOptions['adapter']): RealtimeServer {
  return new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>({
    ...(adapter ? { adapter } : {}),
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // CORS covers polling only; this refuses the handshake itself, WebSocket upgrades included, from an origin the
    // HTTP rule refuses. A request without Origin comes from no browser page, as for the HTTP API.
    allowRequest: (request, callback) => {
      const origin = request.headers.origin;
      callback(null, origin === undefined || origins.allows(origin));
    },
    cors: {
      origin: (origin, callback) => callback(null, origins.allows(origin)),
      credentials: true,
      methods: ['GET', 'POST'],
    },
  });
}
