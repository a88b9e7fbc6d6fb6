import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { api } from '../support/test-server';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { remoteVideos, type RemoteVideo } from './page';
import { until } from './wait';

describeWithChromium('an account in the web app: sign up, home, a meeting of ones own, sign out and in', () => {
  const bench = useServerAndChromium();
  const { open } = bench;

    const region = (page: Page, name: string) => page.getByRole('region', { name });

  it('Ann signs up, creates a meeting, a guest joins by its link, and her call shows in attendance and history', async () => {
    const ann = await open();
    await ann.goto(bench.server.url);
    await ann.getByRole('button', { name: 'Create an account' }).click();
    await ann.getByLabel('Name', { exact: true }).fill('Ann');
    await ann.getByLabel('Username').fill('ann');
    await ann.getByLabel('Password').fill('correct horse');
    await ann.getByRole('button', { name: 'Create account' }).click();
    await ann.getByRole('heading', { name: 'Hello, Ann' }).waitFor();

    await ann.getByLabel('Title (optional)').fill('Design review');
    await ann.getByRole('button', { name: 'Create meeting' }).click();
    const link = await ann.getByLabel('Meeting link').inputValue();
    expect(link).toMatch(new RegExp(`^${bench.server.url}/m/[a-z]{3}-[a-z]{4}-[a-z]{3}$`));
    const code = link.slice(link.lastIndexOf('/') + 1);
    const mine = region(ann, 'Your meetings');
    await mine.getByText('Design review').waitFor();
    expect(await mine.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining(code)]);
    await ann.screenshot({ path: join(ARTIFACTS, 'account-home.png'), fullPage: true });

    await region(ann, 'New meeting').getByRole('button', { name: 'Start', exact: true }).click();
    await ann.getByRole('button', { name: `Join meeting ${code}` }).click();
    await ann.getByRole('button', { name: 'Leave call' }).waitFor();
    expect(new URL(ann.url()).pathname).toBe(`/m/${code}`);

    const bob = await open();
    await bob.goto(link);
    expect(await bob.getByLabel('Meeting code').inputValue()).toBe(code);
    await bob.getByLabel('Your name').fill('Bob');
    await bob.getByRole('button', { name: 'Continue as guest' }).click();
    await bob.getByRole('button', { name: `Join meeting ${code}` }).click();
    await bob.getByRole('button', { name: 'Leave call' }).waitFor();

    const playing = (videos: Record<string, RemoteVideo>) => {
      const remote = Object.values(videos);
      return remote.length === 1 && remote.every((video) => video.framesDecoded > 0 && video.videoWidth > 0);
    };
    await until("Ann to decode guest Bob's video", () => remoteVideos(ann), playing);
    await until("Bob to decode Ann's video", () => remoteVideos(bob), playing);

    await ann.getByRole('button', { name: 'Leave call' }).click();
    await ann.getByRole('heading', { name: 'Hello, Ann' }).waitFor();
    await ann.getByRole('status').getByText('You left the call.').waitFor();
    expect(new URL(ann.url()).pathname).toBe('/');
    // The server records attendance as the leave reaches it, which may be after home first asks: ask again until then.
    const listed = async (name: string) => {
      await ann.getByRole('button', { name: 'Refresh lists' }).click();
      await until(`the ${name} list to finish loading (aria-busy false)`, async () => region(ann, name).getAttribute('aria-busy'), (busy) => busy === 'false');
      return region(ann, name).getByRole('listitem').allInnerTexts();
    };
    const attendance = await until("Ann's attendance to list the call she left", () => listed('Attendance'), (items) => items.length > 0);
    expect(attendance).toEqual([expect.stringMatching(new RegExp(`^${code}\\n+.* · \\d+ (s|min \\d+ s)$`))]);
    expect(await listed('History')).toEqual([expect.stringContaining(code)]);
    await ann.screenshot({ path: join(ARTIFACTS, 'account-home-after-call.png'), fullPage: true });

    await ann.reload();
    await ann.getByRole('heading', { name: 'Hello, Ann' }).waitFor();
    await ann.getByRole('button', { name: 'Sign out' }).click();
    await ann.getByRole('heading', { name: 'Sign in' }).waitFor();
    await ann.getByText('You signed out.').waitFor();
    await ann.reload();
    await ann.getByRole('heading', { name: 'Sign in' }).waitFor();

    await ann.getByLabel('Username').fill('ann');
    await ann.getByLabel('Password').fill('wrong horse');
    await ann.getByRole('button', { name: 'Sign in', exact: true }).click();
    await ann.getByRole('alert').getByText('Invalid username or password').waitFor();
    await ann.screenshot({ path: join(ARTIFACTS, 'account-sign-in.png'), fullPage: true });

    await ann.getByLabel('Password').fill('correct horse');
    await ann.getByRole('button', { name: 'Sign in', exact: true }).click();
    await ann.getByRole('heading', { name: 'Hello, Ann' }).waitFor();
    await region(ann, 'Your meetings').getByText('Design review').waitFor();
  });

  it('sign-up shows a field\'s problem beside it; a meeting link opened signed in offers to join; a session ended elsewhere sends the page to sign in', async () => {
    const cat = await open();
    await cat.goto(bench.server.url);
    await cat.getByRole('button', { name: 'Create an account' }).click();
    await cat.getByLabel('Name', { exact: true }).fill('Cat');
    await cat.getByLabel('Username').fill('cat');
    await cat.getByLabel('Password').fill('short');
    await cat.getByRole('button', { name: 'Create account' }).click();
    await cat.getByText('Use at least 8 characters.').waitFor();
    // The field's own problem sits next to it, once, in the label's unit, and is what the field's description reads.
    const password = cat.getByLabel('Password');
    expect(await cat.getByLabel('Password (8 to 72 characters)').count()).toBe(1);
    expect([await password.getAttribute('aria-invalid'), await password.evaluate((input) => input.getAttribute('aria-describedby'))]).toEqual(['true', 'signup-password-error']);
    expect(await cat.locator('#signup-password-error').innerText()).toBe('Use at least 8 characters.');
    expect(await cat.getByText('least 8').count()).toBe(1);
    await password.fill('password123');
    await cat.getByRole('button', { name: 'Create account' }).click();
    await cat.getByRole('heading', { name: 'Hello, Cat' }).waitFor();

    await cat.goto(`${bench.server.url}/m/team-sync`);
    await cat.getByRole('button', { name: 'Join meeting team-sync' }).click();
    await cat.getByRole('button', { name: 'Leave call' }).waitFor();
    await cat.getByRole('button', { name: 'Leave call' }).click();
    await cat.getByRole('heading', { name: 'Hello, Cat' }).waitFor();

    const stored = await cat.evaluate(() => localStorage.getItem('meet-session'));
    const { token } = JSON.parse(stored ?? '{}') as { token?: string };
    expect((await api(bench.server.url, 'POST', '/api/v1/users/logout', { token })).status).toBe(204);
    await cat.getByRole('button', { name: 'Refresh lists' }).click();
    await cat.getByText('Your session ended; sign in again.').waitFor();
    await cat.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await cat.evaluate(() => localStorage.getItem('meet-session'))).toBeNull();
  });
});
