import type { Page } from 'playwright-core';
import { hostAddress, startJanus, type RunningJanus } from '../support/janus-process';
import { describeWithJanus } from '../support/janus-server';
import { startTestServer, type TestServer } from '../support/test-server';
import { describeWithChromium } from './chromium';
import { decodingFromAll, joinAsGuest, nameOf, selfId } from './page';
import { decodingOverSfu, liveConnections, mediaPath, recordEvents, serverEvents } from './sfu-page';
import { useSfuChromium } from './sfu-bench';
import { until } from './wait';

/** The pages' media when the call's Janus is killed (SIGKILL): onto another Janus, or back to peer to peer. */
describeWithChromium('a call on the SFU losing its Janus, in the web app', () => {
  describeWithJanus(
    'with a real Janus',
    (janus) => {
      let server: TestServer | undefined;
      let spare: RunningJanus | undefined;
      const { open } = useSfuChromium();
      afterEach(async () => {
        await server?.destroy();
        server = undefined;
        await spare?.stop();
        spare = undefined;
      });
      const joinThree = async (base: string, code: string) => {
        const pages: Page[] = [];
        for (const name of ['Ann', 'Bob', 'Cat']) {
          const page = await open();
          await joinAsGuest(page, base, code, name);
          await recordEvents(page);
          pages.push(page);
        }
        const ids = await Promise.all(pages.map((page) => selfId(page)));
        for (const [index, page] of pages.entries()) await decodingOverSfu(page, ids.filter((_, other) => other !== index));
        return { pages, ids };
      };

      it('moves onto the other Janus: each page publishes again and decodes the others, nobody leaving', async () => {
        spare = await startJanus({ iceEnforceList: hostAddress(), debugLevel: 3 });
        server = await startTestServer({ JANUS_URLS: `${janus.url()},${spare.url}`, MEDIA_MODE: 'sfu', JANUS_REQUEST_TIMEOUT: '2s' });
        const { pages, ids } = await joinThree(server.url, 'e2e-sfu-lost');
        const publishers = await Promise.all(pages.map((page) => page.evaluateHandle(() => window.__meet?.sfu.publisher ?? null)));

        await janus.kill();
        for (const [index, page] of pages.entries()) {
          await until(`${nameOf(page)} to hear that the media server was lost`, () => serverEvents(page), (events) => events.includes('media-path'));
          // A new publishing connection, the old one closed.
          await until(`${nameOf(page)}'s old publishing connection to close`, () => publishers[index]?.evaluate((pc) => pc?.connectionState) ?? Promise.resolve(undefined), (state) => state === 'closed');
        }
        for (const [index, page] of pages.entries()) await decodingOverSfu(page, ids.filter((_, other) => other !== index), 60);
        for (const page of pages) {
          expect(await mediaPath(page)).toBe('sfu');
          expect(await liveConnections(page)).toBe(2);
          expect(await serverEvents(page)).not.toContain('user-left');
        }
      }, 180_000);

      it('falls back to peer to peer when no Janus is left: the SFU connections close and the mesh connects again', async () => {
        server = await startTestServer({ JANUS_URLS: janus.url(), MEDIA_MODE: 'sfu', JANUS_REQUEST_TIMEOUT: '2s' });
        const { pages, ids } = await joinThree(server.url, 'e2e-sfu-fallback');

        await janus.kill();
        for (const page of pages) await until(`${nameOf(page)} back on the mesh`, () => mediaPath(page), (path) => path === 'mesh');
        for (const [index, page] of pages.entries()) {
          expect(await decodingFromAll(page, 2)).toEqual(ids.filter((_, other) => other !== index).sort());
          expect(await page.evaluate(() => window.__meet?.sfu.publisher ?? null)).toBeNull();
          expect(await liveConnections(page)).toBe(2);
          expect(await serverEvents(page)).not.toContain('user-left');
        }
      }, 180_000);
    },
    { webrtcEncryption: true },
  );
});
