import { Semaphore } from '../../src/adapters/security/semaphore';

describe('Semaphore', () => {
  it('runs at most its limit at once, starting waiters in arrival order, and frees the slot of a failed task', async () => {
    const semaphore = new Semaphore(2);
    const started: string[] = [];
    let inFlight = 0;
    let most = 0;
    const task = (name: string, fail = false) =>
      semaphore.run(async () => {
        started.push(name);
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([task('a', true), task('b', true), task('c'), task('d'), task('e')]);
    expect(most).toBe(2);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    await expect(Promise.all([task('f'), task('g')])).resolves.toEqual(['f', 'g']);
    expect(most).toBe(2);
  });
});
