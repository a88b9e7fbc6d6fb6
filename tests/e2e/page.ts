// The page's window.__meet debug handle, typed where the web app declares it.
import type {} from '../../src/web/call';
import type { Page } from 'playwright-core';
import { api } from '../support/test-server';
import { until, visible } from './wait';

/** What one page sees of a remote participant's video: frames decoded over WebRTC, the <video>'s size, the link's state. */
export interface RemoteVideo {
  framesDecoded: number;
  videoWidth: number;
  connection: RTCPeerConnectionState;
}

/** Whose page it is, by the name it joined with: what a wait's failure calls it. */
const names = new WeakMap<Page, string>();

export function nameOf(page: Page): string {
  return names.get(page) ?? 'a page';
}

export async function joinAsGuest(page: Page, base: string, code: string, name: string): Promise<void> {
  names.set(page, name);
  await page.goto(`${base}/m/${code}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue as guest' }).click();
  await passPrejoin(page, code);
}

/** On the pre-join screen: Join once the camera and microphone are open, then the call screen. */
export async function passPrejoin(page: Page, code: string): Promise<void> {
  await page.getByRole('button', { name: `Join meeting ${code}` }).click();
  await visible(page.getByRole('button', { name: 'Leave call' }), `${nameOf(page)}'s call screen (Leave call) after the pre-join screen's Join`);
}

/** Per remote participant id, read in the page through its window.__meet debug handle. */
export function remoteVideos(page: Page): Promise<Record<string, RemoteVideo>> {
  return page.evaluate(async () => {
    const result: Record<string, { framesDecoded: number; videoWidth: number; connection: RTCPeerConnectionState }> = {};
    const peers = window.__meet?.peers ?? new Map<string, RTCPeerConnection>();
    for (const [id, pc] of peers) {
      let framesDecoded = 0;
      (await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'video') framesDecoded += report.framesDecoded ?? 0;
      });
      const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
      result[id] = { framesDecoded, videoWidth: video?.videoWidth ?? 0, connection: pc.connectionState };
    }
    return result;
  });
}

/**
 * Waits until `page` decodes video from exactly `count` remote participants, each <video> sized and each link's
 * frame count still going up (more than 10 frames past the first reading); returns their ids, sorted.
 */
export async function decodingFromAll(page: Page, count: number): Promise<string[]> {
  const who = nameOf(page);
  const first = await until(
    `${who} to decode video from ${count} others, each <video> sized`,
    () => remoteVideos(page),
    (videos) => {
      const remote = Object.values(videos);
      return remote.length === count && remote.every((video) => video.framesDecoded > 0 && video.videoWidth > 0);
    },
  );
  await until(
    `${who}'s frames decoded to rise by more than 10 on each link`,
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
/** Sends a chat message and waits for the server to take it (the field empties on its ack). */
export async function sendChat(page: Page, text: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'Message' });
  await field.fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
  await until(`${nameOf(page)}'s message "${text}" to be taken`, () => field.inputValue(), (value) => value === '');
}

/** Registers an account through the API (password `password123`), signs in on the page and joins `/m/<code>` with it. */
export async function joinWithAccount(page: Page, base: string, code: string, username: string, name: string): Promise<void> {
  names.set(page, name);
  await api(base, 'POST', '/api/v1/users/register', { json: { name, username, password: 'password123' } });
  await page.goto(`${base}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await visible(page.getByRole('button', { name: 'Sign out' }), `${name}'s home screen after signing in`);
  await page.goto(`${base}/m/${code}`);
  await passPrejoin(page, code);
}

/** The page's participant id, once its join has been answered (the call screen shows before the answer). */
export async function selfId(page: Page): Promise<string> {
  const read = () => page.evaluate(() => window.__meet?.selfId ?? null);
  return until(`${nameOf(page)}'s join to be answered (a participant id)`, read, (id): id is string => id !== null);
}
