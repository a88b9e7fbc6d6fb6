import { z } from 'zod';
import { CallPath, ChatText, SignalMessage } from '../../domain/call';

const ruledString = (rule: { problem(value: string): string | null }) =>
  z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
    const problem = rule.problem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const displayName = z.string({ error: 'must be a string' }).max(1024, 'is too long');

function serialisedBytes(message: string | object): number {
  return Buffer.byteLength(typeof message === 'string' ? message : JSON.stringify(message));
}

/** Positional arguments of each client event, after the optional ack callback is taken off. */
export const eventArgs = {
  'join-call': z.tuple([ruledString(CallPath), z.strictObject({ name: displayName.optional() }).optional()]),
  signal: z.tuple([
    z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(128, 'is too long'),
    z
      .union([z.string(), z.record(z.string(), z.unknown())], { error: 'must be a string or an object' })
      .refine((message) => serialisedBytes(message) <= SignalMessage.maxBytes, {
        message: `must be at most ${SignalMessage.maxBytes} bytes serialised`,
      }),
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
