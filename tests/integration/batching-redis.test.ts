import { Redis } from 'ioredis';
import { BatchingRedis } from '../../src/adapters/realtime/batching-redis';
import { describeWithRedis } from '../support/redis-server';
import { until } from '../support/until';

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

describeWithRedis('BatchingRedis: the commands of one turn in one write', (redis) => {
  let client: BatchingRedis;
  let reader: Redis;
  beforeAll(async () => {
    client = new BatchingRedis(redis().port, redis().host);
    reader = new Redis(redis().port, redis().host);
    await Promise.all([client.ping(), reader.ping()]);
  });
  afterAll(() => {
    client.disconnect();
    reader.disconnect();
  });

  it('holds the commands of a turn until the turn ends, then sends them in order', async () => {
    await nextTurn();
    const sent = Array.from({ length: 50 }, (_, n) => client.rpush('batched', String(n)));
    expect(client.stream.writableCorked).toBe(1);
    expect(client.stream.writableLength).toBeGreaterThan(0);
    await nextTurn();
    expect(client.stream.writableCorked).toBe(0);
    expect(await Promise.all(sent)).toEqual(Array.from({ length: 50 }, (_, n) => n + 1));
    expect(await reader.lrange('batched', 0, -1)).toEqual(Array.from({ length: 50 }, (_, n) => String(n)));
  });

  it('delivers publishes of one turn to a subscriber in order', async () => {
    const subscriber = reader.duplicate();
    const seen: string[] = [];
    subscriber.on('message', (_channel: string, message: string) => seen.push(message));
    await subscriber.subscribe('batched-channel');
    await Promise.all(Array.from({ length: 20 }, (_, n) => client.publish('batched-channel', String(n))));
    await until('the 20 messages', () => seen.length >= 20);
    subscriber.disconnect();
    expect(seen).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
  });
});
