import { arrange, type Arrangement, type ArrangementInput } from '../../src/web/tile-arrangement';

const base: ArrangementInput = { keys: ['me', 'a', 'b', 'c'], view: 'speaker', selfKey: 'me', pinned: null, speaker: null, sharing: null, previousLarge: null, page: 0, perPage: 9 };

describe('arrange: which tiles are drawn, and which one large', () => {
  it.each<[string, Partial<ArrangementInput>, Partial<Arrangement>]>([
    ['speaker view with nobody speaking: the first other person', {}, { large: 'a', shown: ['a', 'me', 'b', 'c'] }],
    ['the active speaker is large', { speaker: 'b' }, { large: 'b', shown: ['b', 'me', 'a', 'c'] }],
    ['a shared screen beats the speaker', { speaker: 'b', sharing: 'c' }, { large: 'c' }],
    ['a pin beats a shared screen and the speaker', { speaker: 'b', sharing: 'c', pinned: 'a' }, { large: 'a' }],
    ['silence keeps the last large tile', { previousLarge: 'c' }, { large: 'c' }],
    ['a speaker who left is not large', { speaker: 'gone' }, { large: 'a' }],
    ['alone: your own tile', { keys: ['me'] }, { large: 'me', shown: ['me'] }],
    ['the gallery shows all that fit, none large', { view: 'gallery', speaker: 'b' }, { large: null, shown: ['me', 'a', 'b', 'c'], pages: 1 }],
    ['the gallery pages', { view: 'gallery', perPage: 3, page: 1 }, { shown: ['c'], page: 1, pages: 2 }],
    ['a page past the last shows the last', { view: 'gallery', perPage: 3, page: 5 }, { shown: ['c'], page: 1 }],
  ])('%s', (_what, change, expected) => {
    expect(arrange({ ...base, ...change })).toMatchObject(expected);
  });
});
