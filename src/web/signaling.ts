import { io, type Socket } from 'socket.io-client';
import type { AckResponse, ClientEvent, ClientParams, ClientToServerEvents, ServerToClientEvents } from '../adapters/realtime/protocol';

export type MeetSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The page's own origin: Socket.IO shares the HTTP port. An account's token makes the socket theirs; none is a guest. */
export function connect(token: string | null): MeetSocket {
  return io({ transports: ['websocket', 'polling'], auth: token ? { token } : {} });
}

/**
 * An acked emit, typed by the protocol table. The answer is taken as the table says, unchecked: it comes from this
 * page's own server, whose acks the integration tests check against the same table (bundling zod for it would
 * triple the page).
 */
export async function request<E extends ClientEvent>(socket: MeetSocket, event: E, ...args: ClientParams<E>): Promise<AckResponse<E>> {
  const untyped: Socket = socket;
  const response: unknown = await untyped.timeout(10_000).emitWithAck(event, ...args);
  return response as AckResponse<E>;
}
