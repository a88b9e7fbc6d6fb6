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
 *   chat-bytes            string  chat held across all calls, as chatMessageBytes counts  none
 *   chat-sizes            hash    call -> bytes of its chat (live or parked)             none (field dropped with the chat)
 *   chats-live            zset    live calls holding chat, by when their chat began      none (member dropped with the chat)
 *   chats-parked          zset    emptied calls' parked chat, by when it was parked      none (dropped as it expires or is evicted)
 *   chat-order            string  counter that orders chats-live and chats-parked        none
 *   nodes                 set     node ids that heartbeat or hold participants          none (dead empty nodes removed)
 *   node:<node>           set     ids of the participants that node joined               none (emptied by leaves/eviction)
 *   alive:<node>          string  present while the node heartbeats                      PX liveness window (10 s)
 *   evicted:<node>        string  the node was taken for dead; its next heartbeat learns   PX 1 day
 *   sweep-lock            string  token of the node sweeping dead nodes                  PX 5 s
 *   epoch                 string  random id set by the first heartbeat of a Redis        none
 *                                 without one: a new epoch means Redis lost its data
 *   resume:<token>        string  the participant a resume token brings back             none (deleted when it leaves)
 *   grace                 zset    suspended participant ids by store-clock ms deadline   none (emptied as graces pass)
 *   bans:<call>           set     ban keys barred from the call                         none (an ad-hoc call's go with it)
 *   ban-addresses:<call>  hash    banned account key -> the address key banned with it   none (as bans:<call>)
 *   held:<call>           string  an ad-hoc call of this code ended: store-clock ms until  PX hold + 1 min
 *                                 which its code stays in use
 *   lobby:<call>          list    ids waiting to be admitted, in arrival order          none (empties as they leave/are decided)
 *   waiters:<call>        hash    waiting id -> {participant JSON (with node), naming}  none (as lobby:<call>)
 *   waiting:<participant> string  the call whose lobby the participant waits in         none (deleted when it stops waiting)
 *   rooms-on:<server>     set     calls whose room is on that media server (janus-1, …)  none (dropped with each call or the server's loss)
 *
 * call:<call> also holds owner (the meeting's owner id, '' for an ad-hoc call), locked and lobby ('1' or '0'), mode
 * (the media mode it started with), path ('mesh' or 'sfu') and, once placed on the SFU, server and room (the room's
 * key there, which holds its secret: it never leaves the server); a
 * participant's JSON in people:<call> also holds `node` (the node it is connected to), `connection` (its socket) and
 * `resume` (its token), which replies drop. A waiting participant is in node:<node> too (so a dead node's waiters
 * are swept), never in member:<participant>. The lobby keys outlive the call: waiters of an owned meeting wait for
 * its host.
 *
 * <node> is NODE_ID plus a random id per store instance, so a restarted process never inherits a dead one's
 * participants. Liveness rides on Redis expiry (alive:<node>), not on the nodes' clocks. Data loss is told by the epoch,
 * not by alive:<node>, which a long enough freeze also expires: each store remembers the epoch of its first heartbeat.
 *
 * A join of the call drops parked chat past chat-until (the store's clock rules), and expireGrace (every few seconds
 * on every node) drops parked chats whose time has passed, giving their bytes back; the real PEXPIRE only reclaims memory should no node
 * run again, its minute of margin absorbing clock skew between nodes. Each message in chat:<call> carries the bytes
 * it was counted as, so trimming and eviction give back exactly what was added. Past CHAT_MEMORY_LIMIT the scripts
 * that add chat drop parked chats first (oldest first), then the oldest messages of the live call whose chat began
 * first: the memory store's order.
 *
 * The scripts reach keys of several calls (a join leaves the previous call, found as it runs), so the keys are
 * built inside them rather than declared: this needs a single Redis primary, not Redis Cluster.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../../application/ports/clock';
import type {
  DisplacedCall,
  MediaMembership,
  Admission,
  AdmitRequest,
  ChatDraft,
  EndedCall,
  Eviction,
  HostRequest,
  JoinRequest,
  KickRequest,
  JoinOutcome,
  LeaveResult,
  Membership,
  MuteRequest,
  ResumeRequest,
  ResumeResult,
  NodeStanding,
  CallStore,
  SignalRoute,
} from '../../../application/ports/call-store';
import { banKeyOf, type CallOptions, type ChatMessage, type MediaState, type Participant, type RoleChange } from '../../../domain/call';
import { DomainError } from '../../../domain/errors';
import { refusal, type HostAction } from '../../../domain/host-rules';
import {
  admitScript,
  denyScript,
  endCallScript,
  evictDeadNodesScript,
  heartbeatScript,
  joinScript,
  kickScript,
  leaveScript,
  muteScript,
  postChatScript,
  setCallOptionsScript,
  setMediaScript,
  transferHostScript,
  unbanScript,
  unlockScript,
  mediaOfScript,
  placeRoomScript,
  loseServerScript,
  suspendScript,
  resumeScript,
  expireGraceScript,
  type ScriptContext,
} from './redis-call-store-scripts';
import type { LuaScript } from './lua-script';

export interface RedisCallStoreOptions {
  /** Starts every key, so that several stores (or test runs) can share one Redis. */
  keyPrefix: string;
  /** How long an emptied call's chat is kept, by the store's clock. */
  historyTtlMs: number;
  clock: Clock;
  /** Names this node in the keys (with a random suffix per instance) and in nothing else. */
  nodeId: string;
  /** A node silent for longer than this is dead. */
  livenessMs: number;
  /** How long the code of an ended ad-hoc call stays in use (codeInUse). */
  codeHoldMs: number;
  /** Bytes of chat (as chatMessageBytes counts them) kept across the cluster; the oldest goes first past it. */
  chatMemoryLimitBytes: number;
}

/** How many dead participants one script removes: bounds how long one script holds Redis. */
const EVICTION_BATCH = 500;
const SWEEP_LOCK_MS = 5_000;
const EVICTED_MARK_MS = 24 * 60 * 60 * 1000;

/** Parked chat and held codes outlive their store-clock expiry by this much in real time, for clock skew between nodes. */
const PARKED_EXPIRY_MARGIN_MS = 60_000;

const date = z.iso.datetime().transform((iso) => new Date(iso));
/** An array in a script's reply: cjson writes an empty one as {}, having no way to tell it from an empty object. */
const list = <T extends z.ZodType>(item: T) => z.preprocess((value) => (isEmptyObject(value) ? [] : value), z.array(item));
const participantReply = z.object({
  id: z.string(),
  name: z.string(),
  nameKey: z.string(),
  userId: z.string().nullable(),
  unnamed: z.boolean(),
  media: z.object({ audio: z.boolean(), video: z.boolean(), screen: z.boolean(), hand: z.boolean() }),
  joinedAt: date,
  role: z.enum(['host', 'member']),
  forcedOff: z.object({ audio: z.boolean(), video: z.boolean() }),
  banKey: z.string(),
  // Absent from participants stored before it existed: they bar their own key only.
  addressBanKey: z.string().optional(),
  connected: z.boolean(),
  // Absent from participants stored before it existed: as the scripts read them, they may be front ends without acks.
  meshOnly: z.boolean().default(true),
}).transform(({ addressBanKey, ...participant }) => ({ ...participant, addressBanKey: addressBanKey ?? participant.banKey }));
const mediaPath = z.enum(['mesh', 'sfu']);
const room = z.object({ server: z.string(), key: z.string() }).nullable();
const lobbyEntry = z.object({ id: z.string(), name: z.string(), userId: z.string().nullable() });
const roleChanges = list(
  z.union([z.object({ id: z.string(), role: z.literal('member') }), z.object({ id: z.string(), role: z.literal('host'), lobby: list(lobbyEntry) })]),
);
const callOptions = z.object({ locked: z.boolean(), lobby: z.boolean() });
/** A script's refusal (see Refusal in domain/host-rules). */
const refusedReply = z.object({
  refused: z.enum(['not-in-call', 'not-host', 'no-target', 'guest-host', 'banned', 'locked', 'not-waiting', 'mesh-only', 'forced-audio', 'forced-video']),
});
const messageReply = z.object({ id: z.string(), text: z.string(), sender: z.string(), senderId: z.string(), userId: z.string().nullable(), ts: date });
const leaveReply = z.object({
  callId: z.string(),
  participant: participantReply,
  at: date,
  remaining: list(participantReply),
  ended: z.object({ callId: z.string(), startedAt: date, endedAt: date, peakSize: z.number() }).nullable(),
  roleChanges,
  room,
});
const mediaChange = z.object({ path: mediaPath, moved: z.boolean() });
/** A join or an admission past the capacity of the path the call would take. */
const fullReply = z.object({ full: z.literal(true), capacity: z.number() });
const joinReply = z.union([
  fullReply,
  refusedReply,
  z.object({
    self: participantReply,
    participants: list(participantReply),
    history: list(messageReply),
    previous: leaveReply.nullable(),
    roleChanges,
    options: callOptions,
    lobby: list(lobbyEntry),
    media: mediaChange,
  }),
  z.object({ waiting: z.literal(true), knock: lobbyEntry, hostId: z.string().nullable(), previous: leaveReply.nullable() }),
]);
/** A participant's entry into a live call: its call, itself, the roster, the history and the options. */
const entryReply = z.object({
  callId: z.string(),
  self: participantReply,
  participants: list(participantReply),
  history: list(messageReply),
  options: callOptions,
});
const admitReply = entryReply.extend({ resumeToken: z.string().nullable(), media: mediaChange });
const membershipReply = z.object({ callId: z.string(), participant: participantReply });
const mediaMembershipReply = membershipReply.extend({ path: mediaPath, room });
const resumeReply = entryReply.extend({ previous: leaveReply.nullable(), replaced: z.string().nullable(), path: mediaPath });
const displacedReply = list(z.object({ callId: z.string(), path: mediaPath, stranded: z.boolean() }));
const endCallReply = z.object({
  callId: z.string(),
  removed: list(participantReply),
  ended: z.object({ callId: z.string(), startedAt: date, endedAt: date, peakSize: z.number() }),
  turnedAway: list(z.string()),
  room,
});
const evictReply = z.object({ evictions: list(z.object({ participantId: z.string(), left: leaveReply })), more: z.boolean() });
const heartbeatReply = z.object({ standing: z.enum(['alive', 'evicted']), epoch: z.string() });
const postChatReply = z.object({ callId: z.string(), message: messageReply }).nullable();
const setMediaReply = z.union([refusedReply, membershipReply.nullable()]);

/**
 * One script per method (routeSignal: one MGET, off the signal path since issue 21: signals are routed by the nodes'
 * rooms, SocketIoCallNotifier), so each socket event that changes state is one round trip and atomic in Redis.
 * Sweeping dead nodes takes a lock, then one script per batch.
 */
export class RedisCallStore implements CallStore {
  private readonly node: string;
  /** The data's epoch as of this store's last heartbeat; undefined before its first. */
  private epoch: string | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisCallStoreOptions,
  ) {
    this.node = `${options.nodeId}/${randomUUID()}`;
  }

  async join(request: JoinRequest): Promise<JoinOutcome> {
    const { callId, participant, media } = request;
    const stored: Participant = { ...participant, joinedAt: this.options.clock.now(), connected: true };
    const reply = await this.run(joinScript, {
      callId,
      participant: stored,
      media,
      naming: request.naming ?? undefined,
      ownerId: request.ownerId ?? '',
      lobbyByDefault: request.lobbyByDefault === true,
      resumeToken: request.resumeToken ?? undefined,
      connectionId: request.connectionId,
    });
    const result = joinReply.parse(reply);
    if ('full' in result) throw roomFull(result.capacity);
    if ('refused' in result) throw refusal(result.refused);
    return result;
  }

  async leave(participantId: string, connectionId?: string): Promise<LeaveResult | null> {
    return leaveReply.nullable().parse(await this.run(leaveScript, { participantId, connectionId }));
  }

  async routeSignal(fromId: string, toId: string): Promise<SignalRoute> {
    const [fromCall, toCall] = await reachable(this.redis.mget(this.memberKey(fromId), this.memberKey(toId)));
    if (fromCall === null) return 'sender-not-in-call';
    return fromId !== toId && toCall === fromCall ? 'deliver' : 'not-in-same-call';
  }

  async postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null> {
    const reply = await this.run(postChatScript, { participantId, id: draft.id, text: draft.text, historyLimit: limit, naming: draft.naming ?? undefined });
    return postChatReply.parse(reply);
  }

  async setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null> {
    const result = setMediaReply.parse(await this.run(setMediaScript, { participantId, change }));
    if (result && 'refused' in result) throw refusal(result.refused);
    return result;
  }

  async kick(request: KickRequest): Promise<LeaveResult> {
    return hostAnswer(await this.run(kickScript, request), leaveReply, 'kick');
  }

  async mute(request: MuteRequest): Promise<MediaMembership> {
    return hostAnswer(await this.run(muteScript, request), mediaMembershipReply, 'mute');
  }

  async setCallOptions(byId: string, change: Partial<CallOptions>): Promise<{ callId: string; options: CallOptions }> {
    return hostAnswer(await this.run(setCallOptionsScript, { byId, change }), z.object({ callId: z.string(), options: callOptions }), 'options');
  }

  async transferHost(request: HostRequest): Promise<{ callId: string; roleChanges: RoleChange[] }> {
    return hostAnswer(await this.run(transferHostScript, request), z.object({ callId: z.string(), roleChanges }), 'transfer');
  }

  async endCall(byId: string): Promise<EndedCall> {
    return hostAnswer(await this.run(endCallScript, { byId }), endCallReply, 'end');
  }

  async unban(byId: string, userId: string): Promise<{ callId: string; lifted: boolean }> {
    return hostAnswer(await this.run(unbanScript, { byId, banKey: banKeyOf(userId, '') }), z.object({ callId: z.string(), lifted: z.boolean() }), 'unban');
  }

  async suspend(participantId: string, connectionId: string, graceMs: number): Promise<Membership | null> {
    const graceUntilMs = this.options.clock.now().getTime() + graceMs;
    return membershipReply.nullable().parse(await this.run(suspendScript, { participantId, connectionId, graceUntilMs }));
  }

  async resume(request: ResumeRequest): Promise<ResumeResult | null> {
    return resumeReply.nullable().parse(await this.run(resumeScript, request));
  }

  async expireGrace(): Promise<Eviction[]> {
    const evictions: Eviction[] = [];
    for (let more = true; more; ) {
      const batch = evictReply.parse(await this.run(expireGraceScript, { limit: EVICTION_BATCH }));
      evictions.push(...batch.evictions);
      more = batch.more;
    }
    return evictions;
  }

  async admit(request: AdmitRequest): Promise<Admission> {
    const reply = await this.run(admitScript, request);
    const full = fullReply.safeParse(reply);
    if (full.success) throw roomFull(full.data.capacity);
    return hostAnswer(reply, admitReply, 'admit');
  }

  async deny(request: HostRequest): Promise<{ callId: string }> {
    return hostAnswer(await this.run(denyScript, request), z.object({ callId: z.string() }), 'deny');
  }

  async mediaOf(participantId: string): Promise<MediaMembership | null> {
    return mediaMembershipReply.nullable().parse(await this.run(mediaOfScript, { participantId }));
  }

  async placeRoom(participantId: string, offer: { servers: string[]; key: string }): Promise<MediaMembership | null> {
    return mediaMembershipReply.nullable().parse(await this.run(placeRoomScript, { participantId, ...offer }));
  }

  async loseServer(request: { server: string; sfuLeft: boolean; meshCapacity: number }): Promise<DisplacedCall[]> {
    return displacedReply.parse(await this.run(loseServerScript, request));
  }

  async heartbeat(): Promise<NodeStanding> {
    const { standing, epoch } = heartbeatReply.parse(await this.run(heartbeatScript, { epoch: randomUUID() }));
    const known = this.epoch ?? epoch;
    this.epoch = epoch;
    if (epoch !== known) return 'reset';
    return standing;
  }

  async evictDeadNodes(): Promise<Eviction[]> {
    const prefix = this.options.keyPrefix;
    const token = randomUUID();
    if ((await reachable(this.redis.set(`${prefix}sweep-lock`, token, 'PX', SWEEP_LOCK_MS, 'NX'))) !== 'OK') return [];
    const evictions: Eviction[] = [];
    try {
      for (let more = true; more; ) {
        const batch = evictReply.parse(await this.run(evictDeadNodesScript, { limit: EVICTION_BATCH, evictedMarkMs: EVICTED_MARK_MS }));
        evictions.push(...batch.evictions);
        more = batch.more;
      }
    } finally {
      await this.run(unlockScript, { token });
    }
    return evictions;
  }

  async countParticipants(callId: string): Promise<number> {
    return reachable(this.redis.llen(`${this.options.keyPrefix}roster:${callId}`));
  }

  async codeInUse(callId: string): Promise<boolean> {
    const prefix = this.options.keyPrefix;
    const replies = await reachable(this.redis.multi().exists(`${prefix}call:${callId}`).get(`${prefix}held:${callId}`).exec());
    const [live, held] = z.tuple([z.tuple([z.null(), z.number()]), z.tuple([z.null(), z.string().nullable()])]).parse(replies);
    return live[1] > 0 || (held[1] !== null && Number(held[1]) > this.options.clock.now().getTime());
  }

  /** Bytes of chat counted across the cluster now (chat-bytes), for tests and benchmarks. */
  async chatBytes(): Promise<number> {
    return Number((await reachable(this.redis.get(`${this.options.keyPrefix}chat-bytes`))) ?? '0');
  }

  /** One script call: the request with this store's context, its JSON reply parsed. */
  private async run<Request extends object>(script: LuaScript<Request>, request: Request): Promise<unknown> {
    return JSON.parse(await reachable(script.run(this.redis, this.context(), request)));
  }

  /** What every script is told: the key prefix, now by the store's clock, and the store's options. */
  private context(): ScriptContext {
    const { keyPrefix, codeHoldMs, historyTtlMs, chatMemoryLimitBytes, livenessMs } = this.options;
    const now = this.options.clock.now();
    return {
      prefix: keyPrefix,
      nowMs: now.getTime(),
      nowIso: now.toISOString(),
      codeHoldMs,
      parkUntilMs: now.getTime() + historyTtlMs,
      parkKeepPx: historyTtlMs + PARKED_EXPIRY_MARGIN_MS,
      marginMs: PARKED_EXPIRY_MARGIN_MS,
      chatLimitBytes: chatMemoryLimitBytes,
      node: this.node,
      livenessMs,
    };
  }

  private memberKey(participantId: string): string {
    return `${this.options.keyPrefix}member:${participantId}`;
  }
}

function roomFull(capacity: number): DomainError {
  return new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
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

/** A host action's answer, or the refusal it carries thrown as its domain error. */
function hostAnswer<T>(reply: unknown, schema: z.ZodType<T>, action: HostAction): T {
  const refused = refusedReply.safeParse(reply);
  if (refused.success) throw refusal(refused.data.refused, action);
  return schema.parse(reply);
}
