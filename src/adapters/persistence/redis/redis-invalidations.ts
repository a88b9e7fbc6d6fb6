import type { Redis } from 'ioredis';
import type { InvalidationListener, Invalidations } from '../invalidations';

/**
 * Invalidations over Redis pub/sub on one channel; the message is the key. `subscriber` is a connection for
 * subscriptions only (a subscribed connection can do nothing else), which several channels may share, made with
 * autoResubscribe off: this class subscribes on every `ready` itself, so it knows when its subscription is really
 * back, and counts itself listening only from then until the connection next drops. Pub/sub keeps nothing for a
 * node that was away: each drop and each return tells the listener invalidations may have been missed.
 */
export class RedisInvalidations implements Invalidations {
  private subscribed = false;
  private listener: InvalidationListener | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    subscriber.on('message', (from: string, key: string) => {
      if (from === channel) this.listener?.invalidated(key);
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(channel).then(
        () => {
          this.subscribed = true;
          this.listener?.missed();
        },
        () => this.lost(),
      );
    });
    for (const event of ['error', 'close', 'reconnecting', 'end']) subscriber.on(event, () => this.lost());
  }

  get listening(): boolean {
    return this.subscribed;
  }

  listen(listener: InvalidationListener): void {
    this.listener = listener;
  }

  async publish(key: string): Promise<void> {
    await this.publisher.publish(this.channel, key);
  }

  private lost(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.listener?.missed();
  }
}
