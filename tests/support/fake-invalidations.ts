import type { InvalidationListener, Invalidations } from '../../src/adapters/persistence/invalidations';

/** Another node's invalidations arrive by `fromElsewhere`; `drop` and `restore` are the subscription's fate. */
export class FakeInvalidations implements Invalidations {
  listening = true;
  published: string[] = [];
  /** While set, publishing fails as with Redis away. */
  failing = false;
  private listener: InvalidationListener | undefined;

  async publish(key: string): Promise<void> {
    if (this.failing) throw new Error('Connection is closed.');
    this.published.push(key);
  }
  listen(listener: InvalidationListener): void {
    this.listener = listener;
  }
  fromElsewhere(key: string): void {
    this.listener?.invalidated(key);
  }
  drop(): void {
    this.listening = false;
    this.listener?.missed();
  }
  restore(): void {
    this.listening = true;
    this.listener?.missed();
  }
}
