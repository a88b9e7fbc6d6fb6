import { join } from 'node:path';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { decodingFromAll, joinAsGuest, nameOf, remoteVideos, sendChat, type RemoteVideo, selfId } from './page';
import { until, visible } from './wait';

describeWithChromium('a call in the web app between two Chromium pages', () => {
  const bench = useServerAndChromium();
  const { open } = bench;

  it('two guests joining the same call each decode the other one\'s video', async () => {
    const ann = await open();
    const bob = await open();
    const pages = [ann, bob];
    await joinAsGuest(ann, bench.server.url, 'e2e-two', 'Ann');
    await joinAsGuest(bob, bench.server.url, 'e2e-two', 'Bob');

    const playing = (videos: Record<string, RemoteVideo>) => {
      const remote = Object.values(videos);
      return remote.length === 1 && remote.every((video) => video.framesDecoded > 0 && video.videoWidth > 0);
    };
    for (const page of pages) {
      const who = nameOf(page);
      const first = await until(`${who} to decode the other one's video, its <video> sized`, () => remoteVideos(page), playing);
      const [before] = Object.values(first);
      // Still decoding, not one frame that got through: the count keeps going up.
      const later = await until(
        `${who}'s frames decoded to rise by more than 10`,
        () => remoteVideos(page),
        (videos) => (Object.values(videos)[0]?.framesDecoded ?? 0) > (before?.framesDecoded ?? 0) + 10,
      );
      expect(Object.keys(later)).toEqual(Object.keys(first));
    }
    expect(Object.keys(await remoteVideos(ann))).toEqual([await selfId(bob)]);
    expect(Object.keys(await remoteVideos(bob))).toEqual([await selfId(ann)]);
    await ann.screenshot({ path: join(ARTIFACTS, 'two-guests-ann.png'), fullPage: true });
    await bob.screenshot({ path: join(ARTIFACTS, 'two-guests-bob.png'), fullPage: true });
  });

  it('three guests in one call each decode both others\' video, frames rising on every link', async () => {
    const ann = await open();
    const bob = await open({ width: 1024, height: 768 });
    const cat = await open({ width: 1024, height: 768 });
    const pages = { ann, bob, cat };
    await joinAsGuest(ann, bench.server.url, 'e2e-three', 'Ann');
    await joinAsGuest(bob, bench.server.url, 'e2e-three', 'Bob');
    await joinAsGuest(cat, bench.server.url, 'e2e-three', 'Cat');
    const ids = Object.fromEntries(
      await Promise.all(Object.entries(pages).map(async ([who, page]) => [who, await selfId(page)] as const)),
    );

    for (const [who, page] of Object.entries(pages)) {
      const others = Object.entries(ids).filter(([other]) => other !== who).map(([, id]) => id);
      expect(await decodingFromAll(page, 2)).toEqual(others.sort());
    }
    for (const [who, page] of Object.entries(pages)) await page.screenshot({ path: join(ARTIFACTS, `three-guests-${who}.png`), fullPage: true });
  });

  it('chat reaches the other page, a late joiner finds it in the history, and leaving closes the peer connections', async () => {
    const ann = await open();
    const bob = await open();
    await joinAsGuest(ann, bench.server.url, 'e2e-chat', 'Ann');
    await joinAsGuest(bob, bench.server.url, 'e2e-chat', 'Bob');
    await sendChat(ann, 'Hello from Ann');
    await visible(bob.getByRole('list', { name: 'Chat messages' }).getByText('Hello from Ann'), "Ann's chat message on Bob's page");
    await sendChat(bob, 'Hi Ann, Bob here');
    await visible(ann.getByRole('list', { name: 'Chat messages' }).getByText('Hi Ann, Bob here'), "Bob's chat message on Ann's page");

    const cat = await open();
    await joinAsGuest(cat, bench.server.url, 'e2e-chat', 'Cat');
    const log = cat.getByRole('list', { name: 'Chat messages' });
    await visible(log.getByText('Hi Ann, Bob here'), "the chat's history on late joiner Cat's page");
    expect(await log.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Hello from Ann'),
      expect.stringContaining('Hi Ann, Bob here'),
    ]);
    await until('Cat to have a peer connection to each of Ann and Bob', () => remoteVideos(cat), (videos) => Object.keys(videos).length === 2);
    await cat.screenshot({ path: join(ARTIFACTS, 'chat-late-joiner-cat.png'), fullPage: true });

    const links = await cat.evaluateHandle(() => [...(window.__meet?.peers.values() ?? [])]);
    await cat.getByRole('button', { name: 'Leave call' }).click();
    await visible(cat.getByRole('button', { name: 'Continue as guest' }), "Cat's guest form after Leave call");
    expect(await links.evaluate((pcs) => pcs.map((pc) => pc.signalingState))).toEqual(['closed', 'closed']);
    await until("Ann's page to drop its peer connection to Cat", () => remoteVideos(ann), (videos) => Object.keys(videos).length === 1);
    expect(await ann.locator('video').count()).toBe(2);
  });
});
