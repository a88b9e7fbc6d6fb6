import { layerFor, type VideoLayer } from '../../src/web/sfu-layers';

describe('layerFor: the simulcast layer a tile needs', () => {
  it.each<[string, number, number, VideoLayer]>([
    ['a tile not drawn (hidden, not laid out yet)', 0, 1, 'low'],
    ['a thumbnail', 160, 1, 'low'],
    ['a small grid tile, the low layer stretched at most twofold', 304, 1, 'low'],
    ['exactly twice the low layer', 320, 1, 'low'],
    ['just past twice the low layer', 321, 1, 'high'],
    ['a tile alone on a phone (360 CSS px wide)', 344, 1, 'high'],
    ['the same small tile on a 2x screen needs more pixels', 200, 2, 'high'],
    ['a big spotlight tile', 1200, 1, 'high'],
    ['a pixel ratio the browser did not give', 304, 0, 'low'],
  ])('%s (%d px at %dx): %s', (_what, width, ratio, layer) => {
    expect(layerFor(width, ratio)).toBe(layer);
  });
});
