/** What a node's cache is told about entries changed elsewhere. */
export interface InvalidationListener {
  /** Another node changed what is cached under this key. */
  invalidated(key: string): void;
  /** Invalidations may have been lost (the subscription dropped or came back): forget everything cached. */
  missed(): void;
}

/**
 * Carries the keys of changed cache entries (a revoked session's id, a user whose history grew) between the nodes
 * of a cluster, one channel per cache.
 * listening: true only while every key published from now on reaches this node's listener.
 * publish: tells every node; resolves once the broker has taken it, rejects when it could not be sent.
 * listen: sets the one listener.
 */
export interface Invalidations {
  readonly listening: boolean;
  publish(key: string): Promise<void>;
  listen(listener: InvalidationListener): void;
}

/** One process, no other node: nothing to carry, and nothing can be missed. */
export class InProcessInvalidations implements Invalidations {
  readonly listening = true;

  async publish(): Promise<void> {}

  listen(): void {}
}
