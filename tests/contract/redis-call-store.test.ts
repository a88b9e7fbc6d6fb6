import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisCallStore } from '../../src/adapters/persistence/redis/redis-call-store';
import type { CallStore } from '../../src/application/ports/call-store';
import { describeWithRedis } from '../support/redis-server';
import { callChatLimitContract } from './call-chat-limit.contract';
import { callMediaContract } from './call-media.contract';
import { callStoreContract, type ContractStoreOptions } from './call-store.contract';

describeWithRedis('RedisCallStore', (server) => {
  // Each `open` is another node: its own connection, on the same Redis and key prefix as the others of its test.
  const connections = new Map<CallStore, Redis>();
  let current: { clock: ContractStoreOptions['clock']; keyPrefix: string } | undefined;
  const open = async ({ clock, ...options }: ContractStoreOptions) => {
    if (current?.clock !== clock) current = { clock, keyPrefix: `contract:${randomUUID()}:` };
    const redis = new Redis(server().port, server().host);
    const store = new RedisCallStore(redis, { ...options, keyPrefix: current.keyPrefix, clock, nodeId: 'contract', livenessMs: 10_000 });
    connections.set(store, redis);
    return store;
  };
  const close = async (store: CallStore) => {
    await connections.get(store)?.quit();
    connections.delete(store);
  };
  callStoreContract(open, close);
  callChatLimitContract(open, close);
  callMediaContract(open, close);
});
