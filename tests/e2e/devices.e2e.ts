import type { Page } from 'playwright-core';
import { describeWithJanus } from '../support/janus-server';
import { describeWithChromium, useServerAndChromium } from './chromium';
import { addSecondCamera, SECOND_CAMERA, videoRedness } from './fake-devices';
import { decodingFromAll, joinAsGuest, nameOf, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { decodingOverSfu, mediaPath } from './sfu-page';
import { until } from './wait';

/** Ann (with a second, red camera) and Bob in one call; returns Ann's id. */
async function annAndBob(open: () => Promise<Page>, base: string, code: string): Promise<{ ann: Page; bob: Page; annId: string }> {
  const ann = await open();
  await addSecondCamera(ann);
  await joinAsGuest(ann, base, code, 'Ann');
  const bob = await open();
  await joinAsGuest(bob, base, code, 'Bob');
  return { ann, bob, annId: await selfId(ann) };
}

/** Ann picks her second camera in the call's device menu; Bob's page then shows red frames from her. */
async function switchToRed(ann: Page, bob: Page, annId: string): Promise<void> {
  expect(await videoRedness(bob, annId)).toBeLessThan(100);
  await ann.getByRole('button', { name: 'Devices' }).click();
  await ann.getByRole('combobox', { name: 'Camera' }).selectOption({ label: SECOND_CAMERA });
  await until(`${nameOf(bob)} to show Ann's red second camera`, () => videoRedness(bob, annId), (red) => red > 100);
}

/** Connections of the page that are not connected or not stable (a failed renegotiation leaves one so). */
const unsettled = (page: Page) =>
  page.evaluate(() => {
    const meet = window.__meet;
    const all = [...(meet?.peers.values() ?? []), meet?.sfu.publisher, meet?.sfu.subscriber].flatMap((pc) => (pc ? [pc] : []));
    return all.filter((pc) => pc.connectionState !== 'connected' || pc.signalingState !== 'stable').map((pc) => `${pc.connectionState}/${pc.signalingState}`);
  });

describeWithChromium('switching the camera in a call', () => {
  describe('on the mesh', () => {
    const bench = useServerAndChromium();
    const open = () => bench.open();

    it('the other page keeps decoding, now the new camera, with no renegotiation', async () => {
      const { ann, bob, annId } = await annAndBob(open, bench.server.url, 'e2e-devices-mesh');
      await decodingFromAll(bob, 1);
      const before = await ann.evaluate(() => [...(window.__meet?.peers.values() ?? [])].map((pc) => pc.localDescription?.sdp ?? ''));
      await switchToRed(ann, bob, annId);
      await decodingFromAll(bob, 1);
      expect(await ann.evaluate(() => [...(window.__meet?.peers.values() ?? [])].map((pc) => pc.localDescription?.sdp ?? ''))).toEqual(before);
      expect(await unsettled(ann)).toEqual([]);
      expect(await unsettled(bob)).toEqual([]);
    }, 120_000);
  });

  describeWithJanus(
    'on the SFU',
    (janus) => {
      const bench = useSfuBench(janus, { MEDIA_MODE: 'sfu' });

      it('the other page keeps decoding over the SFU, now the new camera, the publisher not renegotiated', async () => {
        const { ann, bob, annId } = await annAndBob(() => bench.open(), bench.server.url, 'e2e-devices-sfu');
        expect(await mediaPath(ann)).toBe('sfu');
        await decodingOverSfu(bob, [annId]);
        const offer = await ann.evaluate(() => window.__meet?.sfu.publisher?.localDescription?.sdp ?? '');
        expect(offer).toContain('a=simulcast');
        await switchToRed(ann, bob, annId);
        await decodingOverSfu(bob, [annId]);
        expect(await ann.evaluate(() => window.__meet?.sfu.publisher?.localDescription?.sdp ?? '')).toBe(offer);
        expect(await unsettled(ann)).toEqual([]);
        expect(await unsettled(bob)).toEqual([]);
      }, 180_000);
    },
    { webrtcEncryption: true },
  );
});
