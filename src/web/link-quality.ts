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

/** Whether the page has told its user the connection is poor. */
export interface ConnectionMood {
  poor: boolean;
  /** Quality samples in a row that disagreed with `poor`. */
  streak: number;
}

export const CALM: ConnectionMood = { poor: false, streak: 0 };
/** Samples in a row before the notice changes: one bad sample (a keyframe, a tab switch) is not a poor connection. */
export const MOOD_SAMPLES = 3;

/**
 * One quality sample of everyone the page receives: the connection reads as poor when at least half of them are poor,
 * for MOOD_SAMPLES samples in a row, and as recovered when fewer are for as long. `say` is what to tell the user now.
 */
export function nextMood(mood: ConnectionMood, qualities: readonly LinkQuality[]): { mood: ConnectionMood; say: 'poor' | 'recovered' | null } {
  if (qualities.length === 0) return { mood: { ...mood, streak: 0 }, say: null };
  const poorNow = qualities.filter((quality) => quality === 'poor').length * 2 >= qualities.length;
  if (poorNow === mood.poor) return { mood: { poor: mood.poor, streak: 0 }, say: null };
  const streak = mood.streak + 1;
  if (streak < MOOD_SAMPLES) return { mood: { poor: mood.poor, streak }, say: null };
  return { mood: { poor: poorNow, streak: 0 }, say: poorNow ? 'poor' : 'recovered' };
}
