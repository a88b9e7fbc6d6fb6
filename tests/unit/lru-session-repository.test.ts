import type { SessionRepository } from '../../src/application/ports/session-repository';
import type { Session } from '../../src/domain/session';
import { InMemorySessionRepository } from '../../src/adapters/persistence/memory/in-memory-session-repository';
import { LruSessionRepository } from '../../src/adapters/persistence/lru-session-repository';
import { FakeInvalidations } from '../support/fake-invalidations';
import { FakeClock } from '../support/fakes';

/** The database under the cache, counting lookups; `hold` keeps the next lookup in flight until released. */
class CountingSessions implements SessionRepository {
  lookups = 0;
  private readonly store = new InMemorySessionRepository();
  private held: Promise<void> | undefined;

  hold(): () => void {
    let release = () => {};
    this.held = new Promise((done) => (release = done));
    return release;
  }

  add(session: Session): Promise<void> {
    return this.store.add(session);
  }
  async findActive(id: string, now: Date): Promise<Session | null> {
    this.lookups += 1;
    const answer = await this.store.findActive(id, now);
    const held = this.held;
    this.held = undefined;
    await held;
    return answer;
  }
  revoke(id: string, at: Date): Promise<void> {
    return this.store.revoke(id, at);
  }
  deleteExpired(now: Date): Promise<number> {
    return this.store.deleteExpired(now);
  }
}

const MINUTE = 60_000;

describe('LruSessionRepository', () => {
  const clock = new FakeClock();
  let db: CountingSessions;
  let revocations: FakeInvalidations;
  let cache: LruSessionRepository;
  const session = (id: string, lifetimeMs = 60 * MINUTE): Session => ({
    id,
    userId: `user-${id}`,
    createdAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + lifetimeMs),
    revokedAt: null,
  });

  beforeEach(() => {
    db = new CountingSessions();
    revocations = new FakeInvalidations();
    cache = new LruSessionRepository(db, revocations, { max: 2, maxAgeMs: 5 * MINUTE });
  });

  it('looks a known active session up once', async () => {
    await cache.add(session('s1'));
    expect((await cache.findActive('s1', clock.now()))?.userId).toBe('user-s1');
    expect((await cache.findActive('s1', clock.now()))?.userId).toBe('user-s1');
    expect(db.lookups).toBe(1);
  });

  it('never serves a session past its expiry', async () => {
    await cache.add(session('s1', 2 * MINUTE));
    await cache.findActive('s1', clock.now());
    clock.advance(2 * MINUTE - 1);
    expect(await cache.findActive('s1', clock.now())).not.toBeNull();
    clock.advance(1);
    expect(await cache.findActive('s1', clock.now())).toBeNull();
    expect(db.lookups).toBe(2);
  });

  it('asks the database again after maxAge, however long the session lives', async () => {
    await cache.add(session('s1'));
    await cache.findActive('s1', clock.now());
    clock.advance(5 * MINUTE - 1);
    await cache.findActive('s1', clock.now());
    expect(db.lookups).toBe(1);
    clock.advance(1);
    await cache.findActive('s1', clock.now());
    expect(db.lookups).toBe(2);
  });

  it('holds at most `max` sessions, forgetting the least recently used', async () => {
    for (const id of ['s1', 's2', 's3']) await cache.add(session(id));
    await cache.findActive('s1', clock.now());
    await cache.findActive('s2', clock.now());
    await cache.findActive('s1', clock.now());
    await cache.findActive('s3', clock.now());
    expect(cache.size).toBe(2);
    expect(db.lookups).toBe(3);
    await cache.findActive('s1', clock.now());
    expect(db.lookups).toBe(3);
    await cache.findActive('s2', clock.now());
    expect(db.lookups).toBe(4);
  });

  it('refuses a session revoked here at once, and tells the other nodes', async () => {
    await cache.add(session('s1'));
    await cache.findActive('s1', clock.now());
    await cache.revoke('s1', clock.now());
    expect(await cache.findActive('s1', clock.now())).toBeNull();
    expect(revocations.published).toEqual(['s1']);
  });

  it('says a revocation it could not tell the other nodes about is unfinished, and still refuses the session here', async () => {
    await cache.add(session('s1'));
    await cache.findActive('s1', clock.now());
    revocations.failing = true;
    await expect(cache.revoke('s1', clock.now())).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(await cache.findActive('s1', clock.now())).toBeNull();
  });

  it('forgets a session another node revoked', async () => {
    await cache.add(session('s1'));
    await cache.findActive('s1', clock.now());
    await db.revoke('s1', clock.now());
    revocations.fromElsewhere('s1');
    expect(await cache.findActive('s1', clock.now())).toBeNull();
  });

  it('does not remember a lookup that a revocation overtook', async () => {
    await cache.add(session('s1'));
    const release = db.hold();
    const lookup = cache.findActive('s1', clock.now());
    await db.revoke('s1', clock.now());
    revocations.fromElsewhere('s1');
    release();
    expect(await lookup).not.toBeNull();
    expect(cache.size).toBe(0);
    expect(await cache.findActive('s1', clock.now())).toBeNull();
  });

  it('serves and remembers nothing while it may miss revocations, and starts empty when it hears again', async () => {
    await cache.add(session('s1'));
    await cache.findActive('s1', clock.now());
    revocations.drop();
    expect(cache.size).toBe(0);
    await cache.findActive('s1', clock.now());
    await cache.findActive('s1', clock.now());
    expect(db.lookups).toBe(3);
    expect(cache.size).toBe(0);

    revocations.restore();
    await cache.findActive('s1', clock.now());
    await cache.findActive('s1', clock.now());
    expect(db.lookups).toBe(4);
  });
});
