import { SignalMessage, type SignalPayload } from '../../domain/call';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * One walk with its own stack, never the call stack (a 6,000-deep message is refused, not a RangeError), that also
 * bounds the JSON size from above: a string unit takes at most 6 bytes (`\uXXXX`), a number at most 25. Returns
 * Infinity past `maxDepth` or for values JSON cannot hold as they are.
 */
interface Pending {
  value: unknown;
  depth: number;
}

/** A leaf's JSON size bound; an object or array is left on `stack` for later, counting 0 here. */
function leafSize(child: unknown, depth: number, stack: Pending[]): number {
  if (typeof child === 'string') return child.length * 6 + 2;
  if (typeof child === 'number') return 25;
  if (typeof child === 'boolean' || child === null) return 5;
  if (typeof child !== 'object') return Infinity;
  stack.push({ value: child, depth });
  return 0;
}

function jsonSizeBound(root: Record<string, unknown>, maxDepth: number): number {
  let size = 0;
  // Only objects and arrays go on the stack; leaves are counted where they are met.
  const stack: Pending[] = [{ value: root, depth: 1 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, depth } = item;
    if (depth > maxDepth) return Infinity;
    size += 2;
    if (Array.isArray(value)) {
      for (const child of value) size += 1 + leafSize(child, depth + 1, stack);
    } else if (isPlainObject(value)) {
      for (const key in value) size += key.length * 6 + 4 + leafSize(value[key], depth + 1, stack);
    } else return Infinity;
    if (size === Infinity) return Infinity;
  }
  return size;
}

/**
 * Signals are relayed as received; checking shape, nesting and size is the only work done on them, so it stays
 * cheap: short strings need no counting (UTF-8 takes at most 3 bytes per UTF-16 unit), and an object is serialised
 * only when the bound cannot already tell it is small enough.
 */
export function isRelayableSignal(value: unknown): value is SignalPayload {
  const max = SignalMessage.maxBytes;
  if (typeof value === 'string') return value.length * 3 <= max || Buffer.byteLength(value) <= max;
  if (!isPlainObject(value)) return false;
  const bound = jsonSizeBound(value, SignalMessage.maxDepth);
  return bound <= max || (bound !== Infinity && Buffer.byteLength(JSON.stringify(value)) <= max);
}

export const SIGNAL_RULE = `must be a string or an object of at most ${SignalMessage.maxBytes / 1024} KB as JSON, nested at most ${SignalMessage.maxDepth} deep`;
