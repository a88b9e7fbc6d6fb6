import { randomInt } from 'node:crypto';
import type { MeetingCodeGenerator } from '../../application/ports/meeting-code-generator';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** abc-defg-hij: 26^10 ≈ 1.4e14 codes. */
const GROUPS = [3, 4, 3];

/** Each letter drawn uniformly (randomInt rejects biased draws) from the operating system's CSPRNG. */
export class CryptoMeetingCodeGenerator implements MeetingCodeGenerator {
  next(): string {
    return GROUPS.map((size) => Array.from({ length: size }, () => LETTERS[randomInt(LETTERS.length)]).join('')).join('-');
  }
}
