/** A seeded generator (mulberry32), so a fuzz run can be replayed with the same FUZZ_SEED. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  bytes(length: number): Buffer {
    const buffer = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) buffer[i] = this.int(0, 255);
    return buffer;
  }
}

const UNICODE = [
  'Zoë',
  '名前',
  '😀',
  '👩‍👩‍👧',
  '\u202Eevil',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u200B',
  'ﷺ',
  'A\u030A',
  '\t\r\n',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{"$gt":""}',
  '../../etc/passwd',
  '%00',
  '\\u0000',
];

/** Strings at and around the edges the server's rules draw (lengths 1, 3, 8, 32, 64, 72, 100, 128, 1024, 2000). */
export function fuzzString(random: Random): string {
  const unit = random.pick(['a', ' ', 'é', '名', '😀', '\u0000', '\uD800', random.pick(UNICODE)]);
  switch (random.int(0, 6)) {
    case 0:
      return random.pick(UNICODE);
    case 1:
      return '';
    case 2: {
      const edge = random.pick([1, 2, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 71, 72, 73, 99, 100, 101, 127, 128, 129, 1023, 1024, 1025, 1999, 2000, 2001]);
      return unit.repeat(edge);
    }
    case 3:
      return unit.repeat(random.int(2000, 20_000));
    case 4:
      return `fuzz-${random.int(0, 1e9)}`;
    case 5:
      return random.bytes(random.int(1, 64)).toString('latin1');
    default:
      return `${random.pick(UNICODE)}${random.int(0, 1000)}${random.pick(UNICODE)}`;
  }
}

export const EVIL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '$where', '$gt', ''];

/** Any JSON value: every type, nested, with keys that poison naive merges. */
export function fuzzValue(random: Random, depth = 0, keys: readonly string[] = []): unknown {
  const kind = depth > 4 ? random.int(0, 4) : random.int(0, 7);
  switch (kind) {
    case 0:
      return fuzzString(random);
    case 1:
      return random.pick([0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 1e-320, 123456789]);
    case 2:
      return random.chance(0.5);
    case 3:
      return null;
    case 4:
      return random.pick(['', 'true', 'null', '0', '[]', '{}']);
    case 5:
      return Array.from({ length: random.int(0, 5) }, () => fuzzValue(random, depth + 1, keys));
    default: {
      const value: Record<string, unknown> = {};
      for (let i = random.int(0, 5); i > 0; i -= 1) {
        const key = random.pick([...keys, ...EVIL_KEYS, fuzzString(random).slice(0, 40)]);
        // defineProperty, so that "__proto__" becomes an own key as JSON.parse would make it, not the prototype.
        Object.defineProperty(value, key, { value: fuzzValue(random, depth + 1, keys), enumerable: true, writable: true, configurable: true });
      }
      return value;
    }
  }
}

/** `depth` levels of nesting written as JSON text (a nested value this deep overflows recursive encoders). */
export function nestedJson(random: Random, depth: number): string {
  return random.chance(0.5) ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
