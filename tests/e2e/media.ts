import type {} from '../../src/web/call';
import type { Page } from 'playwright-core';

/** Per remote participant: the energy of the audio this page received from them so far (getStats totalAudioEnergy). */
export function receivedAudioEnergy(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const result: Record<string, number> = {};
    for (const [id, pc] of window.__meet?.peers ?? new Map<string, RTCPeerConnection>()) {
      let energy = 0;
      (await pc.getStats()).forEach((report: { type: string; kind?: string; totalAudioEnergy?: number }) => {
        if (report.type === 'inbound-rtp' && report.kind === 'audio') energy += report.totalAudioEnergy ?? 0;
      });
      result[id] = energy;
    }
    return result;
  });
}

/** The mean brightness (0-255) of the frame a participant's <video> shows now, drawn onto a canvas. */
export function videoBrightness(page: Page, participantId: string): Promise<number> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`video[data-participant="${CSS.escape(id)}"]`);
    if (!video || video.videoWidth === 0) return -1;
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const context = canvas.getContext('2d');
    if (!context) return -1;
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) sum += ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0)) / 3;
    return sum / (data.length / 4);
  }, participantId);
}

/** How much a reading grows over `ms`: energy received, frames decoded. */
export async function growth(read: () => Promise<number>, ms: number): Promise<number> {
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await read()) - before;
}
