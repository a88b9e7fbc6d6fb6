/**
 * Runs one socket's tasks one at a time, in arrival order. A task that arrives while none is running starts at once
 * (no promise hop); one that arrives during another waits for it. Tasks handle their own errors: a rejection
 * does not stop the queue.
 */
export class SerialQueue {
  private tail: Promise<void> | null = null;

  push(task: () => Promise<void>): void {
    const running = this.tail === null ? task() : this.tail.then(task);
    const settle = () => {
      if (this.tail === tail) this.tail = null;
    };
    const tail = running.then(settle, settle);
    this.tail = tail;
  }
}
