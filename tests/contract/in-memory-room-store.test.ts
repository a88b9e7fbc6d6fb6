import { InMemoryRoomStore } from '../../src/adapters/persistence/memory/in-memory-room-store';
import { CONTRACT_HISTORY_TTL_MS, roomStoreContract } from './room-store.contract';

describe('InMemoryRoomStore', () => {
  roomStoreContract(async () => new InMemoryRoomStore(CONTRACT_HISTORY_TTL_MS));
});
