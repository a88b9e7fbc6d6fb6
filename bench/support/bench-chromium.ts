import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { trackPeerConnections } from './peer-stats';

/** Debian's Chromium (`apt-get install chromium`), driven by playwright-core: no browser download. */
export const CHROMIUM = '/usr/bin/chromium';

export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium)`;
}

/** Headless, a synthetic camera and microphone granted without a prompt, loopback ICE allowed, no mDNS names. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export function launchBenchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** A page in a context of its own (another person's browser), its peer connections kept for getStats (peer-stats.ts). */
export async function openTrackedPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 640, height: 480 } });
  await context.addInitScript(trackPeerConnections);
  return context.newPage();
}
