import type { JanusUnderTest } from '../support/janus-server';
import { useChromium, useServerAndChromium, type BrowserBench, type ChromiumOptions, type PageOpener } from './chromium';
import { countConnections } from './sfu-page';

/** Pages that may talk WebRTC to a Janus on this machine, each page's connections counted (sfu-page.ts). */
const SFU_PAGES: ChromiumOptions = { sfu: true, viewport: { width: 640, height: 480 }, prepare: countConnections };

/** One Chromium whose pages talk to an SFU, for blocks that start their own servers. */
export function useSfuChromium(): PageOpener {
  return useChromium(SFU_PAGES);
}

/** One server on the block's Janus and one Chromium whose pages talk to it. */
export function useSfuBench(janus: JanusUnderTest, env: Record<string, string>): BrowserBench {
  return useServerAndChromium({ ...SFU_PAGES, env: () => ({ JANUS_URLS: janus.url(), ...env }) });
}
