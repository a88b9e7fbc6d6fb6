import type { Redis } from 'ioredis';
import type { DatabaseHealth } from '../../../application/ports/database-health';

export class RedisHealth implements DatabaseHealth {
  constructor(private readonly redis: Redis) {}

  async isHealthy(): Promise<boolean> {
    if (this.redis.status !== 'ready') return false;
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }
}
