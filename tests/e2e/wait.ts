import type { Locator } from 'playwright-core';

/** How long a wait gives its signal unless told: a third of jest's 90 s, so a test's failure is a wait's, in words. */
export const WAIT_SECONDS = 30;

const POLL_MS = 250;

function shown(value: unknown): string {
  const text = value instanceof Error ? value.message : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/** `promise`, or a rejection once `ms` have passed: a page that stops answering does not outlast the deadline. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Polls `read` until `accept` holds and returns the value that did; after `seconds` it fails with what it waited for
 * and the last value read, e.g. "waited 30 s for Bob to decode Ann's video; last value: {…}".
 */
export async function until<T, S extends T>(what: string, read: () => Promise<T>, accept: (value: T) => value is S, seconds?: number): Promise<S>;
export async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, seconds?: number): Promise<T>;
export async function until<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, seconds = WAIT_SECONDS): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last = 'none (no reading finished)';
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`waited ${seconds} s for ${what}; last value: ${last}`);
    const value = await within(read(), left, `waited ${seconds} s for ${what}; the last reading never answered (before it: ${last})`);
    if (accept(value)) return value;
    last = shown(value);
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}

/** Waits for `locator` to be visible; a failure says what it waited for and what the page showed instead. */
export async function visible(locator: Locator, what: string, seconds = WAIT_SECONDS): Promise<void> {
  try {
    await locator.waitFor({ timeout: seconds * 1000 });
  } catch (failure) {
    const page = await locator.page().evaluate(() => document.body.innerText).catch((error: unknown) => `(unreadable: ${shown(error)})`);
    throw new Error(`waited ${seconds} s for ${what}; the page showed: ${shown(page.replace(/\s+/g, ' '))}`, { cause: failure });
  }
}
