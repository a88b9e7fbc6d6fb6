import { InMemoryAttendanceRepository } from '../../src/adapters/persistence/memory/in-memory-attendance-repository';
import { InMemoryDatabaseHealth } from '../../src/adapters/persistence/memory/in-memory-database-health';
import { InMemoryMeetingHistoryRepository } from '../../src/adapters/persistence/memory/in-memory-meeting-history-repository';
import { InMemoryMeetingRepository } from '../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemorySessionRepository } from '../../src/adapters/persistence/memory/in-memory-session-repository';
import { InMemoryUserRepository } from '../../src/adapters/persistence/memory/in-memory-user-repository';
import { persistenceContract } from './persistence.contract';

describe('in-memory persistence', () => {
  persistenceContract(async () => ({
    users: new InMemoryUserRepository(),
    sessions: new InMemorySessionRepository(),
    history: new InMemoryMeetingHistoryRepository(),
    attendance: new InMemoryAttendanceRepository(),
    meetings: new InMemoryMeetingRepository(),
    health: new InMemoryDatabaseHealth(),
  }));
});
