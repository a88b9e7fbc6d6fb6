import type { AckPayload, AckResponse, ClientEvent, ClientParams, ServerToClientEvents } from '../adapters/realtime/protocol';
import { request, type MeetSocket } from './signaling';

/** What a join answers once in the call, and what `admitted` brings a waiter. */
export type CallSnapshot = Parameters<ServerToClientEvents['admitted']>[0] & Partial<Pick<Extract<AckPayload<'join-call'>, { callId: string }>, 'lobby'>>;

export type SignalMessage = ClientParams<'signal'>[1];

/** What happens to the page's place in the call, as the server or the connection tells it. */
export type LineEvent =
  | { type: 'connect' }
  | { type: 'disconnect'; reason: string }
  | { type: 'connect-error'; message: string }
  | { type: 'admitted'; snapshot: CallSnapshot }
  | { type: 'denied' }
  | { type: 'kicked'; banned: boolean }
  | { type: 'call-ended' }
  | { type: 'session-ended' }
  | { type: 'connection-replaced' }
  | { type: 'call-reset' };

/** The call's connection as the session uses it: small enough to fake in a unit test. */
export interface CallLine {
  readonly connected: boolean;
  /** False once the server refused the connection: Socket.IO then retries no more. */
  readonly active: boolean;
  request<E extends ClientEvent>(event: E, ...args: ClientParams<E>): Promise<AckResponse<E>>;
  signal(to: string, message: SignalMessage): void;
  leaveCall(): void;
  reconnect(): void;
  close(): void;
  listen(listener: (event: LineEvent) => void): void;
}

/** A Socket.IO socket as a call line. */
export function socketLine(socket: MeetSocket): CallLine {
  return {
    get connected() {
      return socket.connected;
    },
    get active() {
      return socket.active;
    },
    request: (event, ...args) => request(socket, event, ...args),
    signal: (to, message) => socket.emit('signal', to, message),
    leaveCall: () => socket.emit('leave-call'),
    reconnect: () => socket.connect(),
    close: () => socket.disconnect(),
    listen(listener) {
      socket.on('connect', () => listener({ type: 'connect' }));
      socket.on('disconnect', (reason) => listener({ type: 'disconnect', reason }));
      socket.on('connect_error', (error) => listener({ type: 'connect-error', message: error.message }));
      socket.on('admitted', (snapshot) => listener({ type: 'admitted', snapshot }));
      socket.on('denied', () => listener({ type: 'denied' }));
      socket.on('kicked', ({ banned }) => listener({ type: 'kicked', banned }));
      socket.on('call-ended', () => listener({ type: 'call-ended' }));
      socket.on('session-ended', () => listener({ type: 'session-ended' }));
      socket.on('connection-replaced', () => listener({ type: 'connection-replaced' }));
      socket.on('call-reset', () => listener({ type: 'call-reset' }));
    },
  };
}
