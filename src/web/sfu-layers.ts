import type { ClientParams } from '../adapters/realtime/protocol';

/** A simulcast layer a subscription can take of someone's video: the SFU's smallest one, or its full one. */
export type VideoLayer = ClientParams<'sfu-layer'>[1];

/** The widths the publisher sends (sfu-publishing-peer.ts): the camera's, halved, quartered. */
export const FULL_LAYER_WIDTH = 640;
const LOW_LAYER_WIDTH = FULL_LAYER_WIDTH / 4;

/**
 * Which layer a tile needs, from how wide it is drawn (CSS pixels) on a screen of this pixel ratio: the low layer
 * (a quarter of the camera) as long as it is stretched at most twofold, the full one for anything bigger, such as a
 * tile alone on a wide screen. A tile not drawn (width 0: hidden, not laid out yet) takes the low one.
 */
export function layerFor(tileWidth: number, pixelRatio: number): VideoLayer {
  const devicePixels = tileWidth * (pixelRatio > 0 ? pixelRatio : 1);
  return devicePixels > 2 * LOW_LAYER_WIDTH ? 'high' : 'low';
}
