import { z } from 'zod';
import { CallPath, ChatText, SignalMessage } from '../../domain/call';
import { ruledString } from '../validate';

const displayName = z.string({ error: 'must be a string' }).max(1024, 'is too long');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Signals are relayed as received; checking the size is the only work done on them, so it stays cheap. */
function withinSignalLimit(message: string | Record<string, unknown>): boolean {
  if (typeof message === 'string') {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: short strings need no counting.
    return message.length * 3 <= SignalMessage.maxBytes || Buffer.byteLength(message) <= SignalMessage.maxBytes;
  }
  return Buffer.byteLength(JSON.stringify(message)) <= SignalMessage.maxBytes;
}

/** Positional arguments of each client event, after the optional ack callback is taken off. */
export const eventArgs = {
  'join-call': z.tuple([ruledString(CallPath), z.strictObject({ name: displayName.optional() }).optional()]),
  signal: z.tuple([
    z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(128, 'is too long'),
    // One predicate rather than a refinement: this runs for every ICE candidate, and zod refinements cost more than the check.
    z.custom<string | Record<string, unknown>>(
      (value) => (typeof value === 'string' || isPlainObject(value)) && withinSignalLimit(value),
      { error: `must be a string or an object of at most ${SignalMessage.maxBytes} bytes serialised` },
    ),
  ]),
  'chat-message': z.tuple([ruledString(ChatText), displayName.optional()]),
  'media-state': z.tuple([
    z.strictObject({
      audio: z.boolean().optional(),
      video: z.boolean().optional(),
      screen: z.boolean().optional(),
      hand: z.boolean().optional(),
    }),
  ]),
  'leave-call': z.tuple([]),
} as const;

export type ClientEvent = keyof typeof eventArgs;

/** Names of the positional arguments, so a validation error can say `data` rather than `0`. */
export const argNames: Record<ClientEvent, readonly string[]> = {
  'join-call': ['path', 'opts'],
  signal: ['toId', 'message'],
  'chat-message': ['data', 'sender'],
  'media-state': ['state'],
  'leave-call': [],
};
