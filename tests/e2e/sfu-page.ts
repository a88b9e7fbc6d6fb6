// The page's window.__meet debug handle, typed where the web app declares it.
import type {} from '../../src/web/call';
import type { Page } from 'playwright-core';
import { nameOf } from './page';
import { until } from './wait';

declare global {
  interface Window {
    /** The page's RTCPeerConnections not closed yet (countConnections). */
    __livePeerConnections?: Set<RTCPeerConnection>;
    /** The names of the server events the page's socket received (recordEvents). */
    __serverEvents?: string[];
  }
}

/**
 * Before any of the page's scripts: RTCPeerConnection is wrapped so that the page's live connections (made and not
 * closed, by the page or by failure) can be counted.
 */
export async function countConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const live = new Set<RTCPeerConnection>();
    window.__livePeerConnections = live;
    class Counted extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        live.add(this);
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'closed') live.delete(this);
        });
      }

      override close(): void {
        live.delete(this);
        super.close();
      }
    }
    window.RTCPeerConnection = Counted;
  });
}

export function liveConnections(page: Page): Promise<number> {
  return page.evaluate(() => window.__livePeerConnections?.size ?? -1);
}

/** From now on, the page keeps the name of each server event its socket receives. */
export async function recordEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const events: string[] = [];
    window.__serverEvents = events;
    window.__meet?.socket?.onAny((event: string) => events.push(event));
  });
}

export function serverEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__serverEvents ?? []);
}

export function mediaPath(page: Page): Promise<string | null> {
  return page.evaluate(() => window.__meet?.path ?? null);
}

/** Per participant the page's SFU subscription receives: how its media grew over `ms` on one subscription. */
export interface SfuGrowth {
  frames: number;
  energy: number;
  videoWidth: number;
}

/**
 * Reads the subscription's inbound streams (getStats, by media id and so by participant), waits `ms` in the page,
 * reads again; a subscription replaced meanwhile counts as no growth (its counters start again from zero).
 */
export function sfuGrowth(page: Page, ms: number): Promise<Record<string, SfuGrowth>> {
  return page.evaluate(async (window_ms) => {
    const meet = window.__meet;
    const subscriber = meet?.sfu.subscriber ?? null;
    const owners = new Map((meet?.sfu.streams ?? []).map((stream) => [stream.mid, stream.participantId]));
    const read = async () => {
      const totals = new Map<string, { frames: number; energy: number }>();
      if (!subscriber) return totals;
      (await subscriber.getStats()).forEach((report: { type: string; kind?: string; mid?: string; framesDecoded?: number; totalAudioEnergy?: number }) => {
        if (report.type !== 'inbound-rtp' || report.mid === undefined) return;
        const owner = owners.get(report.mid);
        if (owner === undefined) return;
        const total = totals.get(owner) ?? { frames: 0, energy: 0 };
        total.frames += report.framesDecoded ?? 0;
        total.energy += report.totalAudioEnergy ?? 0;
        totals.set(owner, total);
      });
      return totals;
    };
    const before = await read();
    await new Promise((resolve) => setTimeout(resolve, window_ms));
    const after = await read();
    const same = meet?.sfu.subscriber === subscriber;
    const result: Record<string, { frames: number; energy: number; videoWidth: number }> = {};
    for (const [id, total] of after) {
      const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
      const start = before.get(id) ?? { frames: 0, energy: 0 };
      result[id] = same ? { frames: total.frames - start.frames, energy: total.energy - start.energy, videoWidth: video?.videoWidth ?? 0 } : { frames: 0, energy: 0, videoWidth: 0 };
    }
    return result;
  }, ms);
}

/** Waits until the page decodes, over the SFU, more than 10 new frames in 1.5 s from each of `ids`, each <video> sized. */
export async function decodingOverSfu(page: Page, ids: string[], seconds = 60): Promise<void> {
  await until(
    `${nameOf(page)} to decode over the SFU each of ${ids.length} others (frames rising, <video> sized)`,
    () => sfuGrowth(page, 1500),
    (growth) => ids.every((id) => (growth[id]?.frames ?? 0) > 10 && (growth[id]?.videoWidth ?? 0) > 0),
    seconds,
  );
}
