import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { growth } from './media';
import { joinAsGuest, remoteVideos, selfId } from './page';
import { until } from './wait';

describeWithChromium('a page whose signaling connection is cut resumes in Chromium', () => {
  const bench = useServerAndChromium();
  const { open } = bench;

  const framesFrom = (page: Page, id: string) => async () => (await remoteVideos(page))[id]?.framesDecoded ?? 0;

  it('keeps its participant id and its peer connection, and the remote video keeps playing through the cut', async () => {
    const ann = await open();
    const bob = await open();
    await joinAsGuest(ann, bench.server.url, 'e2e-resume', 'Ann');
    await joinAsGuest(bob, bench.server.url, 'e2e-resume', 'Bob');
    const [annId, bobId] = [await selfId(ann), await selfId(bob)];
    await until("Ann to decode Bob's video", framesFrom(ann, bobId), (frames) => frames > 0);
    await until("Bob to decode Ann's video", framesFrom(bob, annId), (frames) => frames > 0);

    // Bob's page records what the server tells it about Ann; Ann's page marks its peer connection to tell a new one apart.
    await bob.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { seen });
      window.__meet?.socket?.on('participant-reconnecting', (id) => seen.push(`reconnecting ${id}`));
      window.__meet?.socket?.on('participant-reconnected', (id) => seen.push(`reconnected ${id}`));
      window.__meet?.socket?.on('user-left', (id) => seen.push(`left ${id}`));
    });
    await ann.evaluate((id) => Object.assign(window.__meet?.peers.get(id) ?? {}, { before: true }), bobId);
    const firstSocket = await ann.evaluate(() => window.__meet?.socket?.id);

    // The banner may come and go within a second: a MutationObserver keeps every text it showed.
    await ann.evaluate(() => {
      const banners: string[] = [];
      Object.assign(window, { banners });
      const banner = document.querySelector('[role="alert"]');
      if (banner) new MutationObserver(() => banners.push(banner.textContent ?? '')).observe(banner, { childList: true, characterData: true, subtree: true });
    });
    await ann.evaluate(() => window.__meet?.socket?.io.engine.close());
    const seenByBob = () => bob.evaluate(() => (window as unknown as { seen: string[] }).seen);
    await until("Bob's page to hear that Ann is reconnecting and then reconnected", seenByBob, (seen) => seen.length >= 2);
    expect(await seenByBob()).toEqual([`reconnecting ${annId}`, `reconnected ${annId}`]);
    await until("Ann's 'Connection lost' banner to go once resumed", () => ann.getByRole('alert').isHidden(), Boolean);
    expect(await ann.evaluate(() => (window as unknown as { banners: string[] }).banners)).toContain('Connection lost. Reconnecting…');

    expect(await selfId(ann)).toBe(annId);
    expect(await ann.evaluate(() => window.__meet?.socket?.id)).not.toBe(firstSocket);
    expect(await ann.evaluate((id) => (window.__meet?.peers.get(id) as unknown as { before?: boolean }).before, bobId)).toBe(true);
    expect(await growth(framesFrom(ann, bobId), 1500)).toBeGreaterThan(10);
    expect(await growth(framesFrom(bob, annId), 1500)).toBeGreaterThan(10);
    expect((await remoteVideos(ann))[bobId]?.videoWidth).toBeGreaterThan(0);

    // Back in the call on the server too: a chat from the resumed page reaches the other one.
    await ann.getByRole('textbox', { name: 'Message' }).fill('Back after the cut');
    await ann.getByRole('button', { name: 'Send' }).click();
    await bob.getByRole('list', { name: 'Chat messages' }).getByText('Back after the cut').waitFor();
    expect(await seenByBob()).toHaveLength(2);
    await ann.screenshot({ path: join(ARTIFACTS, 'resume-ann-after-cut.png'), fullPage: true });
  });
});
