import { Redis } from 'ioredis';
import { RedisInvalidations } from '../../src/adapters/persistence/redis/redis-invalidations';
import { describeWithRedis, type RedisServer } from '../support/redis-server';
import { until } from '../support/until';

const CHANNEL = 'test:invalidated';
const CONFIRM_TIMEOUT_MS = 500;

/** One node's side: its connections, its RedisInvalidations, and what its cache was told. */
interface Node {
  invalidations: RedisInvalidations;
  subscriber: Redis;
  heard: string[];
  missed: number;
  close(): void;
}

/** A node whose subscription is up (its listener heard `missed`, as it does each time the subscription starts). */
async function startNode(server: RedisServer): Promise<Node> {
  const publisher = new Redis(server.port, server.host);
  const subscriber = new Redis(server.port, server.host, { autoResubscribe: false });
  const invalidations = new RedisInvalidations(publisher, subscriber, { channel: CHANNEL, confirmTimeoutMs: CONFIRM_TIMEOUT_MS });
  let subscribed: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (subscribed = resolve));
  const node: Node = {
    invalidations,
    subscriber,
    heard: [],
    missed: 0,
    close: () => {
      // A second disconnect would leave ioredis's timer for a close that already happened.
      for (const client of [publisher, subscriber]) if (client.status !== 'end') client.disconnect();
    },
  };
  invalidations.listen({
    invalidated: (key) => node.heard.push(key),
    missed: () => {
      node.missed += 1;
      subscribed();
    },
  });
  await listening;
  return node;
}

describeWithRedis('RedisInvalidations: a publish is confirmed by every node listening', (redis) => {
  let nodes: [Node, Node, Node];
  beforeEach(async () => {
    nodes = await Promise.all([startNode(redis()), startNode(redis()), startNode(redis())]);
  });
  afterEach(() => {
    for (const node of nodes) node.close();
  });

  it('resolves only once every node, the publisher included, has been told the key', async () => {
    const [a, b, c] = nodes;
    const keys = Array.from({ length: 20 }, (_, n) => `key-${n}`);
    await Promise.all(
      keys.map(async (key, n) => {
        await [a, b, c][n % 3]!.invalidations.publish(key);
        for (const node of nodes) expect(node.heard).toContain(key);
      }),
    );
    for (const node of nodes) expect([...node.heard].sort()).toEqual([...keys].sort());
  });

  it('rejects, naming how many did not confirm, when a subscriber never confirms; the nodes are told all the same', async () => {
    const [a, b, c] = nodes;
    const silent = new Redis(redis().port, redis().host);
    try {
      await silent.subscribe(CHANNEL);
      const started = Date.now();
      await expect(a.invalidations.publish('seen-by-a-stranger')).rejects.toThrow(
        `1 of 4 subscribers did not confirm within ${CONFIRM_TIMEOUT_MS} ms`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(CONFIRM_TIMEOUT_MS - 10);
      for (const node of [a, b, c]) expect(node.heard).toEqual(['seen-by-a-stranger']);
    } finally {
      silent.disconnect();
    }
  });

  it('ignores what is not an invalidation on its channel', async () => {
    const [a, b] = nodes;
    const stranger = new Redis(redis().port, redis().host);
    try {
      for (const junk of ['not json', '{"key":1,"id":"1","reply":"x"}', '{"key":"k"}', 'null']) await stranger.publish(CHANNEL, junk);
      await a.invalidations.publish('real');
      for (const node of [a, b]) expect(node.heard).toEqual(['real']);
    } finally {
      stranger.disconnect();
    }
  });

  it('rejects while its own subscription is down, since it cannot hear the confirmations, and tells its cache', async () => {
    const [a, b] = nodes;
    const missedBefore = a.missed;
    a.subscriber.disconnect();
    await until('a to count its subscription lost', () => !a.invalidations.listening);
    expect(a.missed).toBe(missedBefore + 1);
    await expect(a.invalidations.publish('while-deaf')).rejects.toThrow('cannot be confirmed while the subscription is down');
    // The others were told: b's publish of its own resolves once b has been told it, after what came before.
    await b.invalidations.publish('after');
    expect(b.heard).toEqual(['while-deaf', 'after']);
  });
});
