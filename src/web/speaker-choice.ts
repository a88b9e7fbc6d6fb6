/** Who speaks, as the page last decided, and when each participant was last heard above the threshold. */
export interface SpeakerState {
  speaker: string | null;
  lastLoud: ReadonlyMap<string, number>;
}

export const NO_SPEAKER: SpeakerState = { speaker: null, lastLoud: new Map() };

/** A level (0..1, as WebRTC's audioLevel) above this is speech, not room noise. */
export const SPEECH_LEVEL = 0.02;
/** The speaker keeps the floor through pauses this long (ms), so the large tile does not flicker between words. */
export const HOLD_MS = 2000;

/**
 * The next speaker from one sample of levels, by participant id, at `now` (ms). Only those in `levels` can speak:
 * a muted or departed participant is left out and loses the floor at once. The speaker keeps it while heard within
 * HOLD_MS; then it goes to whoever was heard most recently, or to nobody.
 */
export function nextSpeaker(state: SpeakerState, levels: ReadonlyMap<string, number>, now: number): SpeakerState {
  const lastLoud = new Map<string, number>();
  for (const [id, level] of levels) {
    const before = state.lastLoud.get(id);
    if (level >= SPEECH_LEVEL) lastLoud.set(id, now);
    else if (before !== undefined) lastLoud.set(id, before);
  }
  const heard = (id: string) => now - (lastLoud.get(id) ?? -Infinity) <= HOLD_MS;
  if (state.speaker !== null && heard(state.speaker)) return { speaker: state.speaker, lastLoud };
  let speaker: string | null = null;
  for (const [id, at] of lastLoud) if (heard(id) && (speaker === null || at > (lastLoud.get(speaker) ?? 0))) speaker = id;
  return { speaker, lastLoud };
}
