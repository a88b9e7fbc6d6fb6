import { SignalMessage, type SignalPayload } from '../../domain/call';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Walks with its own stack, never the call stack: a 6,000-deep message is refused, not a RangeError. */
function nestedAtMost(root: object, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() ?? [null, 0];
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return false;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return true;
}

/**
 * Signals are relayed as received; checking shape, nesting and size is the only work done on them, so it stays
 * cheap: short strings need no counting, since UTF-8 needs at most 3 bytes per UTF-16 unit.
 */
export function isRelayableSignal(value: unknown): value is SignalPayload {
  if (typeof value === 'string') {
    return value.length * 3 <= SignalMessage.maxBytes || Buffer.byteLength(value) <= SignalMessage.maxBytes;
  }
  return (
    isPlainObject(value) &&
    nestedAtMost(value, SignalMessage.maxDepth) &&
    Buffer.byteLength(JSON.stringify(value)) <= SignalMessage.maxBytes
  );
}

export const SIGNAL_RULE = `must be a string or an object of at most ${SignalMessage.maxBytes / 1024} KB as JSON, nested at most ${SignalMessage.maxDepth} deep`;
