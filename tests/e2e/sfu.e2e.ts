import { join } from 'node:path';
import { describeWithJanus } from '../support/janus-server';
import { ARTIFACTS, describeWithChromium } from './chromium';
import { joinAsGuest, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { decodingOverSfu, liveConnections, mediaPath } from './sfu-page';
import { until } from './wait';

const PAGES = Number(process.env.SFU_E2E_PAGES ?? 6);

describeWithChromium('calls on the SFU in the web app', () => {
  describeWithJanus(
    'with a real Janus',
    (janus) => {
      describe('MEDIA_MODE=sfu', () => {
        const bench = useSfuBench(janus, { MEDIA_MODE: 'sfu' });

        it(`${PAGES} pages in one call each decode every other page, holding at most two peer connections`, async () => {
          const names = ['Ann', 'Bob', 'Cat', 'Dan', 'Eve', 'Fay'].slice(0, PAGES);
          const pages = [];
          for (const name of names) {
            const page = await bench.open();
            await joinAsGuest(page, bench.server.url, 'e2e-sfu-many', name);
            pages.push(page);
          }
          const ids = await Promise.all(pages.map((page) => selfId(page)));
          for (const page of pages) expect(await mediaPath(page)).toBe('sfu');
          for (const [index, page] of pages.entries()) {
            await decodingOverSfu(page, ids.filter((_, other) => other !== index), 120);
          }
          for (const page of pages) expect(await liveConnections(page)).toBeLessThanOrEqual(2);
          await pages[0]?.screenshot({ path: join(ARTIFACTS, 'sfu-many.png'), fullPage: true });
          void until;
        }, 300_000);
      });
    },
    { webrtcEncryption: true },
  );
});
