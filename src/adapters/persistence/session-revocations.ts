/** What a node's session cache is told about sessions revoked elsewhere. */
export interface RevocationListener {
  /** Another node revoked this session. */
  revoked(sessionId: string): void;
  /** Revocations may have been lost (the subscription dropped or came back): forget every cached session. */
  missed(): void;
}

/**
 * Carries session revocations between the nodes of a cluster.
 * listening: true only while every revocation published from now on reaches this node's listener.
 * publish: tells every node; resolves once the broker has taken it, rejects when it could not be sent.
 * listen: sets the one listener.
 */
export interface SessionRevocations {
  readonly listening: boolean;
  publish(sessionId: string): Promise<void>;
  listen(listener: RevocationListener): void;
}

/** One process, no other node: nothing to carry, and nothing can be missed. */
export class InProcessSessionRevocations implements SessionRevocations {
  readonly listening = true;

  async publish(): Promise<void> {}

  listen(): void {}
}
