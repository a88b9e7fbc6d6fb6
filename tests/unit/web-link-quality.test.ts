import { CALM, linkQuality, linkWords, MOOD_SAMPLES, nextMood, type ConnectionMood, type LinkNumbers, type LinkQuality } from '../../src/web/link-quality';

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

describe('nextMood: when the page says its connection is poor, and when it is back', () => {
  const run = (samples: LinkQuality[][], from: ConnectionMood = CALM) => {
    let mood = from;
    const said: Array<string | null> = [];
    for (const qualities of samples) {
      const next = nextMood(mood, qualities);
      mood = next.mood;
      said.push(next.say);
    }
    return { mood, said };
  };
  const times = <T>(count: number, value: T): T[] => Array.from({ length: count }, () => value);

  it.each<[string, LinkQuality[][], Array<string | null>]>([
    ['all good: nothing', times(5, ['good', 'good']), times(5, null)],
    ['one poor sample among good ones: nothing', [['poor'], ['good'], ['poor'], ['good']], times(4, null)],
    ['half poor for MOOD_SAMPLES samples: poor, once', times(MOOD_SAMPLES + 2, ['poor', 'good']), [...times(MOOD_SAMPLES - 1, null), 'poor', null, null]],
    ['fewer than half poor: nothing', times(5, ['poor', 'good', 'fair']), times(5, null)],
    ['nobody received (alone in the call): nothing', times(5, []), times(5, null)],
  ])('%s', (_what, samples, said) => {
    expect(run(samples).said).toEqual(said);
  });

  it('recovers after as many good samples, a poor one in between starting the count again', () => {
    const poor = run(times<LinkQuality[]>(MOOD_SAMPLES, ['poor'])).mood;
    expect(poor.poor).toBe(true);
    expect(run([['good'], ['poor'], ...times<LinkQuality[]>(MOOD_SAMPLES, ['good'])], poor).said).toEqual([null, null, ...times(MOOD_SAMPLES - 1, null), 'recovered']);
  });

  it('an empty sample (everyone left) breaks a streak', () => {
    expect(run([['poor'], ['poor'], [], ['poor'], ['poor']]).said).toEqual(times(5, null));
  });
});
