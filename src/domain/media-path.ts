/*
 * How a call's media travels: peer to peer between every pair (mesh), or through the call's room on a selective
 * forwarding unit (sfu). The rule every call store applies when someone joins; the store keeps the call's path.
 */

/** What a deployment or an owned meeting asks for. */
export const MEDIA_MODES = ['auto', 'mesh', 'sfu'] as const;
export type MediaMode = (typeof MEDIA_MODES)[number];
export type MediaPath = 'mesh' | 'sfu';

/** A stored mode as read back: anything that is not one (a row from before modes, a hand edit) is 'auto'. */
export function storedMediaMode(value: unknown): MediaMode {
  return MEDIA_MODES.find((mode) => mode === value) ?? 'auto';
}

export interface MediaPathFacts {
  mode: MediaMode;
  /** A media server is configured and reachable: without one every call is a mesh. */
  sfuAvailable: boolean;
  /** The call's path before this join; null for a call that is not live. */
  current: MediaPath | null;
  /** Participants once the joiner is in. */
  size: number;
  /** Under `auto`, the size at which a call moves to the SFU (SFU_FROM, 3 as Jitsi does). */
  sfuFrom: number;
  /** Someone in the call, or the joiner, can only take part in a mesh (a front end without acks). */
  meshOnlyPresent: boolean;
}

/**
 * `mesh` and `sfu` are what they say (sfu only with a media server); `auto` is a mesh until the call reaches
 * `sfuFrom` people, then the SFU. A call on the SFU never moves back during the call (unless its media server is lost
 * with none left: afterServerLoss), and a call holding a mesh-only participant does not move to it (meshOnlyRefused
 * keeps such participants out of a call already there).
 */
export function mediaPath(facts: MediaPathFacts): MediaPath {
  if (facts.current === 'sfu') return 'sfu';
  if (!facts.sfuAvailable || facts.mode === 'mesh' || facts.meshOnlyPresent) return 'mesh';
  return facts.mode === 'sfu' || facts.size >= facts.sfuFrom ? 'sfu' : 'mesh';
}

/** The most participants a call on this path takes: MAX_PARTICIPANTS for a mesh, MAX_SFU_PARTICIPANTS on the SFU. */
export function pathCapacity(path: MediaPath, capacity: { mesh: number; sfu: number }): number {
  return path === 'sfu' ? capacity.sfu : capacity.mesh;
}

/** Whether a mesh-only participant may join a call on this path: not one on the SFU (its media would reach nobody). */
export function meshOnlyRefused(path: MediaPath | null): boolean {
  return path === 'sfu';
}

export interface MediaEntryFacts extends Omit<MediaPathFacts, 'meshOnlyPresent'> {
  /** The joiner is in the call already (a rejoin): it passes, as entryRefusal lets it. */
  alreadyIn: boolean;
  /** Someone in the call, not counting the joiner, can only take part in a mesh. */
  meshOnlyPresent: boolean;
  joinerMeshOnly: boolean;
  capacity: { mesh: number; sfu: number };
}

/** A join's media: the path the call takes with it and the capacity that path allows, or why it may not enter. */
export type MediaEntry = { path: MediaPath; capacity: number } | { refused: 'mesh-only' };

/** mediaPath and pathCapacity for a join, refusing a mesh-only joiner of a call on the SFU (meshOnlyRefused). */
export function mediaEntry(facts: MediaEntryFacts): MediaEntry {
  if (!facts.alreadyIn && facts.joinerMeshOnly && meshOnlyRefused(facts.current)) return { refused: 'mesh-only' };
  const path = mediaPath({ ...facts, meshOnlyPresent: facts.meshOnlyPresent || facts.joinerMeshOnly });
  return { path, capacity: pathCapacity(path, facts.capacity) };
}

/** Where a call on the SFU has its room: the media server's name (janus-1, …) and the room's key there. */
export interface RoomPlacement {
  server: string;
  key: string;
}

/** Among the servers usable now, the one holding the fewest rooms (the first such in the order given); null: none. */
export function leastLoaded(servers: readonly string[], rooms: (server: string) => number): string | null {
  let best: string | null = null;
  let bestRooms = Infinity;
  for (const server of servers) {
    const count = rooms(server);
    if (count < bestRooms) {
      best = server;
      bestRooms = count;
    }
  }
  return best;
}

/** What becomes of a call whose media server was lost: placed again on another, back to a mesh, or waiting for one. */
export function afterServerLoss(facts: { sfuLeft: boolean; size: number; meshCapacity: number }): 'replace' | 'mesh' | 'wait' {
  if (facts.sfuLeft) return 'replace';
  return facts.size <= facts.meshCapacity ? 'mesh' : 'wait';
}
