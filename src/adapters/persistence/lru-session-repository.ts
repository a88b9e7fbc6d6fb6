import { LRUCache } from 'lru-cache';
import type { SessionRepository } from '../../application/ports/session-repository';
import { DomainError } from '../../domain/errors';
import type { Session } from '../../domain/session';
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
 * returns, publishes it to every other node, whose caches forget it when it arrives. While this node is not sure
 * to hear revocations (its subscription is down or reconnecting) nothing is served from memory or remembered:
 * every lookup goes to the database, and the cache starts empty once the subscription is back. An entry never
 * outlives its session's expiry, and is checked against the database again after maxAgeMs at most, which bounds
 * how long a revocation lost without the subscription noticing (a silent network failure) could go unseen.
 */
export class LruSessionRepository implements SessionRepository {
  private readonly cache: LRUCache<string, Cached>;
  /** Moves on every revocation and every loss: a lookup that saw it move while in flight is not remembered. */
  private epoch = 0;

  constructor(
    private readonly inner: SessionRepository,
    private readonly revocations: Invalidations,
    private readonly options: SessionCacheOptions,
  ) {
    this.cache = new LRUCache<string, Cached>({ max: options.max });
    revocations.listen({ invalidated: (id) => this.forget(id), missed: () => this.forgetAll() });
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
    if (this.revocations.listening) {
      const known = this.cache.get(id);
      if (known && known.untilMs > nowMs) return { ...known.session };
      if (known) this.cache.delete(id);
    }
    const epoch = this.epoch;
    const session = await this.inner.findActive(id, now);
    if (session && this.revocations.listening && epoch === this.epoch) {
      this.cache.set(id, { session: { ...session }, untilMs: Math.min(session.expiresAt.getTime(), nowMs + this.options.maxAgeMs) });
    }
    return session;
  }

  async revoke(id: string, at: Date): Promise<void> {
    try {
      await this.inner.revoke(id, at);
    } finally {
      this.forget(id);
    }
    try {
      await this.revocations.publish(id);
    } catch {
      // The session is revoked in the database, but nodes holding it in memory were not told: the client must retry.
      throw new DomainError('SERVICE_UNAVAILABLE', 'The session could not be ended on every server; try again shortly');
    }
  }

  deleteExpired(now: Date): Promise<number> {
    return this.inner.deleteExpired(now);
  }

  private forget(id: string): void {
    this.epoch += 1;
    this.cache.delete(id);
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.cache.clear();
  }
}
