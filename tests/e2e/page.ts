// The page's window.__meet debug handle, typed where the web app declares it.
import type {} from '../../src/web/call';
import type { Page } from 'playwright-core';
import { api } from '../support/test-server';

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

/**
 * Waits until `page` decodes video from exactly `count` remote participants, each <video> sized and each link's
 * frame count still going up (more than 10 frames past the first reading); returns their ids, sorted.
 */
export async function decodingFromAll(page: Page, count: number): Promise<string[]> {
  const first = await until(
    () => remoteVideos(page),
    (videos) => {
      const remote = Object.values(videos);
      return remote.length === count && remote.every((video) => video.framesDecoded > 0 && video.videoWidth > 0);
    },
  );
  await until(
    () => remoteVideos(page),
    (videos) => Object.entries(first).every(([id, before]) => (videos[id]?.framesDecoded ?? 0) > before.framesDecoded + 10),
  );
  return Object.keys(first).sort();
}

/** The ICE candidate types (host, srflx, prflx, relay) of the pair a link has selected. */
export interface SelectedPair {
  local: string;
  remote: string;
  /** For a local relay candidate: how it reaches its TURN server (udp, tcp, tls) and that server's URL. */
  relayProtocol?: string;
  url?: string;
}

/** Per remote participant id, the selected candidate pair (getStats: transport → candidate-pair → candidates), or null before one is. */
export function selectedCandidateTypes(page: Page): Promise<Record<string, SelectedPair | null>> {
  return page.evaluate(async () => {
    interface Stat {
      type: string;
      selectedCandidatePairId?: string;
      localCandidateId?: string;
      remoteCandidateId?: string;
      candidateType?: string;
      relayProtocol?: string;
      url?: string;
    }
    const result: Record<string, { local: string; remote: string; relayProtocol?: string; url?: string } | null> = {};
    const peers = window.__meet?.peers ?? new Map<string, RTCPeerConnection>();
    for (const [id, pc] of peers) {
      const stats = new Map<string, Stat>();
      (await pc.getStats()).forEach((report: Stat & { id: string }) => stats.set(report.id, report));
      const transport = [...stats.values()].find((report) => report.type === 'transport' && report.selectedCandidatePairId);
      const pair = stats.get(transport?.selectedCandidatePairId ?? '');
      const local = stats.get(pair?.localCandidateId ?? '');
      const remote = stats.get(pair?.remoteCandidateId ?? '');
      if (!local?.candidateType || !remote?.candidateType) {
        result[id] = null;
        continue;
      }
      const { relayProtocol, url } = local;
      result[id] = { local: local.candidateType, remote: remote.candidateType, ...(relayProtocol ? { relayProtocol } : {}), ...(url ? { url } : {}) };
    }
    return result;
  });
}

/** Sends a chat message through the call screen's form. */
export async function sendChat(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** Registers an account through the API (password `password123`), signs in on the page and joins `/m/<code>` with it. */
export async function joinWithAccount(page: Page, base: string, code: string, username: string, name: string): Promise<void> {
  await api(base, 'POST', '/api/v1/users/register', { json: { name, username, password: 'password123' } });
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`${base}/m/${code}`);
  await page.getByRole('button', { name: `Join meeting ${code}` }).click();
  await page.getByRole('button', { name: 'Leave call' }).waitFor();
}

/** The page's participant id, once its join has been answered (the call screen shows before the answer). */
export async function selfId(page: Page): Promise<string> {
  const handle = await page.waitForFunction(() => window.__meet?.selfId);
  const id = await handle.jsonValue();
  if (typeof id !== 'string') throw new Error('no participant id');
  return id;
}
