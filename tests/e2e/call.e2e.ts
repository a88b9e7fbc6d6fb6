import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server';
import { ARTIFACTS, describeWithChromium, launchChromium } from './chromium';
import { joinAsGuest, remoteVideos, until, type RemoteVideo } from './page';

describeWithChromium('a call in the web app between two Chromium pages', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });

  it('two guests joining the same call each decode the other one\'s video', async () => {
    // 360 px wide: the narrowest screen the app is meant to be readable on.
    const open = async () => (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    const ann = await open();
    const bob = await open();
    const pages = [ann, bob];
    await joinAsGuest(ann, server.url, 'e2e-two', 'Ann');
    await joinAsGuest(bob, server.url, 'e2e-two', 'Bob');

    const playing = (videos: Record<string, RemoteVideo>) => {
      const remote = Object.values(videos);
      return remote.length === 1 && remote.every((video) => video.framesDecoded > 0 && video.videoWidth > 0);
    };
    for (const page of pages) {
      const first = await until(() => remoteVideos(page), playing);
      const [before] = Object.values(first);
      // Still decoding, not one frame that got through: the count keeps going up.
      const later = await until(
        () => remoteVideos(page),
        (videos) => (Object.values(videos)[0]?.framesDecoded ?? 0) > (before?.framesDecoded ?? 0) + 10,
      );
      expect(Object.keys(later)).toEqual(Object.keys(first));
    }
    const selfId = (page: Page) => page.evaluate(() => window.__meet?.selfId);
    expect(Object.keys(await remoteVideos(ann))).toEqual([await selfId(bob)]);
    expect(Object.keys(await remoteVideos(bob))).toEqual([await selfId(ann)]);
    await ann.screenshot({ path: join(ARTIFACTS, 'two-guests-ann.png'), fullPage: true });
    await bob.screenshot({ path: join(ARTIFACTS, 'two-guests-bob.png'), fullPage: true });
  });
});
