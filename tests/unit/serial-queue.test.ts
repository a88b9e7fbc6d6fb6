import { SerialQueue } from '../../src/adapters/realtime/serial-queue';

describe('SerialQueue', () => {
  it('starts a task at once when idle and runs later ones strictly after, in order', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    let release: () => void = () => {};
    queue.push(async () => {
      log.push('a:start');
      await new Promise<void>((resolve) => (release = resolve));
      log.push('a:end');
    });
    queue.push(async () => {
      log.push('b');
    });
    queue.push(async () => {
      await Promise.resolve();
      log.push('c');
    });
    expect(log).toEqual(['a:start']);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a:start', 'a:end', 'b', 'c']);
    queue.push(async () => {
      log.push('d');
    });
    expect(log.at(-1)).toBe('d');
  });
});
