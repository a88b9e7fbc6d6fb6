// The page's window.__meet debug handle, typed where the web app declares it.
import type {} from '../../src/web/call';
import type { Page } from 'playwright-core';

/** What one page sees of a remote participant's video: frames decoded over WebRTC and the <video>'s size. */
export interface RemoteVideo {
  framesDecoded: number;
  videoWidth: number;
}

export async function joinAsGuest(page: Page, base: string, code: string, name: string): Promise<void> {
  await page.goto(`${base}/m/${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue as guest' }).click();
  await page.getByRole('button', { name: 'Leave call' }).waitFor();
}

/** Per remote participant id, read in the page through its window.__meet debug handle. */
export function remoteVideos(page: Page): Promise<Record<string, RemoteVideo>> {
  return page.evaluate(async () => {
    const result: Record<string, { framesDecoded: number; videoWidth: number }> = {};
    const peers = window.__meet?.peers ?? new Map<string, RTCPeerConnection>();
    for (const [id, pc] of peers) {
      let framesDecoded = 0;
      (await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') framesDecoded += report.framesDecoded ?? 0;
      });
      const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
      result[id] = { framesDecoded, videoWidth: video?.videoWidth ?? 0 };
    }
    return result;
  });
}

/** Polls until `accept` holds (jest's timeout bounds the wait); returns the value that satisfied it. */
export async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
