/*
 * Key layout (every key starts with options.keyPrefix; ids are the key's tail, after a tag no id can forge):
 *
 *   key                   type    meaning                                               expiry
 *   member:<participant>  string  the call the participant is in                        none (deleted on leave)
 *   call:<call>           hash    live call: startedAt (ISO), peak (size)               none (deleted with the last leave)
 *   roster:<call>         list    participant ids in join order                         none (empties with the last leave)
 *   people:<call>         hash    participant id -> participant JSON                    none (empties with the last leave)
 *   chat:<call>           list    message JSON, oldest first, newest `limit` kept       live: none; parked: PEXPIRE ttl + 1 min
 *   chat-until:<call>     string  parked chat: store-clock ms after which it is gone    PEXPIRE ttl + 1 min
 *
 * A join of the call drops parked chat past chat-until (the store's clock rules); the real PEXPIRE only reclaims
 * memory of calls nobody rejoins, its minute of margin absorbing clock skew between nodes.
 *
 * The scripts reach keys of several calls (a join leaves the previous call, found as it runs), so the keys are
 * built inside them rather than declared: this needs a single Redis primary, not Redis Cluster.
 */
import type { Redis, Result } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../../application/ports/clock';
import type {
  ChatDraft,
  JoinRequest,
  JoinResult,
  LeaveResult,
  Membership,
  RoomStore,
  SignalRoute,
} from '../../../application/ports/room-store';
import type { ChatMessage, GuestNaming, MediaState } from '../../../domain/call';
import { DomainError } from '../../../domain/errors';
import { joinScript, leaveScript, postChatScript, setMediaScript } from './redis-room-store-scripts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    roomStoreJoin(...argv: string[]): Result<string, Context>;
    roomStoreLeave(...argv: string[]): Result<string, Context>;
    roomStorePostChat(...argv: string[]): Result<string, Context>;
    roomStoreSetMedia(...argv: string[]): Result<string, Context>;
  }
}

export interface RedisRoomStoreOptions {
  /** Starts every key, so that several stores (or test runs) can share one Redis. */
  keyPrefix: string;
  /** How long an emptied call's chat is kept, by the store's clock. */
  historyTtlMs: number;
  clock: Clock;
}

/** Parked chat outlives its store-clock expiry by this much in real time, for clock skew between nodes. */
const PARKED_EXPIRY_MARGIN_MS = 60_000;

const participantReply = z.object({
  id: z.string(),
  name: z.string(),
  nameKey: z.string(),
  userId: z.string().nullable(),
  unnamed: z.boolean(),
  media: z.object({ audio: z.boolean(), video: z.boolean(), screen: z.boolean(), hand: z.boolean() }),
});
const date = z.iso.datetime().transform((iso) => new Date(iso));
const messageReply = z.object({ id: z.string(), text: z.string(), sender: z.string(), senderId: z.string(), userId: z.string().nullable(), ts: date });
const leaveReply = z.object({
  callId: z.string(),
  remaining: z.array(participantReply),
  ended: z.object({ callId: z.string(), startedAt: date, endedAt: date, peakSize: z.number() }).nullable(),
});
const joinReply = z.union([
  z.object({ full: z.literal(true) }),
  z.object({ self: participantReply, participants: z.array(participantReply), history: z.array(messageReply), previous: leaveReply.nullable() }),
]);
const postChatReply = z.object({ callId: z.string(), message: messageReply }).nullable();
const setMediaReply = z.object({ callId: z.string(), participant: participantReply }).nullable();

/** One script per method (routeSignal: one MGET), so each call is one round trip and atomic in Redis. */
export class RedisRoomStore implements RoomStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRoomStoreOptions,
  ) {
    redis.defineCommand('roomStoreJoin', { lua: joinScript, numberOfKeys: 0 });
    redis.defineCommand('roomStoreLeave', { lua: leaveScript, numberOfKeys: 0 });
    redis.defineCommand('roomStorePostChat', { lua: postChatScript, numberOfKeys: 0 });
    redis.defineCommand('roomStoreSetMedia', { lua: setMediaScript, numberOfKeys: 0 });
  }

  async join(request: JoinRequest): Promise<JoinResult> {
    const { callId, participant, capacity } = request;
    const times = this.times();
    const reply = await reachable(this.redis.roomStoreJoin(
      this.options.keyPrefix,
      participant.id,
      callId,
      JSON.stringify(participant),
      String(capacity),
      String(times.nowMs),
      ...times.leave,
      ...namingArgs(request.naming),
    ));
    const result = joinReply.parse(JSON.parse(reply));
    if ('full' in result) throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    return result;
  }

  async leave(participantId: string): Promise<LeaveResult | null> {
    const reply = await reachable(this.redis.roomStoreLeave(this.options.keyPrefix, participantId, ...this.times().leave));
    return leaveReply.nullable().parse(JSON.parse(reply));
  }

  async routeSignal(fromId: string, toId: string): Promise<SignalRoute> {
    const [fromCall, toCall] = await reachable(this.redis.mget(this.memberKey(fromId), this.memberKey(toId)));
    if (fromCall === null) return 'sender-not-in-call';
    return fromId !== toId && toCall === fromCall ? 'deliver' : 'not-in-same-call';
  }

  async postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null> {
    const reply = await reachable(this.redis.roomStorePostChat(
      this.options.keyPrefix,
      participantId,
      draft.id,
      draft.text,
      String(limit),
      this.options.clock.now().toISOString(),
      ...namingArgs(draft.naming),
    ));
    return postChatReply.parse(JSON.parse(reply));
  }

  async setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null> {
    const reply = await reachable(this.redis.roomStoreSetMedia(this.options.keyPrefix, participantId, JSON.stringify(change)));
    return setMediaReply.parse(JSON.parse(reply));
  }

  private memberKey(participantId: string): string {
    return `${this.options.keyPrefix}member:${participantId}`;
  }

  /** Now, and what a leave needs: now as ISO, until when chat parked now is kept (store-clock ms), its PEXPIRE. */
  private times(): { nowMs: number; leave: [string, string, string] } {
    const now = this.options.clock.now();
    const { historyTtlMs } = this.options;
    return {
      nowMs: now.getTime(),
      leave: [now.toISOString(), String(now.getTime() + historyTtlMs), String(historyTtlMs + PARKED_EXPIRY_MARGIN_MS)],
    };
  }
}

/**
 * Redis not answering (down, reconnecting, the command lost) is an outage the client may retry:
 * SERVICE_UNAVAILABLE. An error Redis itself replied with is a bug and stays one.
 */
async function reachable<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (error) {
    if (error instanceof Error && error.name === 'ReplyError') throw error;
    throw new DomainError('SERVICE_UNAVAILABLE', 'Calls are unavailable for a moment; try again shortly');
  }
}

function namingArgs(naming: GuestNaming | null): [string, string, string, string] {
  return naming ? ['1', naming.name, naming.key, naming.ifTaken] : ['0', '', '', ''];
}
