import type { CallSummary, ChatMessage, GuestNaming, MediaState, Participant, ParticipantDraft } from '../../domain/call';

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

/** alive, or evicted: this node was taken for dead while it was silent, and its participants are gone from their calls. */
export type NodeStanding = 'alive' | 'evicted';

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
 * Each store instance stands for one node (process); participants belong to the node that joined them.
 * heartbeat: marks this node alive for the store's liveness window; answers 'evicted' once after this node was
 *   taken for dead meanwhile, 'alive' otherwise.
 * evictDeadNodes: takes the participants of nodes silent for longer than the liveness window out of their calls,
 *   one sweeping node at a time, and returns what each removal left; [] when no node is dead or another node is
 *   sweeping. A store whose nodes all live in one process never finds a dead one.
 */
export interface RoomStore {
  join(request: JoinRequest): Promise<JoinResult>;
  leave(participantId: string): Promise<LeaveResult | null>;
  routeSignal(fromId: string, toId: string): Promise<SignalRoute>;
  postChat(participantId: string, draft: ChatDraft, limit: number): Promise<{ callId: string; message: ChatMessage } | null>;
  setMedia(participantId: string, change: Partial<MediaState>): Promise<Membership | null>;
  heartbeat(): Promise<NodeStanding>;
  evictDeadNodes(): Promise<Eviction[]>;
}
