import { codePointLength, isPrintable } from './text';

export const MeetingCode = {
  maxLength: 128,
  normalize(raw: string): string {
    return raw.trim();
  },
  problem(raw: string): string | null {
    const value = raw.trim();
    if (value.length === 0) return 'must not be empty';
    if (codePointLength(value) > MeetingCode.maxLength) return `must be at most ${MeetingCode.maxLength} characters`;
    if (!isPrintable(value)) return 'must contain printable characters only';
    return null;
  },
};
