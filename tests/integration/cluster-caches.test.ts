import { describeWithRedis, startRedisServer } from '../support/redis-server';
import { accountToken, api, startTwoNodes, type TwoNodes } from '../support/test-server';

const USERS = '/api/v1/users';

/** The meeting codes of a user's history as `node` answers it. */
async function history(url: string, token: string): Promise<string[]> {
  const answer = await api(url, 'GET', `${USERS}/get_all_activity`, { token });
  expect(answer.status).toBe(200);
  return (answer.body as { meetingCode: string }[]).map((entry) => entry.meetingCode);
}

async function addHistory(url: string, token: string, code: string): Promise<void> {
  expect((await api(url, 'POST', `${USERS}/add_to_activity`, { token, json: { meeting_code: code } })).status).toBe(201);
}

describeWithRedis('session and history caches on two nodes on one Redis', (redis) => {
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

  it('shows an entry added on one node in the very next history read on either, though both had the history cached', async () => {
    const { nodeA, nodeB } = nodes;
    const token = await accountToken(nodeA.url, 'jana', 'Jana');
    await addHistory(nodeA.url, token, 'first-call');
    for (const node of [nodeA, nodeB, nodeA, nodeB]) expect(await history(node.url, token)).toEqual(['first-call']);
    await addHistory(nodeA.url, token, 'second-call');
    expect(await history(nodeB.url, token)).toEqual(['second-call', 'first-call']);
    expect(await history(nodeA.url, token)).toEqual(['second-call', 'first-call']);
    await addHistory(nodeB.url, token, 'third-call');
    expect(await history(nodeA.url, token)).toEqual(['third-call', 'second-call', 'first-call']);
    expect(await history(nodeB.url, token)).toEqual(['third-call', 'second-call', 'first-call']);
  });
});

// Starts a Redis of its own, which it stops; the block's shared server goes unused.
describeWithRedis('session and history caches when Redis goes away', () => {
  it('ask the database instead: an add shows on the other node, a logout Redis could not carry answers 503, and the other node refuses the session', async () => {
    const redis = await startRedisServer();
    const nodes = await startTwoNodes(redis.server);
    try {
      const { nodeA, nodeB } = nodes;
      const token = await accountToken(nodeA.url, 'iris', 'Iris');
      for (const node of [nodeA, nodeB]) expect((await api(node.url, 'GET', '/api/v1/users/me', { token })).status).toBe(200);
      for (const node of [nodeA, nodeB]) expect(await history(node.url, token)).toEqual([]);
      await redis.stop();
      // Stored, though Redis could not tell the other node: its subscription is down too, so it reads the database.
      await addHistory(nodeA.url, token, 'while-away');
      expect(await history(nodeB.url, token)).toEqual(['while-away']);
      expect(await api(nodeA.url, 'POST', '/api/v1/users/logout', { token })).toMatchObject({ status: 503, body: { code: 'SERVICE_UNAVAILABLE' } });
      expect((await api(nodeB.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
      expect((await api(nodeA.url, 'GET', '/api/v1/users/me', { token })).status).toBe(401);
    } finally {
      await nodes.close();
    }
  });
});
