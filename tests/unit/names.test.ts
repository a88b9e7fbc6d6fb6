import { GuestName } from '../../src/domain/call';
import { PersonName } from '../../src/domain/person-name';
import { unseenCharacterProblem } from '../../src/domain/text';

const UNSEEN = 'must not contain invisible or text-direction characters';

describe('unseenCharacterProblem', () => {
  it.each([
    ['U+202A left-to-right embedding', '\u202A'],
    ['U+202B right-to-left embedding', '\u202B'],
    ['U+202C pop directional formatting', '\u202C'],
    ['U+202D left-to-right override', '\u202D'],
    ['U+202E right-to-left override', '\u202E'],
    ['U+2066 left-to-right isolate', '\u2066'],
    ['U+2067 right-to-left isolate', '\u2067'],
    ['U+2068 first strong isolate', '\u2068'],
    ['U+2069 pop directional isolate', '\u2069'],
    ['U+200E left-to-right mark', '\u200E'],
    ['U+200F right-to-left mark', '\u200F'],
    ['U+061C Arabic letter mark', '\u061C'],
    ['U+200B zero-width space', '\u200B'],
    ['U+200C zero-width non-joiner', '\u200C'],
    ['U+200D zero-width joiner', '\u200D'],
    ['U+2060 word joiner', '\u2060'],
    ['U+FEFF zero-width no-break space', '\uFEFF'],
  ])('refuses %s anywhere in a name', (_, character) => {
    for (const name of [`${character}Ann`, `Mallory${character}(guest)`, `Ann${character}`, character]) {
      expect(unseenCharacterProblem(name)).toBe(UNSEEN);
    }
  });

  it.each([
    ['plain Latin', 'Ann Lee'],
    ['accents and apostrophes', "Zoë O'Brien-Núñez"],
    ['right-to-left script without controls', 'مريم'],
    ['Hebrew', 'שרה'],
    ['CJK', '李小龍'],
    ['emoji', 'Ann 🎉'],
    ['characters next to the refused ranges', '\u2009\u2010\u2027\u2030\u205F\u206A\u061B\u061D'],
    ['empty', ''],
  ])('accepts %s', (_, name) => {
    expect(unseenCharacterProblem(name)).toBeNull();
  });
});

describe('names follow the rule', () => {
  it('account names: PersonName refuses them, even where trimming would drop the character', () => {
    expect(PersonName.problem('Mallory\u202E(guest)')).toBe(UNSEEN);
    expect(PersonName.problem('\uFEFFAnn')).toBe(UNSEEN);
    expect(PersonName.problem('Ann Lee')).toBeNull();
  });

  it('guest names: GuestName refuses them as sent', () => {
    expect(GuestName.problem('Mallory\u202E(guest)')).toBe(UNSEEN);
    expect(GuestName.problem(' Ann\u200B ')).toBe(UNSEEN);
    expect(GuestName.problem('Ann Lee')).toBeNull();
  });
});
