import { codePointLength, isPrintable, unseenCharacterProblem } from './text';

export const PersonName = {
  maxLength: 100,
  normalize(raw: string): string {
    return raw.trim();
  },
  problem(raw: string): string | null {
    const value = raw.trim();
    if (value.length === 0) return 'must not be empty';
    if (codePointLength(value) > PersonName.maxLength) return `must be at most ${PersonName.maxLength} characters`;
    if (!isPrintable(value)) return 'must not contain control characters';
    return unseenCharacterProblem(raw);
  },
};
