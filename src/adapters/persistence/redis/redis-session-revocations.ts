import type { Redis } from 'ioredis';
import { DomainError } from '../../../domain/errors';
import type { RevocationListener, SessionRevocations } from '../session-revocations';

/**
 * Revocations over Redis pub/sub on one channel; the message is the session id. `subscriber` is a connection of
 * its own (a subscribed connection can do nothing else) made with autoResubscribe off: this class subscribes on
 * every `ready` itself, so it knows when the subscription is really back, and counts itself listening only from
 * then until the connection next drops. Pub/sub keeps nothing for a node that was away: each drop and each return
 * tells the listener revocations may have been missed.
 */
export class RedisSessionRevocations implements SessionRevocations {
  private subscribed = false;
  private listener: RevocationListener | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
  ) {
    subscriber.on('message', (from: string, sessionId: string) => {
      if (from === channel) this.listener?.revoked(sessionId);
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

  listen(listener: RevocationListener): void {
    this.listener = listener;
  }

  async publish(sessionId: string): Promise<void> {
    try {
      await this.publisher.publish(this.channel, sessionId);
    } catch {
      // The session is revoked in the database, but nodes holding it in memory were not told: the client must retry.
      throw new DomainError('SERVICE_UNAVAILABLE', 'The session could not be ended on every server; try again shortly');
    }
  }

  private lost(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.listener?.missed();
  }
}
