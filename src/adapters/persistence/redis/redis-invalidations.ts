import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { InvalidationListener, Invalidations } from '../invalidations';

export interface RedisInvalidationsOptions {
  /** The pub/sub channel of this cache's invalidations. */
  channel: string;
  /** How long a publish waits for every listening node to confirm it forgot the key. */
  confirmTimeoutMs: number;
}

/** What travels on the channel: the key, and where and under which id to confirm it was forgotten. */
const message = z.object({ key: z.string(), id: z.string(), reply: z.string() });

/** A publish waiting for its confirmations: how many came, and how many Redis said it delivered to (once known). */
interface Awaited {
  confirmed: number;
  receivers?: number;
  settle?: () => void;
}

/**
 * Invalidations over Redis pub/sub. A publish sends the key with an id and this instance's reply channel; every node
 * listening, this one included, forgets the key and then publishes the id back. The publish resolves only when as
 * many confirmations came as PUBLISH said it reached subscribers, so once a logout or an add is answered no node can
 * serve what it replaced, whatever the order in which Redis's writes reach the nodes. A subscriber that never
 * confirms (a node frozen past `confirmTimeoutMs`, or a client subscribed by pattern that is no node) makes the
 * publish reject.
 *
 * `subscriber` is a connection for subscriptions only (a subscribed connection can do nothing else), which several
 * instances may share, made with autoResubscribe off: this class subscribes on every `ready` itself, so it knows when
 * its subscription is really back, and counts itself listening only from then until the connection next drops.
 * Pub/sub keeps nothing for a node that was away: each drop and each return tells the listener invalidations may
 * have been missed. Confirmations are published with `publisher`, whose command timeout bounds them.
 */
export class RedisInvalidations implements Invalidations {
  private subscribed = false;
  private listener: InvalidationListener | undefined;
  private readonly replyChannel: string;
  private readonly awaited = new Map<string, Awaited>();
  private sequence = 0;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly options: RedisInvalidationsOptions,
  ) {
    const { channel } = options;
    this.replyChannel = `${channel}:confirmed:${randomUUID()}`;
    subscriber.on('message', (from: string, text: string) => {
      if (from === channel) this.invalidated(text);
      else if (from === this.replyChannel) this.confirmed(text);
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(channel, this.replyChannel).then(
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
    const id = String((this.sequence += 1));
    const awaited: Awaited = { confirmed: 0 };
    this.awaited.set(id, awaited);
    let timer: NodeJS.Timeout | undefined;
    try {
      const everyoneForgot = new Promise<void>((resolve) => (awaited.settle = resolve));
      const receivers = await this.publisher.publish(this.options.channel, JSON.stringify({ key, id, reply: this.replyChannel }));
      // Not subscribed, this node cannot hear the confirmations (nor does it serve from its cache meanwhile).
      if (!this.subscribed) throw new Error('Invalidations cannot be confirmed while the subscription is down');
      awaited.receivers = receivers;
      this.settleIfDone(awaited);
      const late = new Promise<never>((_, reject) => {
        const { confirmTimeoutMs } = this.options;
        timer = setTimeout(
          () => reject(new Error(`${receivers - awaited.confirmed} of ${receivers} subscribers did not confirm within ${confirmTimeoutMs} ms`)),
          confirmTimeoutMs,
        );
      });
      await Promise.race([everyoneForgot, late]);
    } finally {
      clearTimeout(timer);
      this.awaited.delete(id);
    }
  }

  private invalidated(text: string): void {
    const parsed = message.safeParse(safeJson(text));
    if (!parsed.success) return;
    this.listener?.invalidated(parsed.data.key);
    // A confirmation that cannot be sent leaves the publisher to time out, which is what it should then say.
    this.publisher.publish(parsed.data.reply, parsed.data.id).catch(() => undefined);
  }

  private confirmed(id: string): void {
    const awaited = this.awaited.get(id);
    if (!awaited) return;
    awaited.confirmed += 1;
    this.settleIfDone(awaited);
  }

  private settleIfDone(awaited: Awaited): void {
    if (awaited.receivers !== undefined && awaited.confirmed >= awaited.receivers) awaited.settle?.();
  }

  private lost(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.listener?.missed();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
