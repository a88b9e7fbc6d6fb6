import { io, type Socket } from 'socket.io-client';
import type { AckPayload, AckResponse, ClientEvent } from '../../src/adapters/realtime/protocol';

/** How long a bench waits for anything the server owes it; past that the answer is lost and the bench fails. */
export const LOST_AFTER_MS = 10_000;

/**
 * A real socket.io-client connection over loopback, websocket transport, no reconnection; `from` binds it to that
 * local address (any 127.x.y.z is loopback on Linux), which engine.io-client hands to ws although its types omit it.
 * A refused socket is closed, so its descriptor is not left behind.
 */
export function connect(url: string, from?: string): Promise<Socket> {
  const options = { transports: ['websocket'], reconnection: false, forceNew: true, ...(from ? { localAddress: from } : {}) };
  const socket = io(url, options);
  return new Promise((ready, fail) => {
    socket.once('connect', () => ready(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      fail(error);
    });
  });
}

export async function connectMany(url: string, count: number, parallel = 100): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += parallel) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, () => connect(url)))));
  }
  return sockets;
}

/** Rejects when `promise` has not settled within LOST_AFTER_MS. */
export function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const lost = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`lost: ${what} (nothing after ${LOST_AFTER_MS} ms)`)), LOST_AFTER_MS);
  });
  return Promise.race([promise, lost]).finally(() => clearTimeout(timer));
}

/** An acked emit; a refusal or a missing ack is an error. */
export function request<E extends ClientEvent>(socket: Socket, event: E, ...args: unknown[]): Promise<AckPayload<E>> {
  const answered = new Promise<AckPayload<E>>((resolve, reject) => {
    socket.emit(event, ...args, (response: AckResponse<E>) => {
      if (response.ok) resolve(response);
      else reject(new Error(`${event} refused: ${response.error.code} ${response.error.message}`));
    });
  });
  return within(answered, `the ack of ${event}`);
}

/** The next `event` on `socket`, with its arguments. */
export function next(socket: Socket, event: string): Promise<unknown[]> {
  return within(new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args))), `a ${event} event`);
}

/** An ICE candidate as browsers send it: the typical signal. */
export const CANDIDATE = { type: 'candidate', candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host', sdpMid: '0' };

export function closeAll(sockets: Socket[]): void {
  for (const socket of sockets) socket.close();
}

/** A refused event without an ack comes back as call-error: for a bench that is a failure. */
export function failOnCallError(socket: Socket, fail: (error: Error) => void): void {
  socket.on('call-error', (error: unknown) => fail(new Error(`call-error: ${JSON.stringify(error)}`)));
}
