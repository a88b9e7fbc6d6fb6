import { utf8ByteLength } from './text';

export const Password = {
  minBytes: 8,
  /** bcrypt reads only the first 72 bytes; longer passwords are refused, never truncated. */
  maxBytes: 72,
  problem(raw: string): string | null {
    const bytes = utf8ByteLength(raw);
    if (bytes < Password.minBytes) return `must be at least ${Password.minBytes} bytes`;
    if (bytes > Password.maxBytes) return `must be at most ${Password.maxBytes} bytes`;
    return null;
  },
};
