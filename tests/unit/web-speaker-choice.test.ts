import { HOLD_MS, NO_SPEAKER, nextSpeaker, type SpeakerState } from '../../src/web/speaker-choice';

type Sample = [at: number, levels: Record<string, number>];

function run(samples: Sample[]): Array<string | null> {
  let state: SpeakerState = NO_SPEAKER;
  return samples.map(([at, levels]) => {
    state = nextSpeaker(state, new Map(Object.entries(levels)), at);
    return state.speaker;
  });
}

describe('nextSpeaker: the active speaker from audio levels, with hysteresis', () => {
  it.each<[string, Sample[], Array<string | null>]>([
    ['silence: nobody', [[0, { a: 0, b: 0.001 }]], [null]],
    ['one voice takes the floor', [[0, { a: 0.3, b: 0 }]], ['a']],
    ['a beep then a pause shorter than the hold keeps it', [[0, { a: 0.3 }], [1000, { a: 0 }], [HOLD_MS, { a: 0 }]], ['a', 'a', 'a']],
    ['silent past the hold: nobody', [[0, { a: 0.3 }], [HOLD_MS + 1, { a: 0 }]], ['a', null]],
    ['another voice does not interrupt while the speaker is heard', [[0, { a: 0.3, b: 0 }], [500, { a: 0.3, b: 0.5 }], [1000, { a: 0.2, b: 0.5 }]], ['a', 'a', 'a']],
    [
      'the speaker falls silent: the floor goes to the other voice after the hold',
      [[0, { a: 0.3, b: 0.3 }], [1000, { a: 0, b: 0.3 }], [2500, { a: 0, b: 0.3 }]],
      ['a', 'a', 'b'],
    ],
    ['a muted speaker (left out of the levels) loses the floor at once', [[0, { a: 0.3, b: 0 }], [250, { b: 0.3 }]], ['a', 'b']],
    ['of two heard, the most recent wins', [[0, { a: 0.3, b: 0 }], [2100, { a: 0, b: 0 }], [2200, { a: 0, b: 0.2 }]], ['a', null, 'b']],
  ])('%s', (_what, samples, expected) => {
    expect(run(samples)).toEqual(expected);
  });
});
