import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { describeWithRedis } from '../support/redis-server';
import { startTwoNodes, type TestServer, type TwoNodes } from '../support/test-server';
import { ARTIFACTS, describeWithChromium, launchChromium } from './chromium';
import { decodingFromAll, joinAsGuest, nameOf, selfId } from './page';
import { until } from './wait';

/** Marks the page's current peer connections, so that new ones can be told from them. */
const markPeers = (page: Page) =>
  page.evaluate(() => {
    for (const pc of window.__meet?.peers.values() ?? []) Object.assign(pc, { beforeReset: true });
  });

/** How many peer connections the page has, and how many of them it made after markPeers. */
const peerCounts = (page: Page) =>
  page.evaluate(() => {
    const peers = [...(window.__meet?.peers.values() ?? [])];
    return { all: peers.length, fresh: peers.filter((pc) => !('beforeReset' in pc)).length };
  });

describeWithChromium('the web app when Redis loses its data mid-call', () => {
  describeWithRedis('two nodes on one Redis', (redis) => {
    let nodes: TwoNodes;
    let nodeA: TestServer;
    let nodeB: TestServer;
    let browser: Browser;
    let admin: Redis;

    beforeAll(async () => {
      nodes = await startTwoNodes(redis());
      ({ nodeA, nodeB } = nodes);
      admin = new Redis(redis().port, redis().host);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      admin?.disconnect();
      await nodes?.close();
    });

    it('both pages join the call again by themselves and decode each other\'s video again', async () => {
      const open = async () => (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
      const ann = await open();
      const bob = await open();
      await joinAsGuest(ann, nodeA.url, 'e2e-reset', 'Ann');
      await joinAsGuest(bob, nodeB.url, 'e2e-reset', 'Bob');
      expect(await decodingFromAll(ann, 1)).toEqual([await selfId(bob)]);
      expect(await decodingFromAll(bob, 1)).toEqual([await selfId(ann)]);
      await markPeers(ann);
      await markPeers(bob);

      await admin.flushall();
      // Back in the call as far as the server knows: both on its roster again, joined anew.
      await until('both pages to be on the call’s roster again after FLUSHALL', () => admin.llen('meet:roster:e2e-reset'), (size) => size === 2);
      for (const page of [ann, bob]) {
        await until(`${nameOf(page)} to hold one peer connection, made after the reset`, () => peerCounts(page), ({ all, fresh }) => all === 1 && fresh === 1);
      }
      expect(await decodingFromAll(ann, 1)).toEqual([await selfId(bob)]);
      expect(await decodingFromAll(bob, 1)).toEqual([await selfId(ann)]);
      for (const page of [ann, bob]) expect(await page.getByRole('alert').isHidden()).toBe(true);
      await ann.screenshot({ path: join(ARTIFACTS, 'redis-reset-ann.png'), fullPage: true });
    });
  });
});
