import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { scrollsSideways, unnamedControls, unreachableByTab } from './a11y';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { joinAsGuest, joinWithAccount, selfId } from './page';

describeWithChromium('every screen of the web app at 360 px: named controls, all reachable by keyboard, no sideways scroll', () => {
  const bench = useServerAndChromium();
  const { open } = bench;

  const check = async (page: Page, screen: string) => {
    expect({ screen, unnamed: await unnamedControls(page) }).toEqual({ screen, unnamed: [] });
    expect({ screen, sideways: await scrollsSideways(page) }).toEqual({ screen, sideways: false });
    expect({ screen, unreachable: await unreachableByTab(page) }).toEqual({ screen, unreachable: [] });
  };

  it('the sign-in, sign-up and guest screens, the home screen, and a call with the host controls and the lobby', async () => {
    const visitor = await open();
    await visitor.goto(`${bench.server.url}/`);
    await visitor.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await check(visitor, 'sign in');
    await visitor.getByRole('button', { name: 'Create an account' }).click();
    await check(visitor, 'sign up');
    await visitor.goto(`${bench.server.url}/m/e2e-a11y`);
    await visitor.getByRole('button', { name: 'Continue as guest' }).waitFor();
    await check(visitor, 'guest');

    const host = await open();
    await joinWithAccount(host, bench.server.url, 'e2e-a11y', 'hedy', 'Hedy');
    await host.getByRole('button', { name: 'Leave call' }).click();
    await host.getByRole('button', { name: 'Sign out' }).waitFor();
    await check(host, 'home');

    await host.goto(`${bench.server.url}/m/e2e-a11y`);
    await host.getByRole('combobox', { name: 'Camera' }).waitFor();
    await check(host, 'pre-join');
    await host.getByRole('button', { name: 'Join meeting e2e-a11y' }).click();
    await joinAsGuest(visitor, bench.server.url, 'e2e-a11y', 'Vic');
    await host.getByRole('button', { name: 'Remove Vic' }).waitFor();
    await host.getByRole('checkbox', { name: 'Lobby' }).check();
    const waiter = await open();
    await waiter.goto(`${bench.server.url}/m/e2e-a11y`);
    await waiter.getByLabel('Your name').fill('Wes');
    await waiter.getByRole('button', { name: 'Continue as guest' }).click();
    await waiter.getByRole('button', { name: 'Join meeting e2e-a11y' }).click();
    await host.getByRole('button', { name: 'Admit Wes' }).waitFor();
    await selfId(host);
    await check(host, 'call, as host, with someone in the lobby');
    await host.screenshot({ path: join(ARTIFACTS, 'accessibility-host.png'), fullPage: true });
    await check(waiter, 'lobby waiting');
    await waiter.screenshot({ path: join(ARTIFACTS, 'accessibility-waiting.png'), fullPage: true });
  });
});
