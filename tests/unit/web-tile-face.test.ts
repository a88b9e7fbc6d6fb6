import { initials, nameColour } from '../../src/web/initials';

describe('initials: the letters on a camera-off tile', () => {
  it.each<[string, string]>([
    ['Ann', 'A'],
    ['ann lee', 'AL'],
    ['Mary Ann de Vries', 'MV'],
    ['  Bob   ', 'B'],
    ['Ann (guest)', 'A'],
    ['Hana (host)', 'H'],
    ['émile zola', 'ÉZ'],
    ['', '?'],
    ['😀 Smile', '😀S'],
  ])('%j → %s', (name, expected) => {
    expect(initials(name)).toBe(expected);
  });
});

describe('nameColour: a colour from the name', () => {
  it('is the same for the same name and differs between names', () => {
    expect(nameColour('Ann')).toBe(nameColour('Ann'));
    expect(new Set(['Ann', 'Bob', 'Cat', 'Dan', 'Eve'].map(nameColour)).size).toBeGreaterThan(3);
  });

  it('is a dark hsl colour (white initials stay readable)', () => {
    expect(nameColour('Ann')).toMatch(/^hsl\(\d{1,3} 45% 32%\)$/);
  });
});
