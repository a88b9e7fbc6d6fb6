import { linkQuality, linkWords, type LinkNumbers, type LinkQuality } from '../../src/web/link-quality';

describe('linkQuality: good, fair or poor from getStats numbers', () => {
  it.each<[string, LinkNumbers, LinkQuality]>([
    ['a clean local link', { rttMs: 2, lossPercent: 0, fps: 30 }, 'good'],
    ['no round trip measured yet', { rttMs: null, lossPercent: 0, fps: 25 }, 'good'],
    ['a camera off (no frame rate)', { rttMs: 40, lossPercent: 0, fps: null }, 'good'],
    ['a far server', { rttMs: 200, lossPercent: 0, fps: 30 }, 'fair'],
    ['some loss', { rttMs: 20, lossPercent: 3, fps: 30 }, 'fair'],
    ['a slow frame rate', { rttMs: 20, lossPercent: 0, fps: 12 }, 'fair'],
    ['a very long round trip', { rttMs: 600, lossPercent: 0, fps: 30 }, 'poor'],
    ['heavy loss', { rttMs: 20, lossPercent: 15, fps: 30 }, 'poor'],
    ['video nearly frozen', { rttMs: 20, lossPercent: 0, fps: 3 }, 'poor'],
    ['the worst number decides', { rttMs: 200, lossPercent: 10, fps: 30 }, 'poor'],
  ])('%s → %s', (_what, numbers, quality) => {
    expect(linkQuality(numbers)).toBe(quality);
  });

  it('says the numbers in words', () => {
    expect(linkWords('fair', { rttMs: 212.4, lossPercent: 3.04, fps: 24.6 })).toBe('Connection fair, round trip 212 ms, loss 3.0%, 25 frames per second');
    expect(linkWords('good', { rttMs: null, lossPercent: 0, fps: null })).toBe('Connection good, round trip unknown, loss 0.0%');
  });
});
