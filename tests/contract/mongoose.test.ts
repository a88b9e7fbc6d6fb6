import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { MongooseAttendanceRepository } from '../../src/adapters/persistence/mongoose/mongoose-attendance-repository';
import { MongooseDatabaseHealth } from '../../src/adapters/persistence/mongoose/mongoose-database-health';
import { MongooseMeetingHistoryRepository } from '../../src/adapters/persistence/mongoose/mongoose-meeting-history-repository';
import { MongooseMeetingRepository } from '../../src/adapters/persistence/mongoose/mongoose-meeting-repository';
import { registerModels } from '../../src/adapters/persistence/mongoose/mongoose-models';
import { MongooseSessionRepository } from '../../src/adapters/persistence/mongoose/mongoose-session-repository';
import { MongooseUserRepository } from '../../src/adapters/persistence/mongoose/mongoose-user-repository';
import { persistenceContract } from './persistence.contract';

const uri = process.env.TEST_MONGODB_URI;
const describeWithMongo = uri ? describe : describe.skip;

describeWithMongo('Mongoose persistence (skipped: set TEST_MONGODB_URI; no MongoDB server can be installed on this machine)', () => {
  const connections: Connection[] = [];

  persistenceContract(
    async () => {
      const connection = await mongoose.createConnection(uri as string, { dbName: `meet-contract-${randomUUID()}` }).asPromise();
      connections.push(connection);
      const models = registerModels(connection);
      await Promise.all([models.users.init(), models.sessions.init(), models.history.init(), models.attendance.init(), models.meetings.init()]);
      return {
        users: new MongooseUserRepository(models.users),
        sessions: new MongooseSessionRepository(models.sessions),
        history: new MongooseMeetingHistoryRepository(models.history),
        attendance: new MongooseAttendanceRepository(models.attendance),
        meetings: new MongooseMeetingRepository(models.meetings),
        health: new MongooseDatabaseHealth(connection),
      };
    },
    async () => {
      const connection = connections.pop();
      await connection?.dropDatabase();
      await connection?.close();
    },
  );
});
