import type { AckPayload } from '../adapters/realtime/protocol';

/** Whose stream one media id of the page's subscription carries. */
export type SubscribedStream = AckPayload<'sfu-subscribe'>['streams'][number];

/** One participant's streams in a subscription, by media id. */
export interface ParticipantMids {
  audio: string | null;
  camera: string | null;
  screen: string | null;
}

/**
 * The subscription's media ids per participant. A page publishes its audio first, then its camera, then (while
 * sharing) its screen as an extra video (sfu-publishing-peer.ts keeps a camera section even without a camera), and
 * the SFU lists a publisher's streams in that order: so a participant's first video is its camera and its last one,
 * when it has more, its screen (the last rather than the second, should a publisher ever list more than two).
 */
export function midsByParticipant(streams: readonly SubscribedStream[]): Map<string, ParticipantMids> {
  const byParticipant = new Map<string, ParticipantMids>();
  for (const { mid, participantId, kind } of streams) {
    const mids = byParticipant.get(participantId) ?? { audio: null, camera: null, screen: null };
    if (kind === 'audio') mids.audio ??= mid;
    else if (mids.camera === null) mids.camera = mid;
    else mids.screen = mid;
    byParticipant.set(participantId, mids);
  }
  return byParticipant;
}

/**
 * The mids a participant's tile plays: its audio, and its screen while its media state says it shares one, otherwise
 * its camera. A share that stopped leaves its section inactive at the publisher, and Janus still lists it.
 */
export function shownMids(mids: ParticipantMids, sharing: boolean): string[] {
  const video = (sharing ? mids.screen : null) ?? mids.camera;
  return [mids.audio, video].filter((mid): mid is string => mid !== null);
}
