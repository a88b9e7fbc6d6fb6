import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisRoomStore } from '../../src/adapters/persistence/redis/redis-room-store';
import type { CallStore } from '../../src/application/ports/room-store';
import { describeWithRedis } from '../support/redis-server';
import { roomStoreContract, type ContractStoreOptions } from './room-store.contract';

describeWithRedis('RedisRoomStore', (server) => {
  // Each `open` is another node: its own connection, on the same Redis and key prefix as the others of its test.
  const connections = new Map<CallStore, Redis>();
  let current: { clock: ContractStoreOptions['clock']; keyPrefix: string } | undefined;
  roomStoreContract(
    async ({ historyTtlMs, codeHoldMs, clock }) => {
      if (current?.clock !== clock) current = { clock, keyPrefix: `contract:${randomUUID()}:` };
      const redis = new Redis(server().port, server().host);
      const store = new RedisRoomStore(redis, { keyPrefix: current.keyPrefix, historyTtlMs, codeHoldMs, clock, nodeId: 'contract', livenessMs: 10_000 });
      connections.set(store, redis);
      return store;
    },
    async (store) => {
      await connections.get(store)?.quit();
      connections.delete(store);
    },
  );
});
