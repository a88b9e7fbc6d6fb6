import type { MeetingHistoryRepository } from '../../src/application/ports/meeting-history-repository';
import type { MeetingHistoryEntry } from '../../src/domain/meeting-history';
import { InMemoryMeetingHistoryRepository } from '../../src/adapters/persistence/memory/in-memory-meeting-history-repository';
import { LruHistoryRepository } from '../../src/adapters/persistence/lru-history-repository';
import { FakeInvalidations } from '../support/fake-invalidations';
import { FakeClock } from '../support/fakes';

/** The database under the cache, counting reads; `hold` keeps the next read in flight until released. */
class CountingHistory implements MeetingHistoryRepository {
  reads = 0;
  private readonly store = new InMemoryMeetingHistoryRepository();
  private held: Promise<void> | undefined;

  hold(): () => void {
    let release = () => {};
    this.held = new Promise((done) => (release = done));
    return release;
  }

  add(entry: MeetingHistoryEntry): Promise<void> {
    return this.store.add(entry);
  }
  async listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]> {
    this.reads += 1;
    const answer = await this.store.listByUser(userId, limit);
    const held = this.held;
    this.held = undefined;
    await held;
    return answer;
  }
}

const MINUTE = 60_000;

describe('LruHistoryRepository', () => {
  const clock = new FakeClock();
  let db: CountingHistory;
  let changes: FakeInvalidations;
  let cache: LruHistoryRepository;
  let count = 0;
  const entry = (userId: string): MeetingHistoryEntry => {
    count += 1;
    return { id: `e${count}`, userId, meetingCode: `code-${count}`, date: new Date(Date.UTC(2026, 0, 1, 0, 0, count)) };
  };
  const codes = (entries: MeetingHistoryEntry[]) => entries.map((e) => e.meetingCode);

  beforeEach(() => {
    db = new CountingHistory();
    changes = new FakeInvalidations();
    cache = new LruHistoryRepository(db, changes, clock, { maxEntries: 10, maxAgeMs: 5 * MINUTE });
  });

  it('reads a history once, and answers smaller pages of it from memory', async () => {
    for (let i = 0; i < 5; i += 1) await db.add(entry('ann'));
    const first = await cache.listByUser('ann', 4);
    expect(await cache.listByUser('ann', 4)).toEqual(first);
    expect(await cache.listByUser('ann', 2)).toEqual(first.slice(0, 2));
    expect(db.reads).toBe(1);
  });

  it('asks again for a larger page than it has, unless it already has all there is', async () => {
    for (let i = 0; i < 3; i += 1) await db.add(entry('ann'));
    await cache.listByUser('ann', 2);
    expect(await cache.listByUser('ann', 3)).toHaveLength(3);
    expect(db.reads).toBe(2);
    await cache.listByUser('ann', 50);
    expect(db.reads).toBe(3);
    expect(await cache.listByUser('ann', 100)).toHaveLength(3);
    expect(db.reads).toBe(3);
  });

  it('shows an entry added here at once, and tells the other nodes whose history grew', async () => {
    await cache.add(entry('ann'));
    await cache.listByUser('ann', 10);
    const added = entry('ann');
    await cache.add(added);
    expect((await cache.listByUser('ann', 10))[0]).toEqual(added);
    expect(changes.published).toEqual(['ann', 'ann']);
  });

  it('keeps an entry it stored though the other nodes could not be told', async () => {
    changes.failing = true;
    const added = entry('ann');
    await cache.add(added);
    expect(await cache.listByUser('ann', 10)).toEqual([added]);
  });

  it('forgets a history another node added to', async () => {
    await cache.listByUser('ann', 10);
    const added = entry('ann');
    await db.add(added);
    changes.fromElsewhere('ann');
    expect(await cache.listByUser('ann', 10)).toEqual([added]);
  });

  it('does not remember a read that an add overtook', async () => {
    const release = db.hold();
    const read = cache.listByUser('ann', 10);
    const added = entry('ann');
    await db.add(added);
    changes.fromElsewhere('ann');
    release();
    await read;
    expect(cache.size).toBe(0);
    expect(await cache.listByUser('ann', 10)).toEqual([added]);
  });

  it('asks the database again after maxAge', async () => {
    await cache.listByUser('ann', 10);
    clock.advance(5 * MINUTE - 1);
    await cache.listByUser('ann', 10);
    expect(db.reads).toBe(1);
    clock.advance(1);
    await cache.listByUser('ann', 10);
    expect(db.reads).toBe(2);
  });

  it('holds at most maxEntries entries, counting a user as one more, forgetting the least recently read', async () => {
    for (let i = 0; i < 4; i += 1) await db.add(entry('ann'));
    for (let i = 0; i < 4; i += 1) await db.add(entry('bob'));
    for (let i = 0; i < 4; i += 1) await db.add(entry('cat'));
    await cache.listByUser('ann', 10);
    await cache.listByUser('bob', 10);
    expect(cache.size).toBe(2);
    await cache.listByUser('ann', 10);
    await cache.listByUser('cat', 10);
    expect(cache.size).toBe(2);
    expect(db.reads).toBe(3);
    await cache.listByUser('ann', 10);
    expect(db.reads).toBe(3);
    await cache.listByUser('bob', 10);
    expect(db.reads).toBe(4);
  });

  it('serves and remembers nothing while it may miss adds elsewhere, and starts empty when it hears again', async () => {
    await cache.listByUser('ann', 10);
    changes.drop();
    expect(cache.size).toBe(0);
    await cache.listByUser('ann', 10);
    await cache.listByUser('ann', 10);
    expect(db.reads).toBe(3);
    expect(cache.size).toBe(0);
    changes.restore();
    await cache.listByUser('ann', 10);
    await cache.listByUser('ann', 10);
    expect(db.reads).toBe(4);
  });

  it('hands out copies: changing an answer does not change the next', async () => {
    await db.add(entry('ann'));
    const first = await cache.listByUser('ann', 10);
    for (const answer of first) answer.meetingCode = 'changed';
    first.pop();
    expect(codes(await cache.listByUser('ann', 10))).not.toContain('changed');
    expect(await cache.listByUser('ann', 10)).toHaveLength(1);
  });
});
