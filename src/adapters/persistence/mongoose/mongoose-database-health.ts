import { ConnectionStates, type Connection } from 'mongoose';
import type { DatabaseHealth } from '../../../application/ports/database-health';

export class MongooseDatabaseHealth implements DatabaseHealth {
  constructor(private readonly connection: Connection) {}

  async isHealthy(): Promise<boolean> {
    if (this.connection.readyState !== ConnectionStates.connected || !this.connection.db) return false;
    try {
      await this.connection.db.admin().ping({ maxTimeMS: 2000 });
      return true;
    } catch {
      return false;
    }
  }
}
