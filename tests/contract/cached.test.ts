import { InMemoryAttendanceRepository } from '../../src/adapters/persistence/memory/in-memory-attendance-repository';
import { InMemoryDatabaseHealth } from '../../src/adapters/persistence/memory/in-memory-database-health';
import { InMemoryMeetingHistoryRepository } from '../../src/adapters/persistence/memory/in-memory-meeting-history-repository';
import { InMemoryMeetingRepository } from '../../src/adapters/persistence/memory/in-memory-meeting-repository';
import { InMemorySessionRepository } from '../../src/adapters/persistence/memory/in-memory-session-repository';
import { InMemoryUserRepository } from '../../src/adapters/persistence/memory/in-memory-user-repository';
import { LruHistoryRepository } from '../../src/adapters/persistence/lru-history-repository';
import { LruSessionRepository } from '../../src/adapters/persistence/lru-session-repository';
import { FakeInvalidations } from '../support/fake-invalidations';
import { FakeClock } from '../support/fakes';
import { persistenceContract } from './persistence.contract';

// The node's caches are decorators of the database's repositories: with them in front, the contract still holds.
describe('persistence behind the node caches', () => {
  persistenceContract(async () => ({
    users: new InMemoryUserRepository(),
    sessions: new LruSessionRepository(new InMemorySessionRepository(), new FakeInvalidations(), { max: 100, maxAgeMs: 60_000 }),
    history: new LruHistoryRepository(new InMemoryMeetingHistoryRepository(), new FakeInvalidations(), new FakeClock(), {
      maxEntries: 1_000,
      maxAgeMs: 60_000,
    }),
    attendance: new InMemoryAttendanceRepository(),
    meetings: new InMemoryMeetingRepository(),
    health: new InMemoryDatabaseHealth(),
  }));
});
