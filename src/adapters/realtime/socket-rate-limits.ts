import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ClientEvent } from './event-schemas';

export interface RateLimitConfig {
  chatPerSecond: number;
  signalPerSecond: number;
}

/**
 * Per-socket limits: `rate` events a second on average, with bursts of up to twice that.
 * Signals have their own budget; every other event shares the chat budget.
 */
export class SocketRateLimits {
  private readonly chat: BurstyRateLimiter;
  private readonly signal: BurstyRateLimiter;

  constructor(config: RateLimitConfig) {
    this.chat = bursty(config.chatPerSecond);
    this.signal = bursty(config.signalPerSecond);
  }

  /** True when the event may go through; false when it must be dropped. */
  async allow(socketId: string, event: ClientEvent): Promise<boolean> {
    try {
      await (event === 'signal' ? this.signal : this.chat).consume(socketId);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }
}

function bursty(perSecond: number): BurstyRateLimiter {
  return new BurstyRateLimiter(
    new RateLimiterMemory({ points: perSecond, duration: 1 }),
    // The burst allowance refills slowly, so the sustained rate stays close to perSecond.
    new RateLimiterMemory({ keyPrefix: 'burst', points: perSecond, duration: 10 }),
  );
}
