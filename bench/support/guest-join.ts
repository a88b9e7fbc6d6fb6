import type { Page } from 'playwright-core';

/**
 * Joins `/m/<code>` as a guest the way a person does (and tests/e2e/page.ts's joinAsGuest): the name, "Continue as
 * guest", the pre-join screen's Join, then the call screen's "Leave call" button. Waits at most `seconds`; a failure says what the page showed.
 */
export async function joinAsGuest(page: Page, base: string, code: string, name: string, seconds = 30): Promise<void> {
  await page.goto(`${base}/m/${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue as guest' }).click();
  try {
    await page.getByRole('button', { name: `Join meeting ${code}` }).click({ timeout: seconds * 1000 });
    await page.getByRole('button', { name: 'Leave call' }).waitFor({ timeout: seconds * 1000 });
  } catch (error) {
    throw new Error(`${name} never reached the call screen within ${seconds} s; the page showed: ${await pageText(page)}`, { cause: error });
  }
}

/** The page's visible text on one line (at most 400 characters), for a failure's message. */
export async function pageText(page: Page): Promise<string> {
  const text = await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText).catch((error: unknown) => `(unreadable: ${String(error)})`);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
