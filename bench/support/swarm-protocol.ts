/** What bench:capacity and its client processes (capacity-swarm.ts) say to each other over IPC. */
import { z } from 'zod';

export const SwarmCommand = z.discriminatedUnion('kind', [
  /** Opens `count` more sockets; those refused are counted by the code of their connect_error. */
  z.object({ kind: z.literal('open'), url: z.string(), count: z.number().int().min(0), parallel: z.number().int().min(1) }),
  /** Opens calls × participants sockets, joins each call, and starts its traffic. */
  z.object({ kind: z.literal('live'), url: z.string(), calls: z.number().int().min(1), participants: z.number().int().min(2), chatEveryMs: z.number(), signalEveryMs: z.number() }),
  /** Times the deliveries that arrive over the next `seconds`. */
  z.object({ kind: z.literal('window'), seconds: z.number() }),
  /** Stops the traffic and closes every socket. */
  z.object({ kind: z.literal('close') }),
]);
export type SwarmCommand = z.infer<typeof SwarmCommand>;

/** NaN (no sample) crosses IPC's JSON as null. */
const summarySchema = z.object({ p50: z.number().nullable(), p99: z.number().nullable(), n: z.number() });

export const SwarmReply = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opened'), connected: z.number(), held: z.number(), refused: z.record(z.string(), z.number()) }),
  z.object({ kind: z.literal('live-ready'), sockets: z.number() }),
  z.object({
    kind: z.literal('window'),
    chat: summarySchema,
    signal: summarySchema,
    /** Chats or signals not delivered within LOST_AFTER_MS, since the traffic started. */
    lost: z.number(),
    /** call-error events, by code, since the traffic started. */
    errors: z.record(z.string(), z.number()),
    /** This client process's own event-loop delay over the window, in ms: a stall here delays what it times. */
    loopDelayMaxMs: z.number(),
  }),
  z.object({ kind: z.literal('closed'), dropped: z.number() }),
  z.object({ kind: z.literal('failed'), message: z.string() }),
]);
export type SwarmReply = z.infer<typeof SwarmReply>;
