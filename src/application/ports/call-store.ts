import type { CallOptions, CallSummary, ChatMessage, ForcedKind, GuestNaming, MediaState, Participant, ParticipantDraft, RoleChange } from '../../domain/call';
import type { LobbyEntry } from '../../domain/lobby';
import type { MediaMode, MediaPath, RoomPlacement } from '../../domain/media-path';

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
  /** The call's media room as it was when they left (released with the call when `ended`); null for a mesh. */
  room: RoomPlacement | null;
}

/** What decides a call's media path (mediaEntry) besides what the store knows. */
export interface MediaFacts {
  /** What a call that starts with this join takes for good: the meeting's mode, else MEDIA_MODE. */
  mode: MediaMode;
  /** A media server is usable now (from this node). */
  sfuAvailable: boolean;
  /** SFU_FROM. */
  sfuFrom: number;
  /** MAX_PARTICIPANTS for a mesh, MAX_SFU_PARTICIPANTS on the SFU. */
  capacity: { mesh: number; sfu: number };
}

/** A call's media as a join or an admission leaves it; `moved` when that step moved the call onto the SFU. */
export interface CallMediaChange {
  path: MediaPath;
  moved: boolean;
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
  media: MediaFacts;
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
  /** How the call's media travels now. */
  path: MediaPath;
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
  media: CallMediaChange;
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
  media: CallMediaChange;
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
  /** As for a join; the mode is the call's own. */
  media: Omit<MediaFacts, 'mode'>;
}

export interface EndedCall {
  callId: string;
  /** Everyone who was in the call, the host included. */
  removed: Participant[];
  ended: CallSummary;
  /** Who was waiting in its lobby: turned away with it. */
  turnedAway: string[];
  /** Its media room, released: to be closed. */
  room: RoomPlacement | null;
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

/** A participant's call and where its media goes. */
export interface MediaMembership extends Membership {
  path: MediaPath;
  /** The call's room on the SFU; null for a mesh, or a call on the SFU not placed (yet, or again after a loss). */
  room: RoomPlacement | null;
}

/** What became of a call placed on a media server that was lost. */
export interface DisplacedCall {
  callId: string;
  /** sfu: to be placed again (or waiting for a server, when `stranded`); mesh: fell back to peer to peer. */
  path: MediaPath;
  stranded: boolean;
}

/*
 * Live calls, split by idea: each use case takes only the slices it uses; CallStore is all of them, which each
 * adapter implements whole. Every method answers one socket event in one atomic step (one round trip for a shared
 * store), touches a constant number of entries whatever the number of calls (sweeps say so), and reads time from the
 * store's own clock. Each store instance stands for one node (process); participants belong to the node that joined
 * them.
 *
 * The rules every store applies are written once in src/domain/call-rules.ts: who may enter (entryRefusal), as
 * what (placement: the lobby, host or member) and who succeeds a host who leaves (successor). A live call keeps the
 * owner its first join named for as long as it lasts: a meeting created later under its code grants nothing over it.
 * A call's lobby option starts from `lobbyByDefault` when the join creates it; the waiting list belongs to the call's
 * code and outlives the call. Host actions need `byId` to be the host of its call: NOT_IN_CALL when it is in no call,
 * FORBIDDEN when it is not the host, NOT_FOUND when the target is not in its call (or is the host itself).
 */

/** Who is in which call, and their media. */
export interface CallRoster {
  /** Leaves the previous call (or lobby), applies the rules, and enters or waits; answers roster and history as of one instant. */
  join(request: JoinRequest): Promise<JoinOutcome>;
  /** Who left and when, ending the call (chat parked for the history TTL) when last; null when in no call or, with `connectionId`, on another connection now. */
  leave(participantId: string, connectionId?: string): Promise<LeaveResult | null>;
  /**
   * Whether `fromId` may signal `toId`: both in one call, and not the same participant. The store's view of the rule;
   * RelaySignal routes by SignalRouter instead (no store read per signal).
   */
  routeSignal(fromId: string, toId: string): Promise<SignalRoute>;
  /** Merges the change; null when in no call; FORBIDDEN to turn on what a host forced off. */
  setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null>;
  /** How many are in the call now, on every node; 0 when it is not live. */
  countParticipants(callId: string): Promise<number>;
  /** Whether a call of this code is live, or an ad-hoc call of it ended less than the code hold ago. */
  codeInUse(callId: string): Promise<boolean>;
}

/** Each call's recent chat. */
export interface CallChat {
  /** Stamps the message with the sender (named first when `naming` is given and it is unnamed) and now, keeping the newest `limit`; null when in no call. */
  postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null>;
}

/** What a host does to its call. */
export interface CallModeration {
  /** Takes the target out; with `ban`, bars every key of banKeysOf(target) (an ad-hoc call's bans end with it). */
  kick(request: KickRequest): Promise<LeaveResult>;
  /** Turns the target's kind off; `force` keeps it from turning it back on (true) or lets it again (false). */
  mute(request: MuteRequest): Promise<MediaMembership>;
  /** Merges the change into the call's options. */
  setCallOptions(byId: string, change: Partial<CallOptions>): Promise<{ callId: string; options: CallOptions }>;
  /** Hands the host role to a logged-in target (a guest: FORBIDDEN); the new host gets the waiting list. */
  transferHost(request: HostRequest): Promise<{ callId: string; roleChanges: RoleChange[] }>;
  /** Removes everyone and empties the lobby; the call's chat is dropped, not parked. */
  endCall(byId: string): Promise<EndedCall>;
  /** Lifts a ban of an account, and of the address banned with it; answers whether there was one. */
  unban(byId: string, userId: string): Promise<{ callId: string; lifted: boolean }>;
}

/** Who waits in a call's lobby (join puts them there). */
export interface CallLobby {
  /** Joins a waiter of the host's call as a member stamped now, with the resume token its join brought; ROOM_FULL at capacity (the lock does not apply). */
  admit(request: AdmitRequest): Promise<Admission>;
  /** Takes a waiter of the host's call off its lobby. */
  deny(request: HostRequest): Promise<{ callId: string }>;
}

/** A dropped participant kept in its call for a while, to come back on another connection. */
export interface ReconnectGrace {
  /** Marks a resumable participant on `connectionId` disconnected until `graceMs` from now; a waiter is taken off its lobby; null otherwise. */
  suspend(participantId: string, connectionId: string, graceMs: number): Promise<Membership | null>;
  /** The participant of an unspent token within its grace, bound to `connectionId` with `nextToken`; the connection's former participant leaves first; null otherwise. */
  resume(request: ResumeRequest): Promise<ResumeResult | null>;
  /** A sweep: takes those suspended past their grace out of their calls, walking only those. */
  expireGrace(): Promise<Eviction[]>;
}

/** Which nodes are alive, and what a dead one leaves behind. */
export interface NodeLiveness {
  /** Marks this node alive for the liveness window; 'reset' once after the store lost its data, 'evicted' once after it was taken for dead. */
  heartbeat(): Promise<NodeStanding>;
  /** A sweep: takes the participants of nodes silent past the liveness window out of their calls, one sweeping node at a time. */
  evictDeadNodes(): Promise<Eviction[]>;
}

/** Where each call's media goes: its path (mediaEntry applies it in join and admit) and its room on the SFU. */
export interface CallMedia {
  /** The participant's call and media; null when in no call. */
  mediaOf(participantId: string): Promise<MediaMembership | null>;
  /**
   * As mediaOf, placing a call on the SFU that has no room yet: `key` on the least loaded of `servers` (leastLoaded),
   * at most one room per call, whichever node asks first; a call with a room keeps it. null when in no call.
   */
  placeRoom(participantId: string, offer: { servers: string[]; key: string }): Promise<MediaMembership | null>;
  /** Takes every call off a lost server (afterServerLoss decides each one's path); a server holding none is no error. */
  loseServer(request: { server: string; sfuLeft: boolean; meshCapacity: number }): Promise<DisplacedCall[]>;
}

export type CallStore = CallRoster & CallChat & CallModeration & CallLobby & ReconnectGrace & NodeLiveness & CallMedia;
