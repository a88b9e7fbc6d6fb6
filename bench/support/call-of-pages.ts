import type { Browser, Page } from 'playwright-core';
import { openTrackedPage } from './bench-chromium';
import { joinAsGuest, pageText } from './guest-join';
import { pageWindow, type PageWindow } from './page-window';
import { readPeerStats, type PageReading } from './peer-stats';
import { sleep } from './server-process';

/** `n` Chromium pages in one call: each in its own context, joined one after the other as guests P1…Pn. */
export interface CallOfPages {
  pages: Page[];
  read(): Promise<PageReading[]>;
  close(): Promise<void>;
}

export async function openCall(browser: Browser, base: string, code: string, n: number): Promise<CallOfPages> {
  const pages: Page[] = [];
  const close = async () => {
    await Promise.all(pages.map((page) => page.context().close()));
  };
  try {
    for (let i = 1; i <= n; i += 1) {
      const page = await openTrackedPage(browser);
      pages.push(page);
      await joinAsGuest(page, base, code, `P${i}`);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { pages, read: () => Promise.all(pages.map((page, i) => within(page.evaluate(readPeerStats), READ_SECONDS, `P${i + 1}'s getStats`))), close };
}

/** How long one page's getStats() readings may take before the page counts as not answering. */
const READ_SECONDS = 30;

function within<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** How the wait for every page to decode every other one ended. */
export interface Decoding {
  /** Seconds from the last join until every page decoded n-1 remote videos in two readings in a row, or null if never. */
  seconds: number | null;
  /** The last window read: remote videos decoding per page. */
  last: PageWindow[];
  readings: PageReading[];
}

/**
 * Reads every page once a second until each decodes `others` remote videos (framesDecoded rising between two
 * readings), or `limitSeconds` pass.
 */
export async function untilEveryoneDecodes(call: CallOfPages, others: number, limitSeconds: number): Promise<Decoding> {
  const start = Date.now();
  let previous = await call.read();
  for (;;) {
    await sleep(1000);
    const readings = await call.read();
    const last = readings.map((reading, i) => pageWindow(previous[i]!, reading));
    const seconds = (Date.now() - start) / 1000;
    if (last.every((window) => window.decoding >= others)) return { seconds, last, readings };
    if (seconds > limitSeconds) return { seconds: null, last, readings };
    previous = readings;
  }
}

/** Which pages fall short of decoding `others` remote videos, and what the first of them shows: a failure's note. */
export async function shortfall(call: CallOfPages, windows: PageWindow[], readings: PageReading[], others: number): Promise<string> {
  const short = windows.flatMap((window, i) => (window.decoding < others ? [i] : []));
  if (short.length === 0) return '';
  const first = short[0]!;
  const reading = readings[first];
  const who = short.map((i) => `P${i + 1} ${windows[i]!.decoding}/${others}`).join(', ');
  const text = await pageText(call.pages[first]!);
  return `decoding: ${who}; P${first + 1}: ${reading?.open ?? 0} open connection(s) of ${reading?.made ?? 0} made, __meet.path=${reading?.path ?? 'unset'}, page says "${text}"`;
}
