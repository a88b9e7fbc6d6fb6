import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { describeWithCoturn } from '../support/coturn-server';
import { startTestServer, type TestServer } from '../support/test-server';
import { ARTIFACTS, describeWithChromium, launchChromium } from './chromium';
import { decodingFromAll, joinAsGuest, nameOf, selectedCandidateTypes } from './page';
import { until } from './wait';

/*
 * Everything on loopback works with no Chromium flag: Chromium gathers on the machine's non-loopback interface and
 * reaches coturn at 127.0.0.1 from there; both relay candidates are 127.0.0.1 (coturn's relay-ip), which coturn
 * refuses as a peer (403 on CreatePermission, so ICE never connects) unless it runs with --allow-loopback-peers, as
 * describeWithCoturn's does. UDP and TCP TURN URLs both work; UDP is what a browser tries first in production.
 */
describeWithChromium('a call in the web app relayed through coturn', () => {
  describeWithCoturn('with iceTransportPolicy relay on both pages', (coturn) => {
    let server: TestServer;
    let browser: Browser;
    let turnUrl: string;

    beforeAll(async () => {
      const { host, port, secret } = coturn();
      turnUrl = `turn:${host}:${port}?transport=udp`;
      server = await startTestServer({ TURN_URLS: turnUrl, TURN_SECRET: secret, TURN_TTL: '1h' });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.destroy();
    });

    /** A page whose RTCPeerConnections keep the app's own configuration but may use relay candidates only. */
    const relayOnlyPage = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      await context.addInitScript(() => {
        const Native = window.RTCPeerConnection;
        window.RTCPeerConnection = class extends Native {
          constructor(configuration?: RTCConfiguration) {
            super({ ...configuration, iceTransportPolicy: 'relay' });
          }
        };
      });
      return context.newPage();
    };

    it('two guests decode each other\'s video over relay candidates allocated with the join ack\'s TURN credentials', async () => {
      const ann = await relayOnlyPage();
      const bob = await relayOnlyPage();
      await joinAsGuest(ann, server.url, 'e2e-relay', 'Ann');
      await joinAsGuest(bob, server.url, 'e2e-relay', 'Bob');

      for (const page of [ann, bob]) {
        await decodingFromAll(page, 1);
        const pairs = await until(
          `${nameOf(page)}'s links each to select a candidate pair`,
          () => selectedCandidateTypes(page),
          (selected) => Object.values(selected).every((pair) => pair !== null),
        );
        expect(Object.values(pairs)).toEqual([{ local: 'relay', remote: 'relay', relayProtocol: 'udp', url: turnUrl }]);
        const configurations = await page.evaluate(() => [...(window.__meet?.peers.values() ?? [])].map((pc) => pc.getConfiguration()));
        expect(configurations).toEqual([
          expect.objectContaining({
            iceTransportPolicy: 'relay',
            iceServers: expect.arrayContaining([expect.objectContaining({ urls: [turnUrl], username: expect.any(String) })]),
          }),
        ]);
      }
      await ann.screenshot({ path: join(ARTIFACTS, 'relay-ann.png'), fullPage: true });
      await bob.screenshot({ path: join(ARTIFACTS, 'relay-bob.png'), fullPage: true });
    });
  });
});
