import { codePointLength } from './text';

export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
  hand: boolean;
}

export const INITIAL_MEDIA: MediaState = { audio: false, video: false, screen: false, hand: false };

export interface Participant {
  /** The connection's id; peers address each other by it. */
  id: string;
  name: string;
  /** Set for a logged-in participant; null for a guest. */
  userId: string | null;
  /** True while a guest has no name of its own: the `sender` of its first chat then becomes its name, once. */
  unnamed: boolean;
  media: MediaState;
}

export interface ChatMessage {
  id: string;
  text: string;
  sender: string;
  senderId: string;
  userId: string | null;
  ts: Date;
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

/** Names compared as a person reads them: case, width and runs of spaces do not tell two names apart. */
function sameName(a: string, b: string): boolean {
  const key = (name: string) => name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  return key(a) === key(b);
}

export const GuestName = {
  maxLength: 64,
  /** A usable display name from what a guest sent, or null when it holds nothing usable. */
  from(raw: string | undefined): string | null {
    const trimmed = raw?.trim();
    if (!trimmed) return null;
    return [...trimmed].slice(0, GuestName.maxLength).join('');
  },
  /**
   * The name a guest is shown by in a call: what it chose, unless a logged-in participant there already goes by
   * that name; then it is marked, "Ann Lee (guest)", so nobody can pass for an account holder.
   */
  within(chosen: string, roster: readonly Participant[]): string {
    const taken = roster.some((other) => other.userId !== null && sameName(other.name, chosen));
    if (!taken) return chosen;
    return [...chosen].slice(0, GuestName.maxLength - GUEST_SUFFIX.length).join('') + GUEST_SUFFIX;
  },
};
