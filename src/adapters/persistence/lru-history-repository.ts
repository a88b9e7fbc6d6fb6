import { LRUCache } from 'lru-cache';
import type { Clock } from '../../application/ports/clock';
import type { MeetingHistoryRepository } from '../../application/ports/meeting-history-repository';
import type { MeetingHistoryEntry } from '../../domain/meeting-history';
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
 * every other node, whose caches forget it when it arrives; so a history read after an add, on any node, has it.
 * While this node is not sure to hear of adds elsewhere (its subscription is down or reconnecting) nothing is
 * served from memory or remembered, and the cache starts empty once the subscription is back. A read overtaken
 * by an add while in flight is not remembered. An answer is checked against the database again after maxAgeMs
 * at most, which bounds what an add lost without the subscription noticing (a silent network failure) could hide.
 */
export class LruHistoryRepository implements MeetingHistoryRepository {
  private readonly cache: LRUCache<string, Cached>;
  /** Moves on every add heard of and every loss: a read that saw it move while in flight is not remembered. */
  private epoch = 0;

  constructor(
    private readonly inner: MeetingHistoryRepository,
    private readonly changes: Invalidations,
    private readonly clock: Clock,
    private readonly options: HistoryCacheOptions,
  ) {
    this.cache = new LRUCache<string, Cached>({ maxSize: options.maxEntries, sizeCalculation: (cached) => cached.entries.length + 1 });
    changes.listen({ invalidated: (userId) => this.forget(userId), missed: () => this.forgetAll() });
  }

  /** How many users' histories are remembered now. */
  get size(): number {
    return this.cache.size;
  }

  async add(entry: MeetingHistoryEntry): Promise<void> {
    try {
      await this.inner.add(entry);
    } finally {
      this.forget(entry.userId);
    }
    // The entry is stored; failing the add now would only have the client add it twice. Nodes that did not hear of
    // it are on the same Redis, so their subscriptions have most likely dropped too, which empties their caches; if
    // not, the age bound ends it.
    await this.changes.publish(entry.userId).catch(() => undefined);
  }

  async listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]> {
    const nowMs = this.clock.now().getTime();
    if (this.changes.listening) {
      const known = this.cache.get(userId);
      if (known && known.untilMs > nowMs && (limit <= known.asked || known.entries.length < known.asked)) {
        return known.entries.slice(0, limit).map((entry) => ({ ...entry }));
      }
    }
    const epoch = this.epoch;
    const entries = await this.inner.listByUser(userId, limit);
    if (this.changes.listening && epoch === this.epoch) {
      this.cache.set(userId, { entries: entries.map((entry) => ({ ...entry })), asked: limit, untilMs: nowMs + this.options.maxAgeMs });
    }
    return entries;
  }

  private forget(userId: string): void {
    this.epoch += 1;
    this.cache.delete(userId);
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.cache.clear();
  }
}
