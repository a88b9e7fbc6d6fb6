import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AttendanceRepository } from '../application/ports/attendance-repository';
import type { DatabaseHealth } from '../application/ports/database-health';
import type { MeetingHistoryRepository } from '../application/ports/meeting-history-repository';
import type { MeetingRepository } from '../application/ports/meeting-repository';
import type { SessionRepository } from '../application/ports/session-repository';
import type { UserRepository } from '../application/ports/user-repository';
import { MongooseAttendanceRepository } from '../adapters/persistence/mongoose/mongoose-attendance-repository';
import { MongooseDatabaseHealth } from '../adapters/persistence/mongoose/mongoose-database-health';
import { openMongooseConnection } from '../adapters/persistence/mongoose/mongoose-connection';
import { MongooseMeetingHistoryRepository } from '../adapters/persistence/mongoose/mongoose-meeting-history-repository';
import { MongooseMeetingRepository } from '../adapters/persistence/mongoose/mongoose-meeting-repository';
import { registerModels } from '../adapters/persistence/mongoose/mongoose-models';
import { MongooseSessionRepository } from '../adapters/persistence/mongoose/mongoose-session-repository';
import { MongooseUserRepository } from '../adapters/persistence/mongoose/mongoose-user-repository';
import { SqliteAttendanceRepository } from '../adapters/persistence/sqlite/sqlite-attendance-repository';
import { SqliteDatabaseHealth } from '../adapters/persistence/sqlite/sqlite-database-health';
import { openSqliteDatabase } from '../adapters/persistence/sqlite/sqlite-database';
import { SqliteMeetingHistoryRepository } from '../adapters/persistence/sqlite/sqlite-meeting-history-repository';
import { SqliteMeetingRepository } from '../adapters/persistence/sqlite/sqlite-meeting-repository';
import { SqliteSessionRepository } from '../adapters/persistence/sqlite/sqlite-session-repository';
import { SqliteUserRepository } from '../adapters/persistence/sqlite/sqlite-user-repository';
import type { Config } from '../config/env';

export interface Persistence {
  kind: 'sqlite' | 'mongodb';
  users: UserRepository;
  sessions: SessionRepository;
  history: MeetingHistoryRepository;
  attendance: AttendanceRepository;
  meetings: MeetingRepository;
  health: DatabaseHealth;
  close(): Promise<void>;
}

/** The one place the database is chosen: MongoDB when MONGODB_URI is set, embedded SQLite otherwise. */
export function openPersistence(config: Pick<Config, 'mongodbUri' | 'dataDir'>, logger: Logger): Persistence {
  if (config.mongodbUri) {
    const connection = openMongooseConnection(config.mongodbUri, logger);
    const models = registerModels(connection);
    return {
      kind: 'mongodb',
      users: new MongooseUserRepository(models.users),
      sessions: new MongooseSessionRepository(models.sessions),
      history: new MongooseMeetingHistoryRepository(models.history),
      attendance: new MongooseAttendanceRepository(models.attendance),
      meetings: new MongooseMeetingRepository(models.meetings),
      health: new MongooseDatabaseHealth(connection),
      close: () => connection.close(),
    };
  }
  const db = openSqliteDatabase(join(config.dataDir, 'app.db'));
  return {
    kind: 'sqlite',
    users: new SqliteUserRepository(db),
    sessions: new SqliteSessionRepository(db),
    history: new SqliteMeetingHistoryRepository(db),
    attendance: new SqliteAttendanceRepository(db),
    meetings: new SqliteMeetingRepository(db),
    health: new SqliteDatabaseHealth(db),
    close: async () => {
      db.close();
    },
  };
}
