import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { describeWithJanus } from '../support/janus-server';
import { addSecondCamera, SECOND_CAMERA, videoRedness } from './fake-devices';
import { joinAsGuest, passPrejoin, selfId } from './page';
import { useSfuBench } from './sfu-bench';
import { mediaPath } from './sfu-page';
import { until, visible } from './wait';

async function toPrejoin(page: Page, base: string, code: string, name: string): Promise<void> {
  await page.goto(`${base}/m/${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue as guest' }).click();
  await page.getByRole('combobox', { name: 'Camera' }).waitFor();
}

const cameraOptions = (page: Page) => page.getByRole('combobox', { name: 'Camera' }).locator('option').allInnerTexts();

describeWithChromium('the pre-join screen', () => {
  const bench = useServerAndChromium();
  const open = () => bench.open();

  it('lists the devices, its level meter moves with the fake microphone, and the choice survives a reload', async () => {
    const ann = await open();
    await addSecondCamera(ann);
    await toPrejoin(ann, bench.server.url, 'e2e-prejoin', 'Ann');
    await until("Ann's camera list to hold both cameras", () => cameraOptions(ann), (names) => names.length === 2 && names.includes(SECOND_CAMERA));
    expect(await ann.getByRole('combobox', { name: 'Microphone' }).locator('option').count()).toBeGreaterThan(0);
    // The fake microphone beeps about once a second: the meter rises with a beep.
    await ann.waitForFunction(() => (document.querySelector<HTMLMeterElement>('meter.level')?.value ?? 0) > 0.02, undefined, { polling: 50, timeout: 30_000 });
    await ann.screenshot({ path: join(ARTIFACTS, 'prejoin.png'), fullPage: true });

    await ann.getByRole('combobox', { name: 'Camera' }).selectOption({ label: SECOND_CAMERA });
    await ann.getByRole('button', { name: 'Camera', exact: true }).click();
    await ann.getByRole('button', { name: 'Microphone', exact: true }).click();
    await ann.reload();
    await toPrejoin(ann, bench.server.url, 'e2e-prejoin', 'Ann');
    await until("Ann's remembered camera after the reload", () => ann.getByRole('combobox', { name: 'Camera' }).inputValue(), (value) => value === 'fake-second-camera');
    expect(await ann.getByRole('button', { name: 'Camera', exact: true }).getAttribute('aria-pressed')).toBe('false');
    expect(await ann.getByRole('button', { name: 'Microphone', exact: true }).getAttribute('aria-pressed')).toBe('false');
    await visible(ann.getByText('Camera is off'), "Ann's preview saying the camera is off");
  });

  it('the camera turned off before joining arrives as camera-off at the other page', async () => {
    const ann = await open();
    await toPrejoin(ann, bench.server.url, 'e2e-prejoin-off', 'Ann');
    await ann.getByRole('button', { name: 'Camera', exact: true }).click();
    await passPrejoin(ann, 'e2e-prejoin-off');
    const annId = await selfId(ann);
    const bob = await open();
    await joinAsGuest(bob, bench.server.url, 'e2e-prejoin-off', 'Bob');
    await visible(bob.locator(`.tile.camera-off:has(video[data-participant="${annId}"])`), "Ann's tile on Bob's page marked camera-off");
  });
});

describeWithChromium('the pre-join screen on the SFU', () => {
  describeWithJanus(
    'with a real Janus',
    (janus) => {
      const bench = useSfuBench(janus, { MEDIA_MODE: 'sfu' });

      it('the camera chosen before joining is what the SFU carries; one turned off arrives as camera-off', async () => {
        const ann = await bench.open();
        await addSecondCamera(ann);
        await toPrejoin(ann, bench.server.url, 'e2e-prejoin-sfu', 'Ann');
        await until("Ann's camera list to hold both cameras", () => cameraOptions(ann), (names) => names.includes(SECOND_CAMERA));
        await ann.getByRole('combobox', { name: 'Camera' }).selectOption({ label: SECOND_CAMERA });
        await passPrejoin(ann, 'e2e-prejoin-sfu');
        const cat = await bench.open();
        await toPrejoin(cat, bench.server.url, 'e2e-prejoin-sfu', 'Cat');
        await cat.getByRole('button', { name: 'Camera', exact: true }).click();
        await passPrejoin(cat, 'e2e-prejoin-sfu');
        const bob = await bench.open();
        await joinAsGuest(bob, bench.server.url, 'e2e-prejoin-sfu', 'Bob');
        expect(await mediaPath(bob)).toBe('sfu');
        const [annId, catId] = await Promise.all([selfId(ann), selfId(cat)]);
        await until("Bob to show Ann's red second camera over the SFU", () => videoRedness(bob, annId), (red) => red > 100);
        await visible(bob.locator(`.tile.camera-off:has(video[data-participant="${catId}"])`), "Cat's tile on Bob's page marked camera-off");
      }, 120_000);
    },
    { webrtcEncryption: true },
  );
});
