import type { CallOptions, CallSummary, ChatMessage, ForcedKind, GuestNaming, MediaState, Participant, ParticipantDraft, RoleChange } from '../../domain/call';
import type { LobbyEntry } from '../../domain/lobby';

/** Whether a signal from one participant may go to another: both must be in the same call, and not the same one. */
export type SignalRoute = 'deliver' | 'sender-not-in-call' | 'not-in-same-call';

export interface LeaveResult {
  callId: string;
  /** Who left, as stored until then (with the time they joined). */
  participant: Participant;
  /** When they left, by the store's clock: for an eviction, when the sweeping node found their node dead. */
  at: Date;
  remaining: Participant[];
  /** Set when the leaver was the last one: the call is gone; its chat is kept for the history TTL. */
  ended: CallSummary | null;
  /** Who took over as host when the leaver was it. */
  roleChanges: RoleChange[];
}

export interface JoinRequest {
  callId: string;
  /**
   * As it is to be stored, the store stamping `joinedAt`; a guest carries the name it chose, settled by `naming`
   * against the call's roster.
   */
  participant: ParticipantDraft;
  /** For a guest: the name it takes when a logged-in participant of the call already goes by its name. */
  naming: GuestNaming | null;
  capacity: number;
  /** The owner of the meeting with this code, null for an ad-hoc call (nobody created the code). */
  ownerId: string | null;
  /** Set: the participant may resume with it after its connection drops (see suspend/resume). */
  resumeToken: string | null;
  /** The connection (socket) this participant is on; a drop of an older connection is then ignored. */
  connectionId: string;
  /** The lobby option a call that starts with this join takes (the meeting's); false when left out. */
  lobbyByDefault?: boolean;
}

export interface ResumeRequest {
  token: string;
  /** The call the resuming client asks for: a token of another call does not resume. */
  callId: string;
  connectionId: string;
  /** Who the resuming connection speaks for now: when that is someone else, they leave their call (or lobby) first. */
  participantId: string;
  /** Replaces `token`, which is then spent: a token resumes once. */
  nextToken: string;
}

/** What a resume gives back: the participant as it was (id, role, media), and the call as it is now. */
export interface ResumeResult {
  callId: string;
  self: Participant;
  participants: Participant[];
  history: ChatMessage[];
  options: CallOptions;
  /** The call the connection's former participant left, when resuming moved it out of one. */
  previous: LeaveResult | null;
  /** The connection the participant was on until now when it is another one (it may still be open): to be closed. */
  replaced: string | null;
}

export interface JoinResult {
  /** The participant as stored, its name settled. */
  self: Participant;
  /** The roster after joining, in join order. */
  participants: Participant[];
  /** The call's chat at the moment of joining, oldest first: a later message arrives live, never in both. */
  history: ChatMessage[];
  /** The call this participant was in before, when joining moved them out of it. */
  previous: LeaveResult | null;
  /** Others whose role changed with this join (a host who made way for the owner). */
  roleChanges: RoleChange[];
  options: CallOptions;
  /** For a host: who waits in the lobby, in arrival order; [] for anyone else. */
  lobby: LobbyEntry[];
}

/** A join the lobby held back: the joiner waits for a host's admit or deny, in no call meanwhile. */
export interface LobbyWait {
  waiting: true;
  knock: LobbyEntry;
  /** The host to tell; null when the call has none now (the joiner waits for one). */
  hostId: string | null;
  /** The call this participant was in before, when knocking moved them out of it. */
  previous: LeaveResult | null;
}

export type JoinOutcome = JoinResult | LobbyWait;

/** The joined call as an admitted participant gets it: what a join answers. */
export interface Admission {
  callId: string;
  self: Participant;
  participants: Participant[];
  history: ChatMessage[];
  options: CallOptions;
  /** The resume token the waiter joined with, in effect from now; null when it joined without one. */
  resumeToken: string | null;
}

/** A host's action on another participant of its call. */
export interface HostRequest {
  byId: string;
  targetId: string;
}

export interface KickRequest extends HostRequest {
  /** Bar the target's ban key from the call: an owned meeting's until unbanned, an ad-hoc call's until it ends. */
  ban: boolean;
}

export interface MuteRequest extends HostRequest {
  kind: ForcedKind;
  /** true: the target cannot turn it back on; false: it can again; undefined: as it was. */
  force: boolean | undefined;
}

export interface AdmitRequest extends HostRequest {
  capacity: number;
}

export interface EndedCall {
  callId: string;
  /** Everyone who was in the call, the host included. */
  removed: Participant[];
  ended: CallSummary;
  /** Who was waiting in its lobby: turned away with it. */
  turnedAway: string[];
}

export interface ChatDraft {
  id: string;
  text: string;
  /** For a guest still unnamed: the name it takes with this message, for good. */
  naming: GuestNaming | null;
}

/** A participant of a dead node, taken out of its call by a surviving node. */
export interface Eviction {
  participantId: string;
  left: LeaveResult;
}

/**
 * alive; evicted: this node was taken for dead while it was silent, and its participants are gone from their calls;
 * reset: the store lost its data (every call, on every node) since this node's last heartbeat.
 */
export type NodeStanding = 'alive' | 'evicted' | 'reset';

export interface Membership {
  callId: string;
  participant: Participant;
}

/**
 * Live calls: who is in which call, their media state, and each call's recent chat. Each method answers one
 * socket event in one atomic step (one round trip for a shared store), touches a constant number of entries
 * whatever the number of calls, and reads time from the store's own clock.
 * join: leaves the participant's previous call (rejoining the same call leaves it too), checks capacity
 *   (DomainError ROOM_FULL, nothing changed), adds the participant stamped with joinedAt = now, and returns it with
 *   the roster and the chat history, all as of the same instant.
 * leave: null when the participant is in no call; otherwise who left and when (now). The last one out ends the
 *   call; its chat is kept for the store's history TTL (a joiner within it gets it back), then dropped.
 * routeSignal: whether `fromId` may signal `toId`; a signal to oneself is not-in-same-call.
 * postChat: stamps the message with the sender (named first when `naming` is given and it is still unnamed) and
 *   the store's time, appends it to the sender's call keeping the newest `limit`; null when the sender is in no call.
 * setMedia: merges the change; null when the participant is in no call.
 * Roles: the owner of an owned meeting is host whenever present (a host it finds makes way); in an ad-hoc call the
 *   first logged-in joiner becomes host when there is none; when the host leaves, the longest-present logged-in
 *   participant takes over. Results list the roles that changed.
 * The owner of a call is the one its first join named (`ownerId`), for as long as the call lasts: a meeting created
 *   later under the code of a live ad-hoc call grants nothing over it.
 * join also refuses a banned ban key (BANNED) and, in a locked call, anyone but the owner (CALL_LOCKED). A ban
 *   bars every key of banKeysOf(target); unban of an account lifts the address banned with it too.
 * leave: with `connectionId`, only when the participant is still on that connection (a resumed participant's old
 *   connection closing does not take it out).
 * codeInUse: whether a call of this code is live, or an ad-hoc call of it ended less than `codeHoldMs` ago.
 * Host actions (kick, mute, setCallOptions, transferHost, endCall, unban) need `byId` to be the host of its call:
 *   NOT_IN_CALL when it is in no call, FORBIDDEN when it is not the host, NOT_FOUND when the target is not in its
 *   call (or is the host itself). transferHost to a guest: FORBIDDEN.
 * setMedia refuses (FORBIDDEN) to turn on what a host forced off.
 * suspend: marks a resumable participant disconnected until `graceMs` from now (store clock); null when it is in no
 *   call, was joined without a resume token, or is now on another connection than `connectionId` (resumed). A
 *   participant waiting in a lobby has nothing to keep: suspend takes it off the waiting list and answers null.
 * resume: the participant of `token`, connected again on `connectionId` and this node, its token replaced by
 *   `nextToken`; null when the token is unknown or spent, its participant left (or was kicked), it belongs to another
 *   call, or its grace has passed (by the store's clock, whether or not expireGrace has run). When the connection
 *   spoke for another participant, that one leaves its call (or lobby) in the same step (`previous`).
 * expireGrace: takes participants suspended past their grace out of their calls, as evictDeadNodes does.
 * Each store instance stands for one node (process); participants belong to the node that joined them.
 * heartbeat: marks this node alive for the store's liveness window; answers 'reset' once after the store lost its
 *   data meanwhile (a silence alone is no loss), else 'evicted' once after this node was taken for dead meanwhile,
 *   'alive' otherwise.
 * evictDeadNodes: takes the participants of nodes silent for longer than the liveness window out of their calls,
 *   one sweeping node at a time, and returns what each removal left; [] when no node is dead or another node is
 *   sweeping. A store whose nodes all live in one process never finds a dead one.
 * countParticipants: how many are in the call now, on every node; 0 when it is not live.
 * Lobby: a call's lobby option starts from `lobbyByDefault` when the join creates it. While it is on, a joiner not
 *   already in the call who does not become host by joining (the owner; in an ad-hoc call without a host, a
 *   logged-in joiner) passes the ban, lock and capacity checks, leaves its previous call, and waits: join answers a
 *   LobbyWait and the joiner is in no call (routeSignal, postChat, setMedia answer as for someone in no call).
 *   The waiting list belongs to the call's code and outlives the call: waiters of an owned meeting wait for its host.
 *   A join (of any call) or a leave takes the participant off any waiting list first; a leave of a waiting
 *   participant answers null. admit and deny are host actions whose target must wait in the host's call's lobby
 *   (NOT_FOUND otherwise); admit checks capacity (ROOM_FULL), not the lock, and joins the target as a member
 *   stamped now, with the resume token (and connection) its join brought, which only then starts to resume it.
 *   endCall empties the lobby too.
 */
export interface RoomStore {
  join(request: JoinRequest): Promise<JoinOutcome>;
  leave(participantId: string, connectionId?: string): Promise<LeaveResult | null>;
  routeSignal(fromId: string, toId: string): Promise<SignalRoute>;
  postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null>;
  setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null>;
  kick(request: KickRequest): Promise<LeaveResult>;
  mute(request: MuteRequest): Promise<Membership>;
  setCallOptions(byId: string, change: Partial<CallOptions>): Promise<{ callId: string; options: CallOptions }>;
  transferHost(request: HostRequest): Promise<{ callId: string; roleChanges: RoleChange[] }>;
  /** Removes everyone; the call's chat is dropped, not kept for the history TTL. */
  endCall(byId: string): Promise<EndedCall>;
  /** Lifts a ban of an account from the host's call; answers whether there was one. */
  unban(byId: string, userId: string): Promise<{ callId: string; lifted: boolean }>;
  suspend(participantId: string, connectionId: string, graceMs: number): Promise<Membership | null>;
  resume(request: ResumeRequest): Promise<ResumeResult | null>;
  expireGrace(): Promise<Eviction[]>;
  admit(request: AdmitRequest): Promise<Admission>;
  deny(request: HostRequest): Promise<{ callId: string }>;
  heartbeat(): Promise<NodeStanding>;
  evictDeadNodes(): Promise<Eviction[]>;
  countParticipants(callId: string): Promise<number>;
  codeInUse(callId: string): Promise<boolean>;
}
