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
 *
 * call:<call> also holds owner (the meeting's owner id, '' for an ad-hoc call), locked and lobby ('1' or '0'); a
 * participant's JSON in people:<call> also holds `node` (the node it is connected to), `connection` (its socket) and
 * `resume` (its token), which replies drop. A waiting participant is in node:<node> too (so a dead node's waiters
 * are swept), never in member:<participant>. The lobby keys outlive the call: waiters of an owned meeting wait for
 * its host.
 *
 * <node> is NODE_ID plus a random id per store instance, so a restarted process never inherits a dead one's
 * participants. Liveness rides on Redis expiry (alive:<node>), not on the nodes' clocks. Data loss is told by the epoch,
 * not by alive:<node>, which a long enough freeze also expires: each store remembers the epoch of its first heartbeat.
 *
 * A join of the call drops parked chat past chat-until (the store's clock rules); the real PEXPIRE only reclaims
 * memory of calls nobody rejoins, its minute of margin absorbing clock skew between nodes.
 *
 * The scripts reach keys of several calls (a join leaves the previous call, found as it runs), so the keys are
 * built inside them rather than declared: this needs a single Redis primary, not Redis Cluster.
 */
import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import { z } from 'zod';
import type { Clock } from '../../../application/ports/clock';
import type {
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
import { banKeyOf, type CallOptions, type ChatMessage, type GuestNaming, type MediaState, type Participant, type RoleChange } from '../../../domain/call';
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
  suspendScript,
  resumeScript,
  expireGraceScript,
} from './redis-call-store-scripts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    callStoreJoin(...argv: string[]): Result<string, Context>;
    callStoreLeave(...argv: string[]): Result<string, Context>;
    callStorePostChat(...argv: string[]): Result<string, Context>;
    callStoreSetMedia(...argv: string[]): Result<string, Context>;
    callStoreHeartbeat(...argv: string[]): Result<[string, string], Context>;
    callStoreEvictDeadNodes(...argv: string[]): Result<string, Context>;
    callStoreUnlock(...argv: string[]): Result<string, Context>;
    callStoreKick(...argv: string[]): Result<string, Context>;
    callStoreMute(...argv: string[]): Result<string, Context>;
    callStoreSetCallOptions(...argv: string[]): Result<string, Context>;
    callStoreTransferHost(...argv: string[]): Result<string, Context>;
    callStoreEndCall(...argv: string[]): Result<string, Context>;
    callStoreUnban(...argv: string[]): Result<string, Context>;
    callStoreSuspend(...argv: string[]): Result<string, Context>;
    callStoreResume(...argv: string[]): Result<string, Context>;
    callStoreExpireGrace(...argv: string[]): Result<string, Context>;
    callStoreAdmit(...argv: string[]): Result<string, Context>;
    callStoreDeny(...argv: string[]): Result<string, Context>;
  }
}

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
}

/** How many dead participants one script removes: bounds how long one script holds Redis. */
const EVICTION_BATCH = 500;
const SWEEP_LOCK_MS = 5_000;
const EVICTED_MARK_MS = 24 * 60 * 60 * 1000;

/** Parked chat and held codes outlive their store-clock expiry by this much in real time, for clock skew between nodes. */
const PARKED_EXPIRY_MARGIN_MS = 60_000;

const date = z.iso.datetime().transform((iso) => new Date(iso));
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
}).transform(({ addressBanKey, ...participant }) => ({ ...participant, addressBanKey: addressBanKey ?? participant.banKey }));
const lobbyEntry = z.object({ id: z.string(), name: z.string(), userId: z.string().nullable() });
const roleChanges = z.array(
  z.union([z.object({ id: z.string(), role: z.literal('member') }), z.object({ id: z.string(), role: z.literal('host'), lobby: z.array(lobbyEntry) })]),
);
const callOptions = z.object({ locked: z.boolean(), lobby: z.boolean() });
/** A script's refusal (see Refusal in domain/host-rules). */
const refusedReply = z.object({
  refused: z.enum(['not-in-call', 'not-host', 'no-target', 'guest-host', 'banned', 'locked', 'not-waiting', 'forced-audio', 'forced-video']),
});
const messageReply = z.object({ id: z.string(), text: z.string(), sender: z.string(), senderId: z.string(), userId: z.string().nullable(), ts: date });
const leaveReply = z.object({
  callId: z.string(),
  participant: participantReply,
  at: date,
  remaining: z.array(participantReply),
  ended: z.object({ callId: z.string(), startedAt: date, endedAt: date, peakSize: z.number() }).nullable(),
  roleChanges,
});
const joinReply = z.union([
  z.object({ full: z.literal(true) }),
  refusedReply,
  z.object({
    self: participantReply,
    participants: z.array(participantReply),
    history: z.array(messageReply),
    previous: leaveReply.nullable(),
    roleChanges,
    options: callOptions,
    lobby: z.array(lobbyEntry),
  }),
  z.object({ waiting: z.literal(true), knock: lobbyEntry, hostId: z.string().nullable(), previous: leaveReply.nullable() }),
]);
const admitReply = z.object({
  callId: z.string(),
  self: participantReply,
  participants: z.array(participantReply),
  history: z.array(messageReply),
  options: callOptions,
  resumeToken: z.string().nullable(),
});
const membershipReply = z.object({ callId: z.string(), participant: participantReply });
const resumeReply = z.object({
  callId: z.string(),
  self: participantReply,
  participants: z.array(participantReply),
  history: z.array(messageReply),
  options: callOptions,
  previous: leaveReply.nullable(),
  replaced: z.string().nullable(),
});
const endCallReply = z.object({
  callId: z.string(),
  removed: z.array(participantReply),
  ended: z.object({ callId: z.string(), startedAt: date, endedAt: date, peakSize: z.number() }),
  turnedAway: z.array(z.string()),
});
const evictReply = z.object({ evictions: z.array(z.object({ participantId: z.string(), left: leaveReply })), more: z.boolean() });
const heartbeatReply = z.tuple([z.enum(['alive', 'evicted']), z.string()]);
const postChatReply = z.object({ callId: z.string(), message: messageReply }).nullable();
const setMediaReply = z.union([refusedReply, membershipReply.nullable()]);

/**
 * One script per method (routeSignal: one MGET), so each socket event is one round trip and atomic in Redis.
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
    redis.defineCommand('callStoreJoin', { lua: joinScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreLeave', { lua: leaveScript, numberOfKeys: 0 });
    redis.defineCommand('callStorePostChat', { lua: postChatScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreSetMedia', { lua: setMediaScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreHeartbeat', { lua: heartbeatScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreEvictDeadNodes', { lua: evictDeadNodesScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreUnlock', { lua: unlockScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreKick', { lua: kickScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreMute', { lua: muteScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreSetCallOptions', { lua: setCallOptionsScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreTransferHost', { lua: transferHostScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreEndCall', { lua: endCallScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreUnban', { lua: unbanScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreSuspend', { lua: suspendScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreResume', { lua: resumeScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreExpireGrace', { lua: expireGraceScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreAdmit', { lua: admitScript, numberOfKeys: 0 });
    redis.defineCommand('callStoreDeny', { lua: denyScript, numberOfKeys: 0 });
  }

  async join(request: JoinRequest): Promise<JoinOutcome> {
    const { callId, participant, capacity } = request;
    const times = this.times();
    const stored: Participant = { ...participant, joinedAt: times.now, connected: true };
    const reply = await reachable(this.redis.callStoreJoin(
      this.context(),
      participant.id,
      callId,
      JSON.stringify(stored),
      String(capacity),
      String(times.now.getTime()),
      ...times.leave,
      ...namingArgs(request.naming),
      this.node,
      String(this.options.livenessMs),
      request.ownerId ?? '',
      request.lobbyByDefault ? '1' : '0',
      request.resumeToken ?? '',
      request.connectionId,
    ));
    const result = joinReply.parse(JSON.parse(reply));
    if ('full' in result) throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    if ('refused' in result) throw refusal(result.refused);
    return result;
  }

  async leave(participantId: string, connectionId?: string): Promise<LeaveResult | null> {
    const reply = await reachable(this.redis.callStoreLeave(this.context(), participantId, ...this.times().leave, connectionId ?? ''));
    return leaveReply.nullable().parse(JSON.parse(reply));
  }

  async routeSignal(fromId: string, toId: string): Promise<SignalRoute> {
    const [fromCall, toCall] = await reachable(this.redis.mget(this.memberKey(fromId), this.memberKey(toId)));
    if (fromCall === null) return 'sender-not-in-call';
    return fromId !== toId && toCall === fromCall ? 'deliver' : 'not-in-same-call';
  }

  async postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null> {
    const reply = await reachable(this.redis.callStorePostChat(
      this.context(),
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
    const reply = await reachable(this.redis.callStoreSetMedia(this.context(), participantId, JSON.stringify(change)));
    const result = setMediaReply.parse(JSON.parse(reply));
    if (result && 'refused' in result) throw refusal(result.refused);
    return result;
  }

  async kick(request: KickRequest): Promise<LeaveResult> {
    const reply = await reachable(
      this.redis.callStoreKick(this.context(), request.byId, request.targetId, request.ban ? '1' : '0', ...this.times().leave),
    );
    return hostAnswer(reply, leaveReply, 'kick');
  }

  async mute(request: MuteRequest): Promise<Membership> {
    const force = request.force === undefined ? '' : request.force ? '1' : '0';
    const reply = await reachable(this.redis.callStoreMute(this.context(), request.byId, request.targetId, request.kind, force));
    return hostAnswer(reply, membershipReply, 'mute');
  }

  async setCallOptions(byId: string, change: Partial<CallOptions>): Promise<{ callId: string; options: CallOptions }> {
    const reply = await reachable(this.redis.callStoreSetCallOptions(this.context(), byId, flagArg(change.locked), flagArg(change.lobby)));
    return hostAnswer(reply, z.object({ callId: z.string(), options: callOptions }), 'options');
  }

  async transferHost(request: HostRequest): Promise<{ callId: string; roleChanges: RoleChange[] }> {
    const reply = await reachable(this.redis.callStoreTransferHost(this.context(), request.byId, request.targetId));
    return hostAnswer(reply, z.object({ callId: z.string(), roleChanges }), 'transfer');
  }

  async endCall(byId: string): Promise<EndedCall> {
    const reply = await reachable(this.redis.callStoreEndCall(this.context(), byId, this.options.clock.now().toISOString()));
    return hostAnswer(reply, endCallReply, 'end');
  }

  async unban(byId: string, userId: string): Promise<{ callId: string; lifted: boolean }> {
    const reply = await reachable(this.redis.callStoreUnban(this.context(), byId, banKeyOf(userId, '')));
    return hostAnswer(reply, z.object({ callId: z.string(), lifted: z.boolean() }), 'unban');
  }

  async suspend(participantId: string, connectionId: string, graceMs: number): Promise<Membership | null> {
    const until = this.options.clock.now().getTime() + graceMs;
    const reply = await reachable(this.redis.callStoreSuspend(this.context(), participantId, connectionId, String(until)));
    return membershipReply.nullable().parse(JSON.parse(reply));
  }

  async resume(request: ResumeRequest): Promise<ResumeResult | null> {
    const { now, leave } = this.times();
    const reply = await reachable(
      this.redis.callStoreResume(
        this.context(),
        request.token,
        request.callId,
        request.connectionId,
        this.node,
        String(this.options.livenessMs),
        String(now.getTime()),
        request.participantId,
        request.nextToken,
        ...leave,
      ),
    );
    return resumeReply.nullable().parse(JSON.parse(reply));
  }

  async expireGrace(): Promise<Eviction[]> {
    const evictions: Eviction[] = [];
    for (let more = true; more; ) {
      const { now, leave } = this.times();
      const reply = await reachable(this.redis.callStoreExpireGrace(this.context(), String(now.getTime()), String(EVICTION_BATCH), ...leave));
      const batch = evictReply.parse(JSON.parse(reply));
      evictions.push(...batch.evictions);
      more = batch.more;
    }
    return evictions;
  }

  async admit(request: AdmitRequest): Promise<Admission> {
    const { byId, targetId, capacity } = request;
    const reply = await reachable(
      this.redis.callStoreAdmit(this.context(), byId, targetId, String(capacity), this.options.clock.now().toISOString()),
    );
    if (z.object({ full: z.literal(true) }).safeParse(JSON.parse(reply)).success) {
      throw new DomainError('ROOM_FULL', `This call is full (${capacity} participants)`);
    }
    return hostAnswer(reply, admitReply, 'admit');
  }

  async deny(request: HostRequest): Promise<{ callId: string }> {
    const reply = await reachable(this.redis.callStoreDeny(this.context(), request.byId, request.targetId));
    return hostAnswer(reply, z.object({ callId: z.string() }), 'deny');
  }

  async heartbeat(): Promise<NodeStanding> {
    const reply = await reachable(this.redis.callStoreHeartbeat(this.context(), this.node, String(this.options.livenessMs), randomUUID()));
    const [standing, epoch] = heartbeatReply.parse(reply);
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
        const reply = await reachable(
          this.redis.callStoreEvictDeadNodes(this.context(), String(EVICTION_BATCH), ...this.times().leave, String(EVICTED_MARK_MS)),
        );
        const batch = evictReply.parse(JSON.parse(reply));
        evictions.push(...batch.evictions);
        more = batch.more;
      }
    } finally {
      await reachable(this.redis.callStoreUnlock(this.context(), token));
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

  /** ARGV[1] of every script: the key prefix, the code hold and now, by the store's clock. */
  private context(): string {
    const { keyPrefix, codeHoldMs } = this.options;
    return JSON.stringify({ prefix: keyPrefix, codeHoldMs, nowMs: this.options.clock.now().getTime(), marginMs: PARKED_EXPIRY_MARGIN_MS });
  }

  private memberKey(participantId: string): string {
    return `${this.options.keyPrefix}member:${participantId}`;
  }

  /** Now, and what a leave needs: now as ISO, until when chat parked now is kept (store-clock ms), its PEXPIRE. */
  private times(): { now: Date; leave: [string, string, string] } {
    const now = this.options.clock.now();
    const { historyTtlMs } = this.options;
    return {
      now,
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

/** A host action's answer, or the refusal it carries thrown as its domain error. */
function hostAnswer<T>(reply: string, schema: z.ZodType<T>, action: HostAction): T {
  const parsed: unknown = JSON.parse(reply);
  const refused = refusedReply.safeParse(parsed);
  if (refused.success) throw refusal(refused.data.refused, action);
  return schema.parse(parsed);
}

/** A flag for a script: '1', '0', or '' for as it was. */
function flagArg(value: boolean | undefined): string {
  return value === undefined ? '' : value ? '1' : '0';
}

function namingArgs(naming: GuestNaming | null): [string, string, string, string] {
  return naming ? ['1', naming.name, naming.key, naming.ifTaken] : ['0', '', '', ''];
}
