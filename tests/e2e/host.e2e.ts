import { join } from 'node:path';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { growth, receivedAudioEnergy } from './media';
import { joinAsGuest, joinWithAccount, remoteVideos, type RemoteVideo, selfId } from './page';
import { until } from './wait';

const decodes = (id: string) => (videos: Record<string, RemoteVideo>) => (videos[id]?.framesDecoded ?? 0) > 0 && (videos[id]?.videoWidth ?? 0) > 0;

describeWithChromium('the participant list and host controls in the web app', () => {
  const bench = useServerAndChromium();
  const { open } = bench;

  it('a call of guests has no host; the first signed-in joiner hosts it, and a ban removes Bob, keeps him out and drops his video', async () => {
    const bob = await open();
    await joinAsGuest(bob, bench.server.url, 'e2e-host-ban', 'Bob');
    const bobsList = bob.getByRole('list', { name: 'Participants' });
    await bobsList.getByText('Bob (guest) (you)').waitFor();

    const hana = await open();
    await joinWithAccount(hana, bench.server.url, 'e2e-host-ban', 'hana', 'Hana');
    const people = hana.getByRole('list', { name: 'Participants' });
    const hanaSelf = people.getByRole('listitem').filter({ hasText: 'Hana (you)' });
    await hanaSelf.getByText('Host', { exact: true }).waitFor();
    // Bob, a member, sees Hana as host and has no host controls.
    await bobsList.getByRole('listitem').filter({ hasText: 'Hana' }).getByText('Host', { exact: true }).waitFor();
    expect(await bob.getByRole('checkbox', { name: 'Lock call' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: 'Host actions for Hana' }).count()).toBe(0);
    // A guest cannot be made host (the server refuses), so Hana's menu for Bob does not offer it.
    const bobsMenu = hana.getByRole('button', { name: 'Host actions for Bob' });
    await bobsMenu.click();
    await hana.getByRole('menuitem', { name: 'Remove Bob' }).waitFor();
    expect(await hana.getByRole('menuitem', { name: 'Make Bob host' }).count()).toBe(0);
    // Escape closes the menu and gives focus back to its button.
    await hana.keyboard.press('Escape');
    expect(await hana.getByRole('menu').count()).toBe(0);
    expect(await hana.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Host actions for Bob');

    const bobId = await selfId(bob);
    await until("Hana to decode Bob's video", () => remoteVideos(hana), decodes(bobId));
    await hana.screenshot({ path: join(ARTIFACTS, 'host-participants.png'), fullPage: true });

    // The host mutes Bob: his page turns its microphone off and says why; Hana hears nothing more from him.
    const energyFromBob = async () => (await receivedAudioEnergy(hana))[bobId] ?? 0;
    const whileOn = await until("Bob's audio energy to grow on Hana's page", () => growth(energyFromBob, 2500), (grown) => grown > 0);
    await bobsMenu.click();
    await hana.getByRole('menuitem', { name: 'Mute Bob' }).click();
    await bob.getByRole('status').getByText('The host turned off your microphone.').waitFor();
    expect(await bob.getByRole('button', { name: 'Microphone' }).getAttribute('aria-pressed')).toBe('false');
    await hana.getByRole('figure', { name: 'Video of Bob (guest)' }).getByText('microphone off').waitFor();
    await until("Bob's audio on Hana's page to fall silent (under 1/1000 of what 2.5 s brought while on)", () => growth(energyFromBob, 2500), (grown) => grown < whileOn / 1000, 15);

    // By keyboard: the two-step ban keeps focus on its button while it asks for confirmation.
    await bobsMenu.focus();
    await hana.keyboard.press('Enter');
    await hana.getByRole('menuitem', { name: 'Ban Bob' }).focus();
    await hana.keyboard.press('Enter');
    expect(await hana.evaluate(() => document.activeElement?.textContent)).toBe('Confirm ban of Bob');
    await hana.keyboard.press('Enter');

    await bob.getByRole('status').getByText('The host removed you from the call and banned you from rejoining it.').waitFor();
    await until("Hana's page to drop its peer connection to banned Bob", () => remoteVideos(hana), (videos) => !(bobId in videos));
    expect(await hana.locator(`video[data-participant="${bobId}"]`).count()).toBe(0);
    await until("Bob's row to leave Hana's participant list", () => people.getByRole('listitem').filter({ hasText: 'Bob' }).count(), (rows) => rows === 0);
    // Bob's row is gone with the focused button; focus stays in the panel, on its heading.
    expect(await hana.evaluate(() => document.activeElement?.textContent)).toBe('Participants (1)');

    await bob.getByRole('button', { name: 'Continue as guest' }).click();
    await bob.getByRole('button', { name: 'Join meeting e2e-host-ban' }).click();
    await bob.getByRole('status').getByText('Could not join: You were removed from this call and cannot rejoin it').waitFor();
    expect(await people.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining('Hana (you)')]);
  });

  it('with the lobby on, Cat waits (and knocks again after a dropped connection) until the host admits her, then each page decodes the other one\'s video', async () => {
    const hugo = await open();
    await joinWithAccount(hugo, bench.server.url, 'e2e-host-lobby', 'hugo', 'Hugo');
    const lobbySwitch = hugo.getByRole('checkbox', { name: 'Lobby' });
    await lobbySwitch.check();
    // The server has answered once the switch is no longer busy; it shows what the server now says.
    await until("the server's answer to Hugo's Lobby switch (aria-busy gone)", () => lobbySwitch.getAttribute('aria-busy'), (busy) => busy === null);
    expect(await lobbySwitch.isChecked()).toBe(true);

    const cat = await open();
    await joinAsGuest(cat, bench.server.url, 'e2e-host-lobby', 'Cat');
    await cat.getByRole('status').getByText('Waiting for the host to let you in…').waitFor();
    const waiting = hugo.getByRole('list', { name: 'Waiting in the lobby' });
    await waiting.getByRole('listitem').filter({ hasText: 'Cat (guest)' }).waitFor();
    expect(await hugo.getByRole('list', { name: 'Participants' }).getByRole('listitem').count()).toBe(1);
    await hugo.screenshot({ path: join(ARTIFACTS, 'host-lobby.png'), fullPage: true });

    // Cat's connection drops while she waits: her page knocks again on the new one. The host is not told that the
    // first knock went (the server does not say), so it still lists it; admitting it answers that she is not waiting.
    await cat.evaluate(() => window.__meet?.socket?.io.engine.close());
    const catRows = waiting.getByRole('listitem').filter({ hasText: 'Cat (guest)' });
    await until("Cat's second knock (two rows for her in Hugo's lobby list)", () => catRows.count(), (rows) => rows === 2);
    await hugo.getByRole('button', { name: 'Admit Cat' }).first().click();
    await until("Cat's stale knock to leave Hugo's lobby list", () => catRows.count(), (rows) => rows === 1);
    await hugo.getByRole('status').getByText('That person is not waiting to join your call').waitFor();
    await hugo.getByRole('button', { name: 'Admit Cat' }).click();
    await waiting.waitFor({ state: 'detached' });
    const catId = await selfId(cat);
    const hugoId = await selfId(hugo);
    await hugo.getByRole('list', { name: 'Participants' }).getByText('Cat (guest)').waitFor();
    await until("admitted Cat to decode Hugo's video", () => remoteVideos(cat), decodes(hugoId));
    await until("Hugo to decode admitted Cat's video", () => remoteVideos(hugo), decodes(catId));
    await hugo.screenshot({ path: join(ARTIFACTS, 'host-admitted.png'), fullPage: true });

    // Admitted, she resumes like anyone after a drop: the same id, and the host's video of her goes on.
    await cat.evaluate(() => window.__meet?.socket?.io.engine.close());
    await until("Cat's socket to reconnect after the cut", () => cat.evaluate(() => window.__meet?.socket?.connected === true), Boolean);
    await until("Cat's 'Connection lost' banner to go once resumed", () => cat.getByRole('alert').isHidden(), Boolean);
    expect(await selfId(cat)).toBe(catId);
    const frames = async () => (await remoteVideos(hugo))[catId]?.framesDecoded ?? 0;
    const before = await frames();
    await until("Hugo's frames decoded from resumed Cat to rise by more than 10", frames, (now) => now > before + 10);
    expect(await hugo.getByRole('list', { name: 'Participants' }).getByRole('listitem').count()).toBe(2);
  });
});
