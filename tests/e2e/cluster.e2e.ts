import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describeWithRedis } from '../support/redis-server';
import { startTwoNodes, type TestServer, type TwoNodes } from '../support/test-server';
import { ARTIFACTS, describeWithChromium, launchChromium } from './chromium';
import { decodingFromAll, joinAsGuest, sendChat, selfId } from './page';

describeWithChromium('a call in the web app across two server nodes', () => {
  describeWithRedis('with the nodes on one Redis', (redis) => {
    let nodes: TwoNodes;
    let nodeA: TestServer;
    let nodeB: TestServer;
    let browser: Browser;

    beforeAll(async () => {
      nodes = await startTwoNodes(redis());
      ({ nodeA, nodeB } = nodes);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await nodes?.close();
    });

    it('Ann on node A and Bob on node B decode each other\'s video and chat with each other', async () => {
      expect(nodeA.url).not.toBe(nodeB.url);
      const open = async () => (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
      const ann = await open();
      const bob = await open();
      await joinAsGuest(ann, nodeA.url, 'e2e-cluster', 'Ann');
      await joinAsGuest(bob, nodeB.url, 'e2e-cluster', 'Bob');

      expect(await decodingFromAll(ann, 1)).toEqual([await selfId(bob)]);
      expect(await decodingFromAll(bob, 1)).toEqual([await selfId(ann)]);

      await sendChat(ann, 'Hello from node A');
      await bob.getByRole('list', { name: 'Chat messages' }).getByText('Hello from node A').waitFor();
      await sendChat(bob, 'Hi Ann, node B here');
      await ann.getByRole('list', { name: 'Chat messages' }).getByText('Hi Ann, node B here').waitFor();
      await ann.screenshot({ path: join(ARTIFACTS, 'cluster-ann-node-a.png'), fullPage: true });
      await bob.screenshot({ path: join(ARTIFACTS, 'cluster-bob-node-b.png'), fullPage: true });
    });
  });
});
