import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server';

/** Debian's Chromium (`apt-get install chromium`): Playwright's own browser downloads do not work here. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'e2e-artifacts');

/**
 * `sfu`: pages talk WebRTC to a Janus on this machine. Chromium then offers its loopback address too, and its real
 * host addresses rather than mDNS names (which the test Janus, `ignore_mdns`, would not resolve).
 */
export function launchChromium(options: { sfu?: boolean } = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const sfu = options.sfu ? ['--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'] : [];
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // A synthetic camera (a moving pattern) and microphone (a beep), granted without a prompt.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // Remote videos play without a click, as they would after the user's click on "Continue as guest".
      '--autoplay-policy=no-user-gesture-required',
      ...sfu,
    ],
  });
}

/** Like describeWithRedis: without Chromium the suite skips with one line, or fails with REQUIRE_CHROMIUM=1. */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} is not installed (apt-get install chromium)`;
  if (process.env.REQUIRE_CHROMIUM === '1') {
    describe(name, () => {
      it('finds Chromium (REQUIRE_CHROMIUM=1)', () => {
        throw new Error(`${reason} and REQUIRE_CHROMIUM=1`);
      });
    });
    return;
  }
  process.stderr.write(`${name}: skipped: ${reason}\n`);
  describe(name, () => it.skip(`skipped: ${reason}`, () => {}));
}

/** Pages in contexts of their own (own storage, as another person's browser), closed after each test. */
export interface PageOpener {
  /** 360×740 unless told; `bypassCSP` lets a test inject a script (the accessibility engine) past the page's policy. */
  readonly open: (viewport?: { width: number; height: number }, options?: { bypassCSP?: boolean }) => Promise<Page>;
}

export interface BrowserBench extends PageOpener {
  readonly server: TestServer;
}

/** How a block's Chromium and its pages are: for an SFU, the default viewport, what is done to each page first. */
export interface ChromiumOptions {
  sfu?: boolean;
  viewport?: { width: number; height: number };
  /** Done to each page before it loads anything (an init script). */
  prepare?: (page: Page) => Promise<void>;
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} has not started (use it inside a test)`);
  return value;
}

/** One Chromium for the describe block it is called in. */
export function useChromium(options: ChromiumOptions = {}): PageOpener {
  let browser: Browser | undefined;
  const opened: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium({ sfu: options.sfu });
  });
  // A page left open stays in its call, encoding and decoding video: on two cores it starved the next test's pages.
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    // 360 px wide by default: the narrowest screen the app is meant to be readable on.
    open: async (viewport = options.viewport ?? { width: 360, height: 740 }, contextOptions = {}) => {
      const context = await started(browser, 'Chromium').newContext({ viewport, ...contextOptions });
      opened.push(context);
      const page = await context.newPage();
      await options.prepare?.(page);
      return page;
    },
  };
}

/** One real server (its settings read when it starts) and one Chromium for the describe block it is called in. */
export function useServerAndChromium(options: ChromiumOptions & { env?: () => Record<string, string> } = {}): BrowserBench {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options.env?.());
  });
  afterAll(async () => {
    await server?.destroy();
  });
  const chromium = useChromium(options);
  return {
    get server() {
      return started(server, 'The test server');
    },
    open: chromium.open,
  };
}
