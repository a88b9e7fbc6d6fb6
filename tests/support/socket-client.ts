import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/adapters/realtime/protocol';

export type CallClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client connection over loopback (websocket transport, like browsers after upgrade). */
export function connect(url: string, auth: { token?: unknown } = {}): Promise<CallClient> {
  const socket: CallClient = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Everything a socket receives, per event, in order. */
export function record(socket: CallClient): Map<string, unknown[][]> {
  const seen = new Map<string, unknown[][]>();
  socket.onAny((event: string, ...args: unknown[]) => {
    const list = seen.get(event) ?? [];
    list.push(args);
    seen.set(event, list);
  });
  return seen;
}

/** Emits with an ack and resolves with the server's answer (the socket.io-client timeout is a safety net only). */
export function request(socket: CallClient, event: string, ...args: unknown[]): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (socket.timeout(5000) as unknown as { emitWithAck: (e: string, ...a: unknown[]) => Promise<unknown> }).emitWithAck(event, ...args);
}

/** Resolves with the arguments of the next `event` on `socket`. */
export function next(socket: CallClient, event: string): Promise<unknown[]> {
  return new Promise((resolve) => (socket as unknown as { once: (e: string, f: (...a: unknown[]) => void) => void }).once(event, (...args) => resolve(args)));
}

/** Lets in-flight deliveries land: a round trip through the server on each socket. */
export async function settle(...sockets: CallClient[]): Promise<void> {
  await Promise.all(sockets.map((s) => request(s, 'signal', s.id, 'ping')));
}

export function closeAll(sockets: CallClient[]): void {
  for (const socket of sockets) socket.close();
}
