import { callRoom } from '../realtime/socket-io-call-notifier';
import type { RealtimeServer } from '../realtime/socket-server';
import type { LiveCounts } from './prometheus-metrics';

const CALL_ROOM_PREFIX = callRoom('');

/**
 * Calls with someone on this node, and how many people that is, read from the call rooms Socket.IO keeps for this
 * node's sockets (with the Redis adapter too, the adapter's rooms are the local ones). Runs only when scraped.
 */
export function localCallCounts(io: RealtimeServer): LiveCounts {
  let calls = 0;
  let participants = 0;
  for (const [room, sockets] of io.of('/').adapter.rooms) {
    if (!room.startsWith(CALL_ROOM_PREFIX)) continue;
    calls += 1;
    participants += sockets.size;
  }
  return { calls, participants };
}
