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
 * `sfuFrom` people, then the SFU. A call on the SFU never moves back during the call, and a call holding a mesh-only
 * participant does not move to it (meshOnlyRefused keeps such participants out of a call already there).
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
