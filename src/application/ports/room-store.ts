import type { CallSummary, ChatMessage, MediaState, Participant } from '../../domain/call';

/** Whether a signal from one participant may go to another: both must be in the same call, and not the same one. */
export type SignalRoute = 'deliver' | 'sender-not-in-call' | 'not-in-same-call';

export interface LeaveResult {
  callId: string;
  remaining: Participant[];
  /** Set when the leaver was the last one: the call is gone; its chat is kept for the history TTL. */
  ended: CallSummary | null;
}

/**
 * Live calls: who is in which call, their media state, and each call's recent chat.
 * Every method is async so a shared store (Redis) can implement it; each costs O(1) in the number of calls.
 * join: atomic; throws DomainError ROOM_FULL when the call already holds `capacity` participants.
 *   The participant must not be in a call (leave first). Returns the roster after joining, in join order.
 * leave: null when the participant is in no call.
 * callOf / membership: null when the participant is in no call.
 * participants: [] for a call that does not exist.
 * appendChat: keeps only the newest `limit` messages of that call.
 * chatHistory: oldest first; an empty call's history is kept for the store's TTL after the last leave, then dropped.
 * routeSignal: one lookup answering whether `fromId` may signal `toId` (a signal to oneself is not-in-same-call).
 * setMedia: merges the change; null when the participant is in no call.
 * nameGuest: gives a participant that is still `unnamed` this name (and clears `unnamed`); a named one is left as
 *   it is. Returns the participant as stored afterwards; null when it is in no call.
 */
export interface RoomStore {
  join(callId: string, participant: Participant, capacity: number, now: Date): Promise<Participant[]>;
  leave(participantId: string, now: Date): Promise<LeaveResult | null>;
  callOf(participantId: string): Promise<string | null>;
  routeSignal(fromId: string, toId: string): Promise<SignalRoute>;
  membership(participantId: string): Promise<{ callId: string; participant: Participant } | null>;
  participants(callId: string): Promise<Participant[]>;
  appendChat(callId: string, message: ChatMessage, limit: number): Promise<void>;
  chatHistory(callId: string, now: Date): Promise<ChatMessage[]>;
  setMedia(participantId: string, change: Partial<MediaState>): Promise<Participant | null>;
  nameGuest(participantId: string, name: string): Promise<Participant | null>;
}
