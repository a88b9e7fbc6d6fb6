import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { JanusUnderTest } from '../support/janus-server';
import { startTestServer, type TestServer } from '../support/test-server';
import { launchChromium } from './chromium';
import { countConnections } from './sfu-page';

/** One server on the block's Janus and one Chromium that may talk WebRTC to it, for a describe block. */
export interface SfuBench {
  readonly server: TestServer;
  /** A page in a context of its own, its peer connections counted (sfu-page.ts); closed after the test. */
  readonly open: (viewport?: { width: number; height: number }) => Promise<Page>;
}

export function useSfuBench(janus: JanusUnderTest, env: Record<string, string>): SfuBench {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const opened: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startTestServer({ JANUS_URLS: janus.url(), ...env });
    browser = await launchChromium({ sfu: true });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.destroy();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} has not started (use it inside a test)`);
    return value;
  };
  return {
    get server() {
      return started(server, 'The test server');
    },
    open: async (viewport = { width: 640, height: 480 }) => {
      const context = await started(browser, 'Chromium').newContext({ viewport });
      opened.push(context);
      const page = await context.newPage();
      await countConnections(page);
      return page;
    },
  };
}
