import { InMemoryCallStore } from '../../src/adapters/persistence/memory/in-memory-call-store';
import type { CallStore } from '../../src/application/ports/call-store';
import { callStoreContract, type ContractStoreOptions } from './call-store.contract';

describe('InMemoryCallStore', () => {
  // One process holds one store: every `open` within a test hands out the same instance, as two handles on one Redis would share state.
  let shared: { clock: ContractStoreOptions['clock']; store: CallStore } | undefined;
  callStoreContract(
    async ({ historyTtlMs, codeHoldMs, clock }) => {
      if (shared?.clock !== clock) shared = { clock, store: new InMemoryCallStore({ historyTtlMs, codeHoldMs, chatMemoryLimitBytes: 64 * 1024 * 1024, clock }) };
      return shared.store;
    },
  );
});
