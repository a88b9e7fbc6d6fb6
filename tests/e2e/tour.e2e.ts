import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { api } from '../support/test-server';
import { decodingFromAll, joinAsGuest, passPrejoin, selfId } from './page';
import { until, visible } from './wait';

const WIDE = { width: 1280, height: 720 };
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `tour-${name}.png`) });

/**
 * The screens docs/using-the-app.md shows, as someone hosting a meeting sees them: the pre-join check, the gallery,
 * speaker view, the host's menu for one person, and the call on a phone. Each step also checks what it shows.
 */
describeWithChromium('a tour of the meeting page (the pictures of docs/using-the-app.md)', () => {
  const bench = useServerAndChromium();

  it('pre-join, gallery, speaker view, host menu, and the call at 360 px', async () => {
    const base = bench.server.url;
    const code = 'team-standup';
    await api(base, 'POST', '/api/v1/users/register', { json: { name: 'Hana Ito', username: 'hana', password: 'password123' } });
    const hana = await bench.open(WIDE);
    await hana.goto(`${base}/`);
    await hana.getByLabel('Username').fill('hana');
    await hana.getByLabel('Password').fill('password123');
    await hana.getByRole('button', { name: 'Sign in', exact: true }).click();
    await visible(hana.getByRole('button', { name: 'Sign out' }), "Hana's home screen");
    await hana.goto(`${base}/m/${code}`);
    await visible(hana.getByRole('button', { name: `Join meeting ${code}` }), "Hana's pre-join screen");
    await until('the pre-join self view to play', () => hana.evaluate(() => document.querySelector('video')?.videoWidth ?? 0), (width) => width > 0);
    await shot(hana, 'prejoin');
    await passPrejoin(hana, code);

    const guests: Page[] = [];
    for (const name of ['Bob Silva', 'Cat Moreau', 'Dev Patel']) {
      const guest = await bench.open({ width: 480, height: 360 });
      await joinAsGuest(guest, base, code, name);
      guests.push(guest);
    }
    const [bob, cat, dev] = guests;
    if (!bob || !cat || !dev) throw new Error('three guests');
    await cat.getByRole('button', { name: 'Camera' }).click();
    await dev.getByRole('button', { name: 'Raise hand' }).click();
    await decodingFromAll(hana, 3);
    await hana.getByRole('figure', { name: 'Video of Cat Moreau (guest)' }).getByText('camera off').waitFor();
    await hana.getByRole('textbox', { name: 'Message' }).fill('Agenda: https://example.org/standup');
    await hana.getByRole('button', { name: 'Send' }).click();
    await shot(hana, 'gallery');

    // Speaker view: only Bob's microphone stays on, so his (Chromium's beeping fake) microphone makes him the speaker.
    for (const page of [cat, dev, hana]) await page.getByRole('button', { name: 'Microphone' }).click();
    await hana.getByRole('button', { name: 'Speaker view' }).click();
    const bobId = await selfId(bob);
    await until("Bob as the large tile on Hana's page", () => hana.evaluate(() => window.__meet?.large ?? null), (large) => large === bobId, 60);
    await shot(hana, 'speaker');

    await hana.getByRole('button', { name: 'Speaker view' }).click();
    await hana.getByRole('button', { name: 'Host actions for Bob Silva' }).click();
    await hana.getByRole('menuitem', { name: 'Mute Bob Silva' }).waitFor();
    await shot(hana, 'host-menu');
    await hana.keyboard.press('Escape');

    await hana.setViewportSize({ width: 360, height: 740 });
    await visible(hana.getByRole('button', { name: 'Leave call' }), 'the Leave button at 360 px');
    await shot(hana, 'phone');
  }, 240_000);
});
