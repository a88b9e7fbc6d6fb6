import type { LobbyEntry } from './lobby';
import { codePointLength, unseenCharacterProblem, utf8ByteLength } from './text';

export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
  hand: boolean;
}

export const INITIAL_MEDIA: MediaState = { audio: false, video: false, screen: false, hand: false };

/** One host per call at most: the owner of an owned meeting when present, else who the host rules chose. */
export type Role = 'host' | 'member';

/** What a host can switch off for good (until the host allows it again). */
export type ForcedKind = 'audio' | 'video';

export interface Participant {
  /** The connection's id; peers address each other by it. */
  id: string;
  name: string;
  /** The name as compared between people (see nameKey): stores compare keys, not names. */
  nameKey: string;
  /** Set for a logged-in participant; null for a guest. */
  userId: string | null;
  /** True while a guest has no name of its own: the `sender` of its first chat then becomes its name, once. */
  unnamed: boolean;
  media: MediaState;
  /** When the participant joined this call, by the clock of the store that took them in. */
  joinedAt: Date;
  role: Role;
  /** Kinds a host muted with force: the participant cannot turn them back on. */
  forcedOff: Record<ForcedKind, boolean>;
  /** What a join is checked against and a ban bars: `user:<id>` for an account, `address:<ip>` for a guest. */
  banKey: string;
  /**
   * `address:<ip>`, the address it joined from: a ban of an account bars guests from that address too (see
   * banKeysOf); for a guest it is its banKey.
   */
  addressBanKey: string;
  /** False while its connection dropped and it may still resume (within the reconnect grace). */
  connected: boolean;
  /** It can take part in a mesh only (a front end that joins without acks): its call stays peer to peer. */
  meshOnly: boolean;
}

export interface CallOptions {
  /** Nobody new may join (CALL_LOCKED), except the owner. */
  locked: boolean;
  /** Newcomers wait in the lobby until a host admits them, except who becomes host by joining. */
  lobby: boolean;
}

export const INITIAL_CALL_OPTIONS: CallOptions = { locked: false, lobby: false };

/** A change of role; one to host brings the call's waiting list, on which the new host now decides. */
export type RoleChange = { id: string; role: 'member' } | { id: string; role: 'host'; lobby: LobbyEntry[] };

/** The ban key of a participant: its account, or for a guest the address it connects from. */
export function banKeyOf(userId: string | null, address: string): string {
  return userId === null ? addressBanKeyOf(address) : `user:${userId}`;
}

export function addressBanKeyOf(address: string): string {
  return `address:${address}`;
}

/**
 * What a ban of this participant bars: its own key and the address it joined from, so that a banned account cannot
 * come straight back as a guest. Joiners with an account are checked by account only: colleagues behind one office
 * address who sign in are not barred with it.
 */
export function banKeysOf(participant: Pick<Participant, 'banKey' | 'addressBanKey'>): string[] {
  return participant.banKey === participant.addressBanKey ? [participant.banKey] : [participant.banKey, participant.addressBanKey];
}

/** A participant as a join asks for it: the store stamps `joinedAt` and `connected` itself. */
export type ParticipantDraft = Omit<Participant, 'joinedAt' | 'connected'>;

export interface ChatMessage {
  id: string;
  text: string;
  sender: string;
  senderId: string;
  userId: string | null;
  ts: Date;
}

/**
 * Bytes per message on top of its strings: what holding one costs beyond them, in V8 (the object, its Date, five
 * string headers) and in Redis (its JSON's field names and counted size, the list entry, its share of the call's
 * keys), rounded up, so that the limit bounds real memory even when every message is one character.
 */
export const CHAT_MESSAGE_OVERHEAD_BYTES = 192;

/**
 * What a message counts against CHAT_MEMORY_LIMIT: the UTF-8 size of its strings plus a fixed overhead. Every store
 * counts the same way (the Redis scripts in Lua, where a string's length is its size in bytes).
 */
export function chatMessageBytes(message: Pick<ChatMessage, 'id' | 'text' | 'sender' | 'senderId' | 'userId'>): number {
  const strings = [message.id, message.text, message.sender, message.senderId, message.userId ?? ''];
  return strings.reduce((sum, value) => sum + utf8ByteLength(value), CHAT_MESSAGE_OVERHEAD_BYTES);
}

export interface CallSummary {
  callId: string;
  startedAt: Date;
  endedAt: Date;
  peakSize: number;
}

export const DEFAULT_GUEST_NAME = 'Guest';

export const CallPath = {
  maxLength: 1024,
  problem(raw: string): string | null {
    if (raw.length === 0) return 'must not be empty';
    if (raw.length > CallPath.maxLength) return `must be at most ${CallPath.maxLength} characters`;
    return null;
  },
};

export const ChatText = {
  maxLength: 2000,
  problem(raw: string): string | null {
    const length = codePointLength(raw);
    if (raw.trim().length === 0) return 'must not be empty';
    if (length > ChatText.maxLength) return `must be at most ${ChatText.maxLength} characters`;
    return null;
  },
};

/** An SDP or ICE message, opaque to the server: relayed exactly as received. */
export type SignalPayload = string | { [key: string]: unknown };

export const SignalMessage = {
  /** Serialised size limit: SDP offers with many candidates fit well inside this. */
  maxBytes: 64 * 1024,
  /** Real SDP and ICE objects nest 3 or 4 levels; deeper ones are abuse. */
  maxDepth: 32,
};

const GUEST_SUFFIX = ' (guest)';

/** A name as a person reads it: case, width and runs of spaces do not tell two names apart. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
}

/** A guest's chosen name, and the name it is shown by instead when a logged-in participant of its call has it. */
export interface GuestNaming {
  name: string;
  key: string;
  ifTaken: string;
}

export const GuestName = {
  maxLength: 64,
  /** What makes a name a guest sent unusable; checked as it arrives, before `from` trims and shortens it. */
  problem(raw: string): string | null {
    return unseenCharacterProblem(raw);
  },
  /** A usable display name from what a guest sent, or null when it holds nothing usable. */
  from(raw: string | undefined): string | null {
    const trimmed = raw?.trim();
    if (!trimmed) return null;
    return [...trimmed].slice(0, GuestName.maxLength).join('');
  },
  /** A guest goes by what it chose, or, beside a logged-in participant of that name, "Ann Lee (guest)". */
  naming(chosen: string): GuestNaming {
    return { name: chosen, key: nameKey(chosen), ifTaken: [...chosen].slice(0, GuestName.maxLength - GUEST_SUFFIX.length).join('') + GUEST_SUFFIX };
  },
  /** The name a guest settles on in a call with this roster; the rule every CallStore applies. */
  settle(naming: GuestNaming, roster: Iterable<Participant>): string {
    for (const other of roster) if (other.userId !== null && other.nameKey === naming.key) return naming.ifTaken;
    return naming.name;
  },
};
