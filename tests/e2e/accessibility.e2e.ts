import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { axeViolations, scrollsSideways } from './a11y';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { joinAsGuest, joinWithAccount, selfId } from './page';

describeWithChromium('every screen of the web app by axe-core (WCAG 2.1 AA), at 360 and 1280 px: no violation, no sideways scroll', () => {
  const bench = useServerAndChromium();

  it.each([
    { width: 360, height: 740 },
    { width: 1280, height: 800 },
  ])('sign in, sign up, guest, home, pre-join, the call as host (its menu open, a dialog open), and the lobby at $width px', async (viewport) => {
    const { width } = viewport;
    const code = `e2e-a11y-${width}`;
    const open = () => bench.open(viewport, { bypassCSP: true });
    const check = async (page: Page, screen: string, shot: string) => {
      await page.screenshot({ path: join(ARTIFACTS, `a11y-${shot}-${width}.png`), fullPage: true });
      expect({ screen, violations: await axeViolations(page) }).toEqual({ screen, violations: [] });
      expect({ screen, sideways: await scrollsSideways(page) }).toEqual({ screen, sideways: false });
    };

    const visitor = await open();
    await visitor.goto(`${bench.server.url}/`);
    await visitor.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await check(visitor, 'sign in', 'signin');
    await visitor.getByRole('button', { name: 'Create an account' }).click();
    await visitor.getByLabel('Name', { exact: true }).fill('Vic');
    await visitor.getByLabel('Username').fill(`vic${width}`);
    await visitor.getByLabel('Password').fill('short');
    await visitor.getByRole('button', { name: 'Create account' }).click();
    await visitor.getByText('Use at least 8 characters.').waitFor();
    await check(visitor, 'sign up, with a field error', 'signup');
    await visitor.goto(`${bench.server.url}/m/${code}`);
    await visitor.getByRole('button', { name: 'Continue as guest' }).waitFor();
    await check(visitor, 'guest', 'guest');

    const host = await open();
    await joinWithAccount(host, bench.server.url, code, `hedy${width}`, 'Hedy');
    await host.getByRole('button', { name: 'Leave call' }).click();
    await host.getByRole('button', { name: 'Sign out' }).waitFor();
    await check(host, 'home', 'home');

    await host.goto(`${bench.server.url}/m/${code}`);
    await host.getByRole('combobox', { name: 'Camera' }).waitFor();
    await check(host, 'pre-join', 'prejoin');
    await host.getByRole('button', { name: `Join meeting ${code}` }).click();
    await joinAsGuest(visitor, bench.server.url, code, 'Vic');
    await host.getByRole('checkbox', { name: 'Lobby' }).check();
    const waiter = await open();
    await waiter.goto(`${bench.server.url}/m/${code}`);
    await waiter.getByLabel('Your name').fill('Wes');
    await waiter.getByRole('button', { name: 'Continue as guest' }).click();
    await waiter.getByRole('button', { name: `Join meeting ${code}` }).click();
    await host.getByRole('button', { name: 'Admit Wes' }).waitFor();
    await selfId(host);
    await check(host, 'call, as host, with someone in the lobby', 'call-host');
    await check(waiter, 'lobby waiting', 'lobby');

    await host.getByRole('button', { name: 'Host actions for Vic' }).click();
    await host.getByRole('menuitem', { name: 'Mute Vic' }).waitFor();
    await check(host, 'call, host menu open', 'host-menu');
    await host.keyboard.press('Escape');
    expect(await host.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Host actions for Vic');

    await host.getByRole('button', { name: 'Meeting info' }).click();
    await host.getByRole('dialog').getByRole('button', { name: 'Copy invite link' }).waitFor();
    await check(host, 'call, meeting info dialog open', 'dialog');
  });
});
