import type { SessionRepository } from '../../application/ports/session-repository';
import { DomainError } from '../../domain/errors';
import type { Session } from '../../domain/session';
import { InvalidatedCache } from './invalidated-cache';
import type { Invalidations } from './invalidations';

export interface SessionCacheOptions {
  /** How many active sessions are remembered, least recently used forgotten first. */
  max: number;
  /** The longest an entry is served without asking the database again, whatever its session's expiry. */
  maxAgeMs: number;
}

interface Cached {
  session: Session;
  /** Served only while `now` is before this: the session's expiry, or sooner by maxAgeMs. */
  untilMs: number;
}

/**
 * Any SessionRepository, with the active sessions it found remembered, so an authenticated request for a known
 * session does no database work. Revocation stays immediate: revoking forgets the session here and, before it
 * returns, publishes it to every other node, whose caches forget it when it arrives (InvalidatedCache says what
 * happens while they may not hear). An entry never outlives its session's expiry, and is checked against the
 * database again after maxAgeMs at most, which bounds how long a revocation lost without the subscription noticing
 * (a silent network failure) could go unseen.
 */
export class LruSessionRepository implements SessionRepository {
  private readonly cache: InvalidatedCache<Cached>;

  constructor(
    private readonly inner: SessionRepository,
    revocations: Invalidations,
    private readonly options: SessionCacheOptions,
  ) {
    this.cache = new InvalidatedCache<Cached>(revocations, { max: options.max });
  }

  /** How many sessions are remembered now. */
  get size(): number {
    return this.cache.size;
  }

  add(session: Session): Promise<void> {
    return this.inner.add(session);
  }

  async findActive(id: string, now: Date): Promise<Session | null> {
    const nowMs = now.getTime();
    const known = this.cache.get(id);
    if (known && known.untilMs > nowMs) return { ...known.session };
    return this.cache.load(
      id,
      () => this.inner.findActive(id, now),
      (session) => session && { session: { ...session }, untilMs: Math.min(session.expiresAt.getTime(), nowMs + this.options.maxAgeMs) },
    );
  }

  async revoke(id: string, at: Date): Promise<void> {
    if (!(await this.cache.write(id, () => this.inner.revoke(id, at)))) {
      // The session is revoked in the database, but nodes holding it in memory were not told: the client must retry.
      throw new DomainError('SERVICE_UNAVAILABLE', 'The session could not be ended on every server; try again shortly');
    }
  }

  deleteExpired(now: Date): Promise<number> {
    return this.inner.deleteExpired(now);
  }
}
