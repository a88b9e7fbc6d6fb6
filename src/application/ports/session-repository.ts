import type { Session } from '../../domain/session';

/**
 * Stores login sessions (one per issued token, keyed by its jti).
 * findActive: null when missing, revoked or expired at `now`.
 * revoke: a missing or already revoked session is left as it is (no error).
 * deleteExpired: removes sessions expired at `now`; returns how many.
 */
export interface SessionRepository {
  add(session: Session): Promise<void>;
  findActive(id: string, now: Date): Promise<Session | null>;
  revoke(id: string, at: Date): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}
