import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, describeWithChromium, useServerAndChromium } from './chromium';
import { joinAsGuest, joinWithAccount, selfId, sendChat } from './page';
import { until, visible } from './wait';

/** What the page's status line (its live region) says, once it says `text`. */
const said = (page: Page, text: string, what: string) => visible(page.getByRole('status').getByText(text, { exact: true }), what);

describeWithChromium('notices, chat, reactions and shortcuts in the web app', () => {
  const bench = useServerAndChromium();
  const { open } = bench;

  it('the live region says who joined, raised a hand, was muted by the host, left, and knocked in the lobby', async () => {
    const hana = await open({ width: 1024, height: 768 });
    await joinWithAccount(hana, bench.server.url, 'e2e-notices', 'hanan', 'Hana');
    const bob = await open();
    await joinAsGuest(bob, bench.server.url, 'e2e-notices', 'Bob');
    await said(hana, 'Bob (guest) joined the call.', "Bob's join in Hana's live region");
    await visible(hana.locator('.toast').getByText('Bob (guest) joined the call.'), "Bob's join as a toast on Hana's page");
    await hana.screenshot({ path: join(ARTIFACTS, 'notices-join-toast.png') });

    await bob.getByRole('button', { name: 'Raise hand' }).click();
    await said(hana, 'Bob (guest) raised their hand.', "Bob's raised hand in Hana's live region");

    await hana.getByRole('button', { name: 'Host actions for Bob' }).click();
    await hana.getByRole('menuitem', { name: 'Mute Bob' }).click();
    await said(bob, 'The host turned off your microphone.', "the host's mute in Bob's live region");

    await bob.getByRole('button', { name: 'Leave call' }).click();
    await said(hana, 'Bob (guest) left the call.', "Bob's leaving in Hana's live region");

    const lobby = hana.getByRole('checkbox', { name: 'Lobby' });
    await lobby.check();
    await until("the server's answer to Hana's Lobby switch", () => lobby.getAttribute('aria-busy'), (busy) => busy === null);
    const cat = await open();
    await joinAsGuest(cat, bench.server.url, 'e2e-notices', 'Cat');
    await said(hana, 'Cat (guest) is waiting in the lobby.', "Cat's knock in Hana's live region");
  });

  it('chat counts unread messages while closed, makes only http(s) links, runs no markup; reactions reach both pages, vanish, and are rate-limited', async () => {
    const ann = await open({ width: 1024, height: 768 });
    const bob = await open();
    const dialogs: string[] = [];
    for (const page of [ann, bob]) page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await joinAsGuest(ann, bench.server.url, 'e2e-chat-panel', 'Ann');
    await joinAsGuest(bob, bench.server.url, 'e2e-chat-panel', 'Bob');
    const annId = await selfId(ann);
    await selfId(bob);
    await said(ann, 'Bob (guest) joined the call.', "Bob's join on Ann's page");

    // Closed, the chat's button counts what comes; opened, the count goes.
    await ann.getByRole('button', { name: 'Close chat' }).click();
    expect(await ann.getByRole('button', { name: 'Chat', exact: true }).getAttribute('aria-expanded')).toBe('false');
    await sendChat(bob, 'one');
    await sendChat(bob, 'two');
    await visible(ann.getByRole('button', { name: 'Chat 2 unread' }), 'an unread count of 2 on Ann\'s chat button');
    await ann.getByRole('button', { name: 'Chat 2 unread' }).click();
    await visible(ann.getByRole('button', { name: 'Chat', exact: true }), "Ann's chat button without a count once opened");
    expect(await ann.evaluate(() => document.activeElement?.id)).toBe('chat-text');

    await sendChat(bob, '<img src=x onerror=alert(1)>');
    await sendChat(bob, 'javascript:alert(1)');
    await sendChat(bob, 'see https://example.org');
    const log = ann.getByRole('list', { name: 'Chat messages' });
    await visible(log.getByText('see https://example.org'), "Bob's link message on Ann's page");
    await visible(log.getByText('<img src=x onerror=alert(1)>', { exact: true }), 'the markup as text');
    await visible(log.getByText('javascript:alert(1)', { exact: true }), 'the javascript: URL as text');
    expect(await log.locator('img').count()).toBe(0);
    const links = log.getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://example.org/');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    await ann.screenshot({ path: join(ARTIFACTS, 'chat-links.png') });

    // A reaction shows on the sender's tile on every page, from the server's event, and goes after a few seconds.
    await ann.getByRole('button', { name: 'Reactions' }).click();
    await ann.getByRole('button', { name: 'React 🎉' }).click();
    const mark = (page: Page) => page.locator(`figure:has(video[data-participant="${annId}"]) .reaction`).getByText('🎉');
    await visible(mark(ann), "the reaction on Ann's own tile");
    await visible(mark(bob), "Ann's reaction on her tile on Bob's page");
    await ann.screenshot({ path: join(ARTIFACTS, 'reaction.png') });
    await Promise.all([ann, bob].map((page) => mark(page).waitFor({ state: 'detached', timeout: 15_000 })));

    // Shortcuts: `?` opens their list, Escape closes it and focus returns; Ctrl+D turns the microphone off.
    await ann.locator('body').click({ position: { x: 5, y: 5 } });
    await ann.keyboard.press('?');
    const help = ann.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await visible(help, 'the shortcuts dialog after ?');
    await ann.screenshot({ path: join(ARTIFACTS, 'shortcuts-dialog.png') });
    await ann.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    await until('focus back on the Shortcuts button', () => ann.evaluate(() => document.activeElement?.textContent), (text) => text === 'Shortcuts');
    const mic = ann.getByRole('button', { name: 'Microphone' });
    const before = await mic.getAttribute('aria-pressed');
    await ann.keyboard.press('Control+D');
    await until("Ann's microphone button to change with Ctrl+D", () => mic.getAttribute('aria-pressed'), (now) => now !== before);
    const chat = ann.getByRole('button', { name: 'Chat', exact: true });
    await ann.keyboard.press('Control+Alt+KeyC');
    await until("Ann's chat to close with Ctrl+Alt+C", () => chat.getAttribute('aria-expanded'), (expanded) => expanded === 'false');
    await chat.click();

    // Meeting info: the code, and the invite link copied or shown to copy by hand.
    await ann.getByRole('button', { name: 'Meeting info' }).click();
    const info = ann.getByRole('dialog', { name: 'Meeting info' });
    await visible(info.getByText('e2e-chat-panel', { exact: true }), 'the code in the meeting info');
    await info.getByRole('button', { name: 'Copy invite link' }).click();
    await visible(info.getByText(/Invite link copied|copy the link from here/), 'the copy result in the meeting info');
    await ann.screenshot({ path: join(ARTIFACTS, 'meeting-info-dialog.png') });
    // Refused, the link is shown in a field to copy by hand.
    await ann.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    await info.getByRole('button', { name: 'Copy invite link' }).click();
    const field = info.getByRole('textbox', { name: /copy the link from here/ });
    await visible(field, 'the invite link to copy by hand once the clipboard refused');
    expect(await field.inputValue()).toBe(`${bench.server.url}/m/e2e-chat-panel`);
    await ann.keyboard.press('Escape');
    await info.waitFor({ state: 'hidden' });

    // A dropped connection: Bob's page says when it is back, and Ann's page that he is.
    await bob.evaluate(() => window.__meet?.socket?.io.engine.close());
    await said(bob, 'Connection restored.', "Bob's page back on a new connection");
    await said(ann, 'Bob (guest) is back.', "Bob's return in Ann's live region");

    // Too many reactions too fast: the server refuses the rest.
    const codes = await bob.evaluate(async () => {
      const socket = window.__meet?.socket;
      if (!socket) return [];
      const send = () => new Promise<string>((resolve) => socket.emit('reaction', '👍', (answer) => resolve(answer.ok ? 'ok' : answer.error.code)));
      return Promise.all(Array.from({ length: 30 }, send));
    });
    expect(codes).toContain('ok');
    expect(codes).toContain('RATE_LIMITED');
    expect(dialogs).toEqual([]);
  });
});
