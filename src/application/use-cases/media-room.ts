import type { CallSummary } from '../../domain/call';
import { DomainError } from '../../domain/errors';
import { refusal } from '../../domain/host-rules';
import type { RoomPlacement } from '../../domain/media-path';
import type { MediaMembership } from '../ports/call-store';
import type { MediaRoom, MediaServer, MediaServerPool } from '../ports/media-server';

/** A call's SFU room where the pool can reach it. */
export interface ReachableRoom {
  server: MediaServer;
  room: MediaRoom;
}

const NO_SERVER = 'No media server can take this call right now; try again shortly';

/** The room of a placed call on its server; undefined when this node has no such server. */
export function reachable(pool: MediaServerPool, callId: string, placement: RoomPlacement): ReachableRoom | undefined {
  const server = pool.get(placement.server);
  return server && { server, room: { callId, key: placement.key } };
}

/**
 * The SFU room of a participant's call, or why there is none: NOT_IN_CALL outside a call, NOT_FOUND for a call
 * whose media is peer to peer, SERVICE_UNAVAILABLE while it waits for a media server.
 */
export function roomOf(pool: MediaServerPool, media: MediaMembership | null): ReachableRoom {
  if (!media) throw refusal('not-in-call');
  if (media.path !== 'sfu') throw new DomainError('NOT_FOUND', "This call's media goes peer to peer: it has no media server room");
  const found = media.room && reachable(pool, media.callId, media.room);
  if (!found) throw new DomainError('SERVICE_UNAVAILABLE', NO_SERVER);
  return found;
}

/**
 * After a leave: the leaver's streams leave the call's room, and the room closes with the call. A failure is not the
 * leaver's: the room ends with its call or with its server, and a participant taken out is taken out again by a kick.
 */
export async function leaveMediaRoom(pool: MediaServerPool, participantId: string, left: { callId: string; room: RoomPlacement | null; ended: CallSummary | null }): Promise<void> {
  const found = left.room && reachable(pool, left.callId, left.room);
  if (!found) return;
  const leaving = left.ended ? found.server.closeRoom(found.room) : found.server.remove(found.room, participantId);
  await leaving.catch(() => {});
}
