import type { Participant } from './call';

/*
 * Who may enter a call, as whom, and who succeeds a host: the rules every call store applies. The memory store calls
 * these functions; each Lua block of the Redis store that mirrors one names it, and the contract suite runs the same
 * tables through both stores (tests/contract/call-rules.contract.ts).
 */

/** What a join is checked against before anyone moves; `alreadyIn` (rejoining one's own call) passes every check. */
export interface EntryFacts {
  alreadyIn: boolean;
  /** The joiner's ban key is barred from the call. */
  banned: boolean;
  /** The call is live now (a call that is not live has no lock and nobody in it). */
  live: boolean;
  locked: boolean;
  /** The joiner is the owner the call started with (or, for a call not live, the meeting's owner). */
  isOwner: boolean;
  size: number;
  capacity: number;
}

export type EntryRefusal = 'banned' | 'locked' | 'full';

/** Why a join is refused, checked in this order, or null when it may go on. */
export function entryRefusal(facts: EntryFacts): EntryRefusal | null {
  if (facts.alreadyIn) return null;
  if (facts.banned) return 'banned';
  if (facts.live && facts.locked && !facts.isOwner) return 'locked';
  if (facts.live && facts.size >= facts.capacity) return 'full';
  return null;
}

/** The call as a joiner finds it once it has left its previous call (which may have been this one). */
export interface PlacementFacts {
  alreadyIn: boolean;
  lobbyOn: boolean;
  isOwner: boolean;
  /** The call belongs to a meeting (it has an owner), rather than being ad hoc. */
  owned: boolean;
  hasHost: boolean;
  loggedIn: boolean;
}

/** Where a joiner that passed the checks goes: the lobby, or into the call as host or as member. */
export type Placement = 'wait' | 'host' | 'member';

/**
 * The owner is host whenever present; in an ad-hoc call without a host, a logged-in joiner becomes it. With the
 * lobby on, anyone else not already in the call waits.
 */
export function placement(facts: PlacementFacts): Placement {
  const hostByJoining = facts.isOwner || (!facts.owned && !facts.hasHost && facts.loggedIn);
  if (hostByJoining) return 'host';
  return facts.lobbyOn && !facts.alreadyIn ? 'wait' : 'member';
}

/** Who takes over from a host who left: the longest-present logged-in participant of those remaining (in join order). */
export function successor<P extends Pick<Participant, 'userId'>>(remaining: Iterable<P>): P | undefined {
  for (const participant of remaining) if (participant.userId !== null) return participant;
  return undefined;
}
