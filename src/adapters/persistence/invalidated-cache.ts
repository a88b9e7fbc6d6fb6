import { LRUCache } from 'lru-cache';
import type { Invalidations } from './invalidations';

export interface InvalidatedCacheOptions<V extends object> {
  /** How much is remembered, counted by `size` (1 per entry without it); the least recently used goes first. */
  max: number;
  size?: (value: V) => number;
}

/**
 * A node's memory of what the database answered, kept true across a cluster: a key invalidated here or on another
 * node is forgotten at once. While the node is not sure to hear invalidations (its subscription is down or
 * reconnecting) nothing is served or remembered, and everything is forgotten when the subscription drops and again
 * when it is back, since pub/sub keeps nothing for a node that was away. A load overtaken by an invalidation (of any
 * key) while in flight is not remembered.
 */
export class InvalidatedCache<V extends object> {
  private readonly lru: LRUCache<string, V>;
  /** Moves on every invalidation and every loss: a load that saw it move while in flight is not remembered. */
  private epoch = 0;

  constructor(
    private readonly invalidations: Invalidations,
    options: InvalidatedCacheOptions<V>,
  ) {
    const size = options.size;
    this.lru = new LRUCache<string, V>(size ? { maxSize: options.max, sizeCalculation: size } : { max: options.max });
    invalidations.listen({ invalidated: (key) => this.forget(key), missed: () => this.forgetAll() });
  }

  /** How many keys are remembered now. */
  get size(): number {
    return this.lru.size;
  }

  /** What is remembered under `key`, if it may be served. */
  get(key: string): V | undefined {
    return this.invalidations.listening ? this.lru.get(key) : undefined;
  }

  /** Runs `load`, and remembers what `keep` makes of its answer (nothing for null) unless an invalidation overtook it. */
  async load<T>(key: string, load: () => Promise<T>, keep: (answer: T) => V | null): Promise<T> {
    const epoch = this.epoch;
    const answer = await load();
    const value = keep(answer);
    if (value === null) this.lru.delete(key);
    else if (this.invalidations.listening && epoch === this.epoch) this.lru.set(key, value);
    return answer;
  }

  /**
   * Runs `write` (a change to what is cached under `key`), forgets `key` here whatever came of it, then tells every
   * node. Rejects as `write` does; resolves false when the write was made but the nodes could not all be told.
   */
  async write(key: string, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
    } finally {
      this.forget(key);
    }
    return this.invalidations.publish(key).then(
      () => true,
      () => false,
    );
  }

  /** Forgets `key` here only. */
  forget(key: string): void {
    this.epoch += 1;
    this.lru.delete(key);
  }

  private forgetAll(): void {
    this.epoch += 1;
    this.lru.clear();
  }
}
