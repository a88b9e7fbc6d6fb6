import { InMemoryRoomStore } from '../../src/adapters/persistence/memory/in-memory-room-store';
import { FakeClock } from '../support/fakes';
import { CONTRACT_HISTORY_TTL_MS, roomStoreContract } from './room-store.contract';

describe('InMemoryRoomStore', () => {
  roomStoreContract(
    async () => new InMemoryRoomStore({ historyTtlMs: CONTRACT_HISTORY_TTL_MS, chatMemoryLimitBytes: 64 * 1024 * 1024, clock: new FakeClock() }),
  );
});
