import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LoginThrottle, LoginThrottleKeys } from '../../application/ports/login-throttle';

export interface LoginLimiters {
  /** Attempts per client address + username. */
  perAccount: RateLimiterAbstract;
  /** Attempts per client address, across usernames. */
  perAddress: RateLimiterAbstract;
}

/**
 * Works with any rate-limiter-flexible store (memory now, Redis when the service scales out): `consume` is the
 * store's atomic increment-and-check, so each attempt is counted before any other can look at the budget.
 */
export class RateLimiterFlexibleLoginThrottle implements LoginThrottle {
  constructor(private readonly limiters: LoginLimiters) {}

  async charge(keys: LoginThrottleKeys): Promise<number | null> {
    const accountWait = await consume(this.limiters.perAccount, keys.account);
    if (accountWait !== null) return accountWait;
    const addressWait = await consume(this.limiters.perAddress, keys.address);
    if (addressWait !== null) await refund(this.limiters.perAccount, keys.account);
    return addressWait;
  }

  async succeeded(keys: LoginThrottleKeys): Promise<void> {
    await this.limiters.perAccount.delete(keys.account);
    await refund(this.limiters.perAddress, keys.address);
  }
}

/** null when the point was taken within the budget, otherwise the seconds until the budget has room. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  }
}

async function refund(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const after = await limiter.reward(key);
  // A window that ended since the charge must not start the next one in credit.
  if (after.consumedPoints < 0) await limiter.penalty(key, -after.consumedPoints);
}
