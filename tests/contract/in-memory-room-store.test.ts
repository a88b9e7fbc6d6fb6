import { InMemoryRoomStore } from '../../src/adapters/persistence/memory/in-memory-room-store';
import type { CallStore } from '../../src/application/ports/room-store';
import { roomStoreContract, type ContractStoreOptions } from './room-store.contract';

describe('InMemoryRoomStore', () => {
  // One process holds one store: every `open` within a test hands out the same instance, as two handles on one Redis would share state.
  let shared: { clock: ContractStoreOptions['clock']; store: CallStore } | undefined;
  roomStoreContract(
    async ({ historyTtlMs, codeHoldMs, clock }) => {
      if (shared?.clock !== clock) shared = { clock, store: new InMemoryRoomStore({ historyTtlMs, codeHoldMs, chatMemoryLimitBytes: 64 * 1024 * 1024, clock }) };
      return shared.store;
    },
  );
});
