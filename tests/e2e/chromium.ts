import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`): Playwright's own browser downloads do not work here. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'e2e-artifacts');

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      // A synthetic camera (a moving pattern) and microphone (a beep), granted without a prompt.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      // Remote videos play without a click, as they would after the user's click on "Continue as guest".
      '--autoplay-policy=no-user-gesture-required',
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
