import type { Page } from 'playwright-core';

/**
 * The visible controls of the page (buttons, inputs, links, checkboxes) that have no accessible name: no text, no
 * aria-label, no <label>. Each is described by its tag and outer HTML's start so a failure says which.
 */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (element: HTMLElement): boolean => {
      const label = element.getAttribute('aria-label') ?? '';
      const labelledBy = (element.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join('');
      const labels = element instanceof HTMLInputElement ? [...(element.labels ?? [])].map((l) => l.textContent ?? '').join('') : '';
      const text = element instanceof HTMLInputElement ? '' : (element.textContent ?? '');
      return [label, labelledBy, labels, text].some((name) => name.trim() !== '');
    };
    return [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')]
      .filter((element) => element.offsetParent !== null && element.getAttribute('type') !== 'hidden')
      .filter((element) => !named(element))
      .map((element) => element.outerHTML.slice(0, 120));
  });
}

/**
 * The visible controls Tab never reaches, starting from the top of the page: Tab is pressed until focus comes back
 * round to the first control it reached (one whole cycle), at most 200 times.
 */
export async function unreachableByTab(page: Page): Promise<string[]> {
  interface Tabbing {
    reached: Set<Element>;
    first: Element | null;
    round: boolean;
  }
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    const tabbing: Tabbing = { reached: new Set<Element>(), first: null, round: false };
    Object.assign(window, { tabbing });
    document.addEventListener('focusin', (event) => {
      if (!(event.target instanceof Element)) return;
      tabbing.first ??= event.target;
      tabbing.round ||= tabbing.reached.has(event.target) && event.target === tabbing.first;
      tabbing.reached.add(event.target);
    });
  });
  for (let press = 0; press < 200; press++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => (window as unknown as { tabbing: Tabbing }).tabbing.round)) break;
  }
  return page.evaluate(() => {
    const { reached } = (window as unknown as { tabbing: Tabbing }).tabbing;
    return [...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]')]
      .filter((element) => element.offsetParent !== null && !reached.has(element))
      .map((element) => element.outerHTML.slice(0, 120));
  });
}

/** True when the page is wider than its viewport: something forces a sideways scroll at this width. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
