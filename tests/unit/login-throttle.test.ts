import { RateLimiterMemory } from 'rate-limiter-flexible';
import { RateLimiterFlexibleLoginThrottle } from '../../src/adapters/security/rate-limiter-login-throttle';

describe('RateLimiterFlexibleLoginThrottle', () => {
  const make = () => new RateLimiterFlexibleLoginThrottle(new RateLimiterMemory({ points: 3, duration: 900 }));

  it('blocks a key after the allowed failures, saying for how long', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i += 1) {
      expect(await throttle.blockedFor('ip|ann')).toBeNull();
      await throttle.recordFailure('ip|ann');
    }
    const wait = await throttle.blockedFor('ip|ann');
    expect(wait).toBeGreaterThan(890);
    expect(wait).toBeLessThanOrEqual(900);
    await throttle.recordFailure('ip|ann');
    expect(await throttle.blockedFor('ip|bob')).toBeNull();
  });

  it('forgets a key on reset', async () => {
    const throttle = make();
    for (let i = 0; i < 3; i += 1) await throttle.recordFailure('ip|ann');
    await throttle.reset('ip|ann');
    expect(await throttle.blockedFor('ip|ann')).toBeNull();
  });
});
