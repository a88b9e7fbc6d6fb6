import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LoginThrottle } from '../../application/ports/login-throttle';

/** Works with any rate-limiter-flexible store (memory now, Redis when the service scales out). */
export class RateLimiterFlexibleLoginThrottle implements LoginThrottle {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  async blockedFor(key: string): Promise<number | null> {
    const state = await this.limiter.get(key);
    if (!state || state.consumedPoints < this.limiter.points) return null;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async recordFailure(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      // Rejection with a RateLimiterRes only means the limit is now reached; blockedFor reports it.
      if (!(error instanceof RateLimiterRes)) throw error;
    }
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}
