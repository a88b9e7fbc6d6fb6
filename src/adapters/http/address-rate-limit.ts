import type { Middleware } from 'koa';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError } from '../../domain/errors';
import type { HttpState } from './http-state';

/** One point per request from the client address (`ctx.ip`, which follows TRUST_PROXY); over budget: RATE_LIMITED. */
export function addressRateLimit(limiter: RateLimiterAbstract, what: string): Middleware<HttpState> {
  return async (ctx, next) => {
    try {
      await limiter.consume(ctx.ip);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw new DomainError('RATE_LIMITED', `Too many ${what}; try again later`, undefined, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
    }
    await next();
  };
}
