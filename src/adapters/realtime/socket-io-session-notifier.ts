import type { SessionEndReason, SessionNotifier } from '../../application/ports/session-notifier';
import type { RealtimeServer } from './socket-server';

/** Every socket opened with a login token joins the room `session:<sessionId>`. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * Ends a session's sockets by room, so the adapter carries it to every node; neither call waits for an answer.
 * The event goes out before the close, and Socket.IO flushes a socket's queued packets before closing it.
 */
export class SocketIoSessionNotifier implements SessionNotifier {
  constructor(private readonly io: RealtimeServer) {}

  sessionEnded(sessionId: string, reason: SessionEndReason): void {
    this.io.to(sessionRoom(sessionId)).emit('session-ended', { reason });
    this.io.in(sessionRoom(sessionId)).disconnectSockets(true);
  }
}
