import type { ServerToClientEvents } from '../adapters/realtime/protocol';

/** How the call's media travels: between every pair of pages, or through the SFU. */
export type MediaPath = 'mesh' | 'sfu';
/** What the server says when the path changes mid-call. */
export type PathChange = Parameters<ServerToClientEvents['media-path']>[0];

/** What the page does on the way to a path. */
export interface RouteSteps {
  path: MediaPath;
  /** Publish to the SFU: not, on a new publishing connection, or on a new one the server takes as a restart. */
  publish: 'no' | 'fresh' | 'restart';
  /** Subscribe (again) to everyone publishing. */
  subscribe: boolean;
  /** Close the peer connections of the mesh once the SFU carries everyone they carried. */
  retireMesh: boolean;
  /** Close the SFU's connections. */
  closeSfu: boolean;
  /** Connect the mesh again to everyone in the call. */
  connectMesh: boolean;
}

const STAY = { publish: 'no', subscribe: false, retireMesh: false, closeSfu: false, connectMesh: false } as const;

/** What the page holds now: its path and whether it has a publishing connection to the SFU. */
export interface RouteState {
  path: MediaPath;
  publishing: boolean;
}

/** A `media-path` event: the call moved onto the SFU, its SFU was lost, or it fell back to the mesh. */
export function onPathChange(state: RouteState, change: PathChange): RouteSteps {
  if (change.path === 'mesh') return state.path === 'mesh' ? { ...STAY, path: 'mesh' } : { ...STAY, path: 'mesh', closeSfu: true, connectMesh: true };
  if (change.reason === 'media-server-lost') return { ...STAY, path: 'sfu', publish: 'restart', subscribe: true, retireMesh: state.path === 'mesh' };
  // Moved (grew): said once per call, but a page already on the SFU has nothing to do.
  if (state.path === 'sfu' && state.publishing) return { ...STAY, path: 'sfu' };
  return { ...STAY, path: 'sfu', publish: state.publishing ? 'restart' : 'fresh', subscribe: true, retireMesh: true };
}

/**
 * In the call (a join, an admission, a resume): the path its answer names. A resume keeps the page's own SFU
 * connections (they never went through the socket that dropped) and only subscribes again; a new participant
 * (a rejoin after the server forgot this one) publishes anew.
 */
export function onEnter(state: RouteState, path: MediaPath, resumed: boolean): RouteSteps {
  if (path === 'mesh') return state.path === 'sfu' ? { ...STAY, path, closeSfu: true, connectMesh: true } : { ...STAY, path };
  if (resumed && state.publishing) return { ...STAY, path, subscribe: true };
  return { ...STAY, path, publish: state.publishing ? 'restart' : 'fresh', subscribe: true, retireMesh: state.path === 'mesh' };
}

/**
 * Whether the SFU carries everyone the mesh still connects this page with, so the mesh can close: the subscription's
 * connection is up and it has a stream of each of them.
 */
export function sfuCarries(meshIds: readonly string[], subscribed: ReadonlySet<string>, subscriberConnected: boolean): boolean {
  if (meshIds.length === 0) return true;
  return subscriberConnected && meshIds.every((id) => subscribed.has(id));
}
