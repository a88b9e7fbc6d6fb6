import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describeWithJanus } from '../support/janus-server';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { listenForTalking, talkingHeard, useToneMicrophone } from './fake-devices';
import { joinAsGuest, nameOf, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { until } from './wait';

/** Turns the page's microphone off or on with its toggle, and waits for the toggle to say so. */
async function microphone(page: Page, on: boolean): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Microphone' });
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  await until(`${nameOf(page)}'s microphone to be ${on ? 'on' : 'off'}`, () => toggle.getAttribute('aria-pressed'), (pressed) => pressed === String(on));
}

function largeTile(page: Page): Promise<{ view: string | null; large: string | null; speaking: string | null }> {
  return page.evaluate(() => ({
    view: window.__meet?.view ?? null,
    large: window.__meet?.large ?? null,
    speaking: document.querySelector<HTMLElement>('.tile.speaking video')?.dataset.participant ?? null,
  }));
}

function mediaPathOf(page: Page): Promise<string> {
  return page.evaluate(() => window.__meet?.path ?? 'none');
}

async function speakerIs(page: Page, id: string, who: string, seconds?: number): Promise<void> {
  await until(
    `${who} (${id}) to be the large, outlined tile in ${nameOf(page)}'s speaker view`,
    () => largeTile(page),
    (tile) => tile.view === 'speaker' && tile.large === id && tile.speaking === id,
    seconds,
  );
}

/**
 * Every page's microphone sounds (Chromium's fake one beeps; on the SFU a tone stands in): all but one page mute, and that one must become the speaker on
 * the others; it mutes and another unmutes, and the floor moves.
 */
async function speakerFollowsTheBeep(pages: Page[], seconds?: number): Promise<void> {
  const [ann, bob, cat] = pages;
  if (!ann || !bob || !cat) throw new Error('three pages');
  const [annId, bobId] = await Promise.all([selfId(ann), selfId(bob)]);
  await microphone(bob, false);
  await microphone(cat, false);
  for (const page of [bob, cat]) await page.getByRole('button', { name: 'Speaker view' }).click();
  for (const page of [bob, cat]) await speakerIs(page, annId, 'Ann', seconds);
  await cat.screenshot({ path: join(ARTIFACTS, `speaker-view-${await mediaPathOf(cat)}.png`) });

  await microphone(ann, false);
  await microphone(bob, true);
  await ann.getByRole('button', { name: 'Speaker view' }).click();
  for (const page of [ann, cat]) await speakerIs(page, bobId, 'Bob', seconds);
  expect((await largeTile(cat)).speaking).not.toBe(annId);
}

describeWithChromium('speaker view and the gallery in Chromium', () => {
  const bench = useServerAndChromium();

  it('the page whose microphone beeps is the large tile on the others; muted, it no longer is', async () => {
    const pages: Page[] = [];
    for (const name of ['Ann', 'Bob', 'Cat']) {
      const page = await bench.open();
      await joinAsGuest(page, bench.server.url, 'e2e-speaker', name);
      pages.push(page);
    }
    await speakerFollowsTheBeep(pages, 60);
  }, 240_000);

  it('a gallery of three fits the screen without scrolling at 360 px and 1280 px', async () => {
    const pages: Page[] = [];
    for (const name of ['Ann', 'Bob', 'Cat']) {
      const page = await bench.open();
      await joinAsGuest(page, bench.server.url, 'e2e-gallery', name);
      pages.push(page);
    }
    const [ann] = pages;
    if (!ann) throw new Error('a page');
    for (const viewport of [{ width: 360, height: 740 }, { width: 1280, height: 720 }]) {
      await ann.setViewportSize(viewport);
      await until(
        `three tiles drawn inside Ann's ${viewport.width}x${viewport.height} screen, none hidden, nothing to scroll`,
        () =>
          ann.evaluate(() => {
            const tiles = [...document.querySelectorAll<HTMLElement>('.tile')].map((tile) => tile.getBoundingClientRect());
            const grid = document.querySelector<HTMLElement>('.grid');
            return {
              tiles: tiles.map((box) => ({ left: box.left, top: box.top, right: box.right, bottom: box.bottom, width: box.width })),
              scrolls: (grid?.scrollHeight ?? 0) > (grid?.clientHeight ?? 0) || document.documentElement.scrollWidth > window.innerWidth,
              width: window.innerWidth,
              height: window.innerHeight,
            };
          }),
        (seen) => !seen.scrolls && seen.tiles.length === 3 && seen.tiles.every((box) => box.width > 100 && box.left >= 0 && box.top >= 0 && box.right <= seen.width && box.bottom <= seen.height),
      );
      await ann.screenshot({ path: join(ARTIFACTS, `gallery-three-${viewport.width}.png`) });
    }
  }, 180_000);
});

describeWithChromium('speaker view on the SFU', () => {
  describeWithJanus(
    'with a real Janus',
    (janus) => {
      const bench = useSfuBench(janus, { MEDIA_MODE: 'sfu' });

      it('the page whose microphone beeps is the large tile on the others; muted, it no longer is', async () => {
        const pages: Page[] = [];
        for (const name of ['Ann', 'Bob', 'Cat']) {
          const page = await bench.open();
          await useToneMicrophone(page);
          await joinAsGuest(page, bench.server.url, 'e2e-sfu-speaker', name);
          pages.push(page);
        }
        for (const page of pages) await until(`${nameOf(page)} on the SFU`, () => page.evaluate(() => window.__meet?.path ?? null), (path) => path === 'sfu');
        for (const page of pages) await listenForTalking(page);
        await speakerFollowsTheBeep(pages, 90);
        // The floor moved by Janus's talking events, not only by the levels the pages measure themselves.
        const [ann, bob, cat] = pages;
        if (!ann || !bob || !cat) throw new Error('three pages');
        const [annId, bobId] = await Promise.all([selfId(ann), selfId(bob)]);
        expect(await talkingHeard(cat)).toEqual(expect.arrayContaining([[annId, false], [bobId, true]]));
      }, 300_000);
    },
    { webrtcEncryption: true },
  );
});
