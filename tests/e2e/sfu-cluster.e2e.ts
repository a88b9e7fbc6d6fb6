import { join } from 'node:path';
import { describeWithJanus } from '../support/janus-server';
import { describeWithRedis } from '../support/redis-server';
import { startTwoNodes, type TwoNodes } from '../support/test-server';
import { ARTIFACTS, describeWithChromium } from './chromium';
import { joinAsGuest, selfId } from './page';
import { useSfuChromium } from './sfu-bench';
import { decodingOverSfu, liveConnections, mediaPath } from './sfu-page';

describeWithChromium('a call on the SFU across two server nodes', () => {
  describeWithRedis('with the nodes on one Redis', (redis) => {
    describeWithJanus(
      'and one Janus',
      (janus) => {
        let nodes: TwoNodes | undefined;
        beforeAll(async () => {
          nodes = await startTwoNodes(redis(), { JANUS_URLS: janus.url(), MEDIA_MODE: 'sfu' });
        });
        afterAll(async () => {
          await nodes?.close();
        });
        const { open } = useSfuChromium();

        it('pages on node A and node B meet in one room and decode each other', async () => {
          if (!nodes) throw new Error('the nodes have not started');
          const { nodeA, nodeB } = nodes;
          const ann = await open();
          await joinAsGuest(ann, nodeA.url, 'e2e-sfu-cluster', 'Ann');
          const bob = await open();
          await joinAsGuest(bob, nodeB.url, 'e2e-sfu-cluster', 'Bob');
          const cat = await open();
          await joinAsGuest(cat, nodeB.url, 'e2e-sfu-cluster', 'Cat');
          const pages = [ann, bob, cat];
          const ids = await Promise.all(pages.map((page) => selfId(page)));
          for (const [index, page] of pages.entries()) {
            expect(await mediaPath(page)).toBe('sfu');
            await decodingOverSfu(page, ids.filter((_, other) => other !== index), 90);
            expect(await liveConnections(page)).toBe(2);
          }
          await bob.screenshot({ path: join(ARTIFACTS, 'sfu-cluster-bob-node-b.png'), fullPage: true });
        }, 180_000);
      },
      { webrtcEncryption: true },
    );
  });
});
