import { InMemoryCallStore } from '../../src/adapters/persistence/memory/in-memory-call-store';
import type { CallStore } from '../../src/application/ports/call-store';
import { callChatLimitContract } from './call-chat-limit.contract';
import { callMediaContract } from './call-media.contract';
import { callStoreContract, type ContractStoreOptions } from './call-store.contract';

describe('InMemoryCallStore', () => {
  // One process holds one store: every `open` within a test hands out the same instance, as two handles on one Redis would share state.
  let shared: { clock: ContractStoreOptions['clock']; store: CallStore } | undefined;
  const open = async (options: ContractStoreOptions) => {
    if (shared?.clock !== options.clock) shared = { clock: options.clock, store: new InMemoryCallStore(options) };
    return shared.store;
  };
  callStoreContract(open);
  callChatLimitContract(open);
  callMediaContract(open);
});
