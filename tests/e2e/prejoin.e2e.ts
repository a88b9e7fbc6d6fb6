import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { addSecondCamera, SECOND_CAMERA } from './fake-devices';
import { joinAsGuest, passPrejoin, selfId } from './page';
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
