import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterFlexibleLoginThrottle } from '../../src/adapters/security/rate-limiter-login-throttle';

const WINDOW_SECONDS = 900;

describe('RateLimiterFlexibleLoginThrottle', () => {
  function make(perAccountPoints = 3, perAddressPoints = 100) {
    const perAccount = new RateLimiterMemory({ points: perAccountPoints, duration: WINDOW_SECONDS });
    const perAddress = new RateLimiterMemory({ points: perAddressPoints, duration: WINDOW_SECONDS });
    return { perAccount, perAddress, throttle: new RateLimiterFlexibleLoginThrottle({ perAccount, perAddress }) };
  }
  const ann = { address: 'ip', account: 'ip|ann' };
  const bob = { address: 'ip', account: 'ip|bob' };
  const consumed = async (limiter: RateLimiterAbstract, key: string) => (await limiter.get(key))?.consumedPoints ?? 0;

  it('lets the budgeted attempts through, then refuses the next one with the seconds left in the window', async () => {
    const { throttle } = make();
    for (let i = 0; i < 3; i += 1) expect(await throttle.charge(ann)).toBeNull();
    const wait = await throttle.charge(ann);
    expect(wait).toBeGreaterThan(WINDOW_SECONDS - 10);
    expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(await throttle.charge(ann)).toBeGreaterThan(0);
    expect(await throttle.charge(bob)).toBeNull();
  });

  it('admits exactly the budget when many charges arrive at once', async () => {
    const { throttle } = make();
    const answers = await Promise.all(Array.from({ length: 20 }, () => throttle.charge(ann)));
    expect(answers.filter((answer) => answer === null)).toHaveLength(3);
  });

  it('refuses an address over its budget across usernames, leaving the account budget untouched', async () => {
    const { throttle, perAccount } = make(3, 2);
    expect(await throttle.charge({ address: 'ip', account: 'ip|a' })).toBeNull();
    expect(await throttle.charge({ address: 'ip', account: 'ip|b' })).toBeNull();
    expect(await throttle.charge({ address: 'ip', account: 'ip|c' })).toBeGreaterThan(WINDOW_SECONDS - 10);
    expect(await consumed(perAccount, 'ip|c')).toBe(0);
    expect(await throttle.charge({ address: 'other', account: 'other|c' })).toBeNull();
  });

  it('on success forgets the account and gives the address its attempt back', async () => {
    const { throttle, perAccount, perAddress } = make();
    await throttle.charge(ann);
    await throttle.charge(bob);
    await throttle.charge(ann);
    expect(await consumed(perAccount, 'ip|ann')).toBe(2);
    expect(await consumed(perAddress, 'ip')).toBe(3);
    await throttle.succeeded(ann);
    expect(await consumed(perAccount, 'ip|ann')).toBe(0);
    expect(await consumed(perAccount, 'ip|bob')).toBe(1);
    expect(await consumed(perAddress, 'ip')).toBe(2);
  });

  it('never leaves an address in credit when the charge is no longer there to refund', async () => {
    const { throttle, perAddress } = make();
    await throttle.succeeded(ann);
    expect(await consumed(perAddress, 'ip')).toBe(0);
  });

  it('passes a store failure on instead of letting the attempt through', async () => {
    class BrokenStore extends RateLimiterMemory {
      override consume(): never {
        throw new Error('store unreachable');
      }
    }
    const throttle = new RateLimiterFlexibleLoginThrottle({
      perAccount: new BrokenStore({ points: 3, duration: WINDOW_SECONDS }),
      perAddress: new RateLimiterMemory({ points: 100, duration: WINDOW_SECONDS }),
    });
    await expect(throttle.charge(ann)).rejects.toThrow('store unreachable');
  });
});
