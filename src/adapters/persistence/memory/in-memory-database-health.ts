import type { DatabaseHealth } from '../../../application/ports/database-health';

export class InMemoryDatabaseHealth implements DatabaseHealth {
  async isHealthy(): Promise<boolean> {
    return true;
  }
}
