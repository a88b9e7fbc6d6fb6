import { Redis } from 'ioredis';

/**
 * An ioredis client that sends the commands of one turn of the event loop in one write, in the order they were made:
 * the connection is corked at the turn's first command and uncorked once the turn's I/O callbacks have run
 * (setImmediate). For the Socket.IO adapter's publisher, where a write per PUBLISH was a quarter of a node's CPU per
 * cross-node signal and more than half of Redis's; ioredis's own enableAutoPipelining batches as well but adds a
 * pipeline and promises per command, and measured costlier (docs/performance.md). Replies and failures are ioredis's.
 */
export class BatchingRedis extends Redis {
  private corked = false;

  override sendCommand(...args: Parameters<Redis['sendCommand']>): unknown {
    if (!this.corked && this.status === 'ready' && this.stream.writable) {
      const stream = this.stream;
      stream.cork();
      this.corked = true;
      setImmediate(() => {
        this.corked = false;
        stream.uncork();
      });
    }
    return super.sendCommand(...args);
  }
}
