export type SessionEndReason = 'logout' | 'expired';

/**
 * Reaches the live connections of a login session, wherever they are (every node in a cluster).
 * sessionEnded: tells each of them the session is over and closes it; best effort, returns without waiting for
 * other nodes, and a session with no live connection is not an error.
 */
export interface SessionNotifier {
  sessionEnded(sessionId: string, reason: SessionEndReason): void;
}
