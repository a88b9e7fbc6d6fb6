import { describeWithRedis, startRedisServer } from '../support/redis-server';
import { accountToken, api, startTwoNodes, type TwoNodes } from '../support/test-server';

describeWithRedis('session caches on two nodes on one Redis', (redis) => {
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes(redis());
  });
  afterAll(() => nodes?.close());

  it('refuses the very next request on both nodes after a logout, though both had the session cached', async () => {
    const { nodeA, nodeB } = nodes;
    const token = await accountToken(nodeA.url, 'gail', 'Gail');
    for (const node of [nodeA, nodeB, nodeA, nodeB]) {
      expect((await api(node.url, 'GET', '/api/v1/users/get_all_activity', { token })).status).toBe(200);
    }
    expect((await api(nodeA.url, 'POST', '/api/v1/users/logout', { token })).status).toBe(204);
    expect((await api(nodeB.url, 'GET', '/api/v1/users/get_all_activity', { token })).status).toBe(401);
    expect((await api(nodeA.url, 'GET', '/api/v1/users/get_all_activity', { token })).status).toBe(401);
  });

  it('refuses on the node that logged out too when the logout came through the other one', async () => {
    const { nodeA, nodeB } = nodes;
    const token = await accountToken(nodeB.url, 'hugo', 'Hugo');
    for (const node of [nodeA, nodeB]) expect((await api(node.url, 'GET', '/api/v1/users/me', { token })).status).toBe(200);
    expect((await api(nodeB.url, 'POST', '/api/v1/users/logout', { token })).status).toBe(204);
    expect((await api(nodeA.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
    expect((await api(nodeB.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
  });
});

// Starts a Redis of its own, which it stops; the block's shared server goes unused.
describeWithRedis('session caches when Redis goes away', () => {
  it('ask the database instead: a logout Redis could not carry answers 503, and the other node refuses the session', async () => {
    const redis = await startRedisServer();
    const nodes = await startTwoNodes(redis.server);
    try {
      const { nodeA, nodeB } = nodes;
      const token = await accountToken(nodeA.url, 'iris', 'Iris');
      for (const node of [nodeA, nodeB]) expect((await api(node.url, 'GET', '/api/v1/users/me', { token })).status).toBe(200);
      await redis.stop();
      expect(await api(nodeA.url, 'POST', '/api/v1/users/logout', { token })).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
      expect((await api(nodeB.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
      expect((await api(nodeA.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
    } finally {
      await nodes.close();
    }
  });
});
