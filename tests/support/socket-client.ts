import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import {
  ackError,
  clientEvents,
  serverEvents,
  type AckError,
  type AckPayload,
  type AckResponse,
  type ClientEvent,
  type ClientParams,
  type ClientToServerEvents,
  type ServerEvent,
  type ServerToClientEvents,
} from '../../src/adapters/realtime/protocol';

export type CallClient = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ServerArgs<E extends ServerEvent> = z.output<(typeof serverEvents)[E]>;

// The protocol tables seen per event, so a generic event's schema keeps its type.
const SERVER_ARGS: { [E in ServerEvent]: z.ZodType<ServerArgs<E>> } = serverEvents;
const ACKS: { [E in ClientEvent]: { ack: z.ZodType<AckPayload<E>> } } = clientEvents;

const isServerEvent = (event: string): event is ServerEvent => Object.hasOwn(serverEvents, event);
const isClientEvent = (event: string): event is ClientEvent => Object.hasOwn(clientEvents, event);

/** A real socket.io-client connection over loopback (websocket transport, like browsers after upgrade). */
export function connect(url: string, auth: { token?: unknown } = {}, extraHeaders: Record<string, string> = {}): Promise<CallClient> {
  const socket: CallClient = io(url, { auth, extraHeaders, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** What a socket received, per event, in order; every event is checked against the protocol table as it arrives. */
export class Recording {
  private readonly log: Array<{ event: ServerEvent; args: unknown[] }> = [];
  readonly violations: string[] = [];

  constructor(socket: CallClient) {
    socket.onAny((event: string, ...args: unknown[]) => {
      if (!isServerEvent(event)) {
        this.violations.push(`unknown event ${event}`);
        return;
      }
      const checked = SERVER_ARGS[event].safeParse(args);
      if (checked.success) this.log.push({ event, args });
      else this.violations.push(`${event}: ${checked.error.message}`);
    });
  }

  /** The arguments of every `event` received so far, or undefined when none came. */
  get<E extends ServerEvent>(event: E): Array<ServerArgs<E>> | undefined {
    const list = this.log.filter((entry) => entry.event === event).map((entry) => SERVER_ARGS[event].parse(entry.args));
    return list.length > 0 ? list : undefined;
  }

  /** How many different events arrived. */
  get size(): number {
    return new Set(this.log.map((entry) => entry.event)).size;
  }
}

export function record(socket: CallClient): Recording {
  return new Recording(socket);
}

/** Emits with an ack and resolves with the server's answer, after checking it against the protocol table. */
export function request<E extends ClientEvent>(socket: CallClient, event: E, ...args: ClientParams<E>): Promise<AckResponse<E>> {
  return requestUnchecked(socket, event, ...args).then((response) => checkedAck(event, response));
}

/** For malformed input: any event name and arguments; the answer must still be a well-formed ack. */
export async function requestUnchecked(socket: CallClient, event: string, ...args: unknown[]): Promise<unknown> {
  const untyped: Socket = socket;
  const response: unknown = await untyped.timeout(5000).emitWithAck(event, ...args);
  return isClientEvent(event) ? checkedAck(event, response) : response;
}

function checkedAck<E extends ClientEvent>(event: E, response: unknown): AckResponse<E> {
  const failure = ackError.safeParse(response);
  if (failure.success) return failure.data;
  if (typeof response !== 'object' || response === null || !('ok' in response) || response.ok !== true) {
    throw new Error(`${event} ack is neither {ok: true, ...} nor an error: ${JSON.stringify(response)}`);
  }
  const { ok, ...payload } = response;
  const parsed = ACKS[event].ack.safeParse(payload);
  if (!parsed.success) throw new Error(`${event} ack does not match the protocol: ${parsed.error.message}`);
  return { ok, ...parsed.data };
}

/** Resolves with the arguments of the next `event` on `socket`. */
export function next<E extends ServerEvent>(socket: CallClient, event: E): Promise<ServerArgs<E>> {
  return new Promise((resolve) => {
    const listener = (name: string, ...args: unknown[]) => {
      if (name !== event) return;
      socket.offAny(listener);
      resolve(SERVER_ARGS[event].parse(args));
    };
    socket.onAny(listener);
  });
}

/** Lets in-flight deliveries land: a round trip through the server on each socket. */
export async function settle(...sockets: CallClient[]): Promise<void> {
  await Promise.all(sockets.map((s) => request(s, 'signal', idOf(s), 'ping')));
}

export function closeAll(sockets: CallClient[]): void {
  for (const socket of sockets) socket.close();
}

/** A join the lobby held back: `{ok: true, waiting: true}`. */
type Waiting = { waiting: true };

/** The payload of a successful ack (for join-call: joined, not waiting); fails the test otherwise. */
export function ok<E extends ClientEvent>(response: AckResponse<E>): Exclude<Extract<AckResponse<E>, { ok: true }>, Waiting> {
  if (!succeeded(response)) throw new Error(`expected ok, got ${JSON.stringify(response)}`);
  return response;
}

function succeeded<R extends { ok: boolean }>(response: R): response is Exclude<Extract<R, { ok: true }>, Waiting> {
  return response.ok && !isWaiting(response);
}

/** Checks that a join-call ack says the joiner waits in the lobby; fails the test otherwise. */
export function waiting(response: AckResponse<'join-call'>): void {
  if (!isWaiting(response)) throw new Error(`expected to wait in the lobby, got ${JSON.stringify(response)}`);
}

function isWaiting(response: object): response is Waiting {
  return 'waiting' in response && response.waiting === true;
}

/** The error of a failed ack; fails the test when the event succeeded. */
export function failed(response: unknown): AckError['error'] {
  const parsed = ackError.safeParse(response);
  if (!parsed.success) throw new Error(`expected an error ack, got ${JSON.stringify(response)}`);
  return parsed.data.error;
}

/** The socket's id, which peers address it by; fails when it is not connected. */
export function idOf(socket: CallClient): string {
  if (!socket.id) throw new Error('socket is not connected');
  return socket.id;
}
