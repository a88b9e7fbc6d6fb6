import type { Clock } from '../../application/ports/clock';
import type { MeetingHistoryRepository } from '../../application/ports/meeting-history-repository';
import type { MeetingHistoryEntry } from '../../domain/meeting-history';
import { InvalidatedCache } from './invalidated-cache';
import type { Invalidations } from './invalidations';

export interface HistoryCacheOptions {
  /** How many history entries are remembered in all; the user read least recently is forgotten first. */
  maxEntries: number;
  /** The longest a user's history is served without asking the database again. */
  maxAgeMs: number;
}

interface Cached {
  /** The database's answer for `asked` entries: all the user has when fewer came. */
  entries: MeetingHistoryEntry[];
  asked: number;
  untilMs: number;
}

/**
 * Any MeetingHistoryRepository, with each user's newest entries remembered, so reading a history again does no
 * database work. Adding an entry forgets the user's history here and, before it returns, publishes the user to
 * every other node, whose caches forget it when it arrives; so a history read after an add, on any node, has it
 * (InvalidatedCache says what happens while a node may not hear). An answer is checked against the database again
 * after maxAgeMs at most, which bounds what an add lost without the subscription noticing (a silent network
 * failure) could hide.
 */
export class LruHistoryRepository implements MeetingHistoryRepository {
  private readonly cache: InvalidatedCache<Cached>;

  constructor(
    private readonly inner: MeetingHistoryRepository,
    changes: Invalidations,
    private readonly clock: Clock,
    private readonly options: HistoryCacheOptions,
  ) {
    this.cache = new InvalidatedCache<Cached>(changes, { max: options.maxEntries, size: (cached) => cached.entries.length + 1 });
  }

  /** How many users' histories are remembered now. */
  get size(): number {
    return this.cache.size;
  }

  async add(entry: MeetingHistoryEntry): Promise<void> {
    // Once the entry is stored, failing the add because not every node heard of it would only have the client add
    // it twice. Nodes that did not hear are on the same Redis, so their subscriptions have most likely dropped too,
    // which empties their caches; if not, the age bound ends it.
    await this.cache.write(entry.userId, () => this.inner.add(entry));
  }

  async listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]> {
    const nowMs = this.clock.now().getTime();
    const known = this.cache.get(userId);
    if (known && known.untilMs > nowMs && (limit <= known.asked || known.entries.length < known.asked)) {
      return known.entries.slice(0, limit).map((entry) => ({ ...entry }));
    }
    return this.cache.load(
      userId,
      () => this.inner.listByUser(userId, limit),
      (entries) => ({ entries: entries.map((entry) => ({ ...entry })), asked: limit, untilMs: nowMs + this.options.maxAgeMs }),
    );
  }
}
