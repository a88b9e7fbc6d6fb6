const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}]/u;

/**
 * Text-direction controls turn what follows them around on screen ("Mallory\u202E(guest)" reads "Mallory(tseug)"),
 * and zero-width characters let a name pass for another that looks the same.
 */
const UNSEEN = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

export function isPrintable(value: string): boolean {
  return !UNPRINTABLE.test(value);
}

/** The rule every name people read follows (account and guest names alike): null when it holds no such character. */
export function unseenCharacterProblem(value: string): string | null {
  return UNSEEN.test(value) ? 'must not contain invisible or text-direction characters' : null;
}

/** The size of the string in UTF-8 (a lone surrogate as U+FFFD, 3 bytes), without encoding it. */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
