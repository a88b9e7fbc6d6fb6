import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithJanus } from '../support/janus-server';
import { ARTIFACTS, describeWithChromium } from './chromium';
import { joinAsGuest, joinWithAccount, nameOf, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { decodingOverSfu, liveConnections, mediaPath, recordEvents, serverEvents, sfuGrowth } from './sfu-page';
import { until } from './wait';

/*
 * The web app on a real Janus. Six pages with video hold steady on this two-core machine (each decodes five others
 * over the SFU in about 30 s all told); SFU_E2E_PAGES runs the first test with fewer.
 */
const PAGES = Number(process.env.SFU_E2E_PAGES ?? 6);
const NAMES = ['Ann', 'Bob', 'Cat', 'Dan', 'Eve', 'Fay', 'Gus', 'Hal'];

async function joinAll(open: () => Promise<Page>, base: string, code: string, names: string[]): Promise<{ pages: Page[]; ids: string[] }> {
  const pages: Page[] = [];
  for (const name of names) {
    const page = await open();
    await joinAsGuest(page, base, code, name);
    pages.push(page);
  }
  return { pages, ids: await Promise.all(pages.map((page) => selfId(page))) };
}

/** Each page decodes, over the SFU, every other page. */
async function everyoneDecodesEveryone(pages: Page[], ids: string[]): Promise<void> {
  for (const [index, page] of pages.entries()) await decodingOverSfu(page, ids.filter((_, other) => other !== index), 120);
}

describeWithChromium('calls on the SFU in the web app', () => {
  describeWithJanus(
    'with a real Janus',
    (janus) => {
      describe('MEDIA_MODE=sfu', () => {
        const bench = useSfuBench(janus, { MEDIA_MODE: 'sfu' });

        it(`${PAGES} pages in one call each decode every other page, holding at most two peer connections`, async () => {
          const { pages, ids } = await joinAll(() => bench.open(), bench.server.url, 'e2e-sfu-many', NAMES.slice(0, PAGES));
          for (const page of pages) expect(await mediaPath(page)).toBe('sfu');
          await everyoneDecodesEveryone(pages, ids);
          for (const page of pages) {
            expect({ page: nameOf(page), live: await liveConnections(page) }).toEqual({ page: nameOf(page), live: 2 });
            expect(await page.evaluate(() => window.__meet?.peers.size)).toBe(0);
          }
          await pages[0]?.screenshot({ path: join(ARTIFACTS, 'sfu-many.png'), fullPage: true });
        }, 300_000);

        it("a host's forced mute is applied at the SFU: the others stop hearing a page that keeps its microphone on", async () => {
          const hana = await bench.open();
          await joinWithAccount(hana, bench.server.url, 'e2e-sfu-mute', 'sfuhana', 'Hana');
          const bob = await bench.open();
          await joinAsGuest(bob, bench.server.url, 'e2e-sfu-mute', 'Bob');
          const cat = await bench.open();
          await joinAsGuest(cat, bench.server.url, 'e2e-sfu-mute', 'Cat');
          const bobId = await selfId(bob);
          await decodingOverSfu(cat, [bobId, await selfId(hana)]);
          const energyFromBob = async () => (await sfuGrowth(cat, 2500))[bobId]?.energy ?? 0;
          const whileOn = await until("Bob's audio energy to grow on Cat's page", energyFromBob, (grown) => grown > 0);

          const muted = await hana.evaluate((id) => window.__meet?.socket?.timeout(10_000).emitWithAck('mute', id, 'audio', { force: true }), bobId);
          expect(muted).toMatchObject({ ok: true });
          await bob.getByRole('status').getByText('only the host can let you turn it back on').waitFor();
          // Bob's page misbehaves: it turns its microphone back on, whatever the host said.
          const enabled = await bob.evaluate(() => {
            const track = window.__meet?.sfu.publisher?.getSenders().find((sender) => sender.track?.kind === 'audio')?.track;
            if (track) track.enabled = true;
            return track?.enabled ?? false;
          });
          expect(enabled).toBe(true);
          await until(
            "Bob's audio on Cat's page to fall silent (under 1/1000 of what 2.5 s brought while on)",
            energyFromBob,
            (grown) => grown < whileOn / 1000,
            20,
          );
          // Still sent by Bob's page, and still received from Hana: only Bob's audio is dropped, at the SFU.
          expect(await bob.evaluate(() => window.__meet?.sfu.publisher?.getSenders().find((sender) => sender.track?.kind === 'audio')?.track?.enabled)).toBe(true);
          const hanaId = await selfId(hana);
          await until("Hana's audio to still grow on Cat's page", async () => (await sfuGrowth(cat, 2500))[hanaId]?.energy ?? 0, (grown) => grown > 0);
        }, 120_000);
      });

      describe('MEDIA_MODE=auto, SFU_FROM=3', () => {
        const bench = useSfuBench(janus, { MEDIA_MODE: 'auto', SFU_FROM: '3' });

        it('two pages talk peer to peer; a third moves the call onto the SFU without anyone leaving, and the mesh closes', async () => {
          const { pages: [ann, bob], ids: [annId, bobId] } = await joinAll(() => bench.open(), bench.server.url, 'e2e-sfu-grow', ['Ann', 'Bob']);
          if (!ann || !bob || !annId || !bobId) throw new Error('two pages expected');
          for (const page of [ann, bob]) {
            await recordEvents(page);
            expect(await mediaPath(page)).toBe('mesh');
            await until(`${nameOf(page)}'s one mesh connection to connect`, () => page.evaluate(() => [...(window.__meet?.peers.values() ?? [])].map((pc) => pc.connectionState)), (states) => states.length === 1 && states[0] === 'connected');
          }
          const meshLinks = await Promise.all([ann, bob].map((page) => page.evaluateHandle(() => [...(window.__meet?.peers.values() ?? [])])));

          const { pages: [cat], ids: [catId] } = await joinAll(() => bench.open(), bench.server.url, 'e2e-sfu-grow', ['Cat']);
          if (!cat || !catId) throw new Error('a third page expected');
          const pages = [ann, bob, cat];
          const ids = [annId, bobId, catId];
          for (const page of pages) await until(`${nameOf(page)} on the SFU`, () => mediaPath(page), (path) => path === 'sfu');
          await everyoneDecodesEveryone(pages, ids);
          for (const links of meshLinks) {
            await until('the mesh connection between Ann and Bob to close', () => links.evaluate((pcs) => pcs.map((pc) => pc.connectionState)), (states) => states.join() === 'closed');
          }
          for (const page of [ann, bob]) {
            expect(await serverEvents(page)).toContain('media-path');
            expect(await serverEvents(page)).not.toContain('user-left');
            expect(await liveConnections(page)).toBe(2);
          }
          expect(await Promise.all(pages.map((page) => selfId(page)))).toEqual(ids);
          await cat.screenshot({ path: join(ARTIFACTS, 'sfu-grown-cat.png'), fullPage: true });
        }, 180_000);
      });
    },
    { webrtcEncryption: true },
  );
});
