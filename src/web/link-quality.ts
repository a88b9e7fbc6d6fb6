/** What getStats says of one participant's media, over the last sample. */
export interface LinkNumbers {
  /** Round-trip time, ms; null when the connection has not measured it. */
  rttMs: number | null;
  /** Packets lost over the sample, percent of those expected. */
  lossPercent: number;
  /** Video frames per second decoded; null without video (a camera off). */
  fps: number | null;
}

export type LinkQuality = 'good' | 'fair' | 'poor';

/** The worst of round-trip time, loss and frame rate decides: each has a fair and a poor bound. */
export function linkQuality({ rttMs, lossPercent, fps }: LinkNumbers): LinkQuality {
  const rtt = rttMs ?? 0;
  if (rtt > 400 || lossPercent > 8 || (fps !== null && fps < 8)) return 'poor';
  if (rtt > 150 || lossPercent > 2 || (fps !== null && fps < 18)) return 'fair';
  return 'good';
}

/** The numbers in words, for the mark's hover and focus text. */
export function linkWords(quality: LinkQuality, { rttMs, lossPercent, fps }: LinkNumbers): string {
  const parts = [`Connection ${quality}`, rttMs === null ? 'round trip unknown' : `round trip ${Math.round(rttMs)} ms`, `loss ${lossPercent.toFixed(1)}%`];
  if (fps !== null) parts.push(`${Math.round(fps)} frames per second`);
  return parts.join(', ');
}
