import type { DatabaseHealth } from '../../../application/ports/database-health';
import type { SqliteDatabase } from './sqlite-database';

export class SqliteDatabaseHealth implements DatabaseHealth {
  constructor(private readonly db: SqliteDatabase) {}

  async isHealthy(): Promise<boolean> {
    try {
      return this.db.open && this.db.prepare('SELECT 1 AS ok').get() !== undefined;
    } catch {
      return false;
    }
  }
}
