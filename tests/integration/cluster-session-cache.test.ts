import { describeWithRedis } from '../support/redis-server';
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
