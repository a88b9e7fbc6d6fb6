/**
 * The Socket.IO protocol, typed for server and clients:
 *   import type { ClientToServerEvents, ServerToClientEvents } from '<this module>';
 *   const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token } });
 * Positional arguments match what existing front ends send and read; every client event may end with an ack.
 */
import type { ErrorCode } from '../../domain/errors';

export interface MediaStateDto {
  audio: boolean;
  video: boolean;
  screen: boolean;
  hand: boolean;
}

export interface ParticipantDto {
  id: string;
  name: string;
  userId?: string;
  media: MediaStateDto;
}

export interface ChatMessageDto {
  id: string;
  data: string;
  sender: string;
  senderId: string;
  ts: string;
}

export interface AckError {
  ok: false;
  /** details: for VALIDATION_FAILED, each bad argument by name (`data`, `opts.name`) and what is wrong. */
  error: { code: ErrorCode; message: string; details?: Array<{ field: string; message: string }> };
}

export type Ack<T extends object = object> = (response: ({ ok: true } & T) | AckError) => void;

export interface JoinAck {
  callId: string;
  self: ParticipantDto;
  participants: ParticipantDto[];
  history: ChatMessageDto[];
}

export interface ClientToServerEvents {
  'join-call': (path: string, opts?: { name?: string } | Ack<JoinAck>, ack?: Ack<JoinAck>) => void;
  signal: (toId: string, message: string | object, ack?: Ack) => void;
  'chat-message': (data: string, sender?: string | Ack<{ id: string; ts: string }>, ack?: Ack<{ id: string; ts: string }>) => void;
  'media-state': (state: Partial<MediaStateDto>, ack?: Ack<{ state: MediaStateDto }>) => void;
  'leave-call': (ack?: Ack<{ left: boolean }>) => void;
}

export interface ServerToClientEvents {
  'user-joined': (id: string, clients: string[], participants: ParticipantDto[]) => void;
  signal: (fromId: string, message: string | object) => void;
  'chat-message': (data: string, sender: string, senderId: string, meta: { id: string; ts: string }) => void;
  'media-state': (id: string, state: MediaStateDto) => void;
  'user-left': (id: string) => void;
  'server-shutdown': (info: { reconnect: boolean }) => void;
  'call-error': (error: {
    code: ErrorCode;
    message: string;
    event: string;
    details?: Array<{ field: string; message: string }>;
  }) => void;
}

export interface SocketData {
  /** Null for a guest. */
  account: { userId: string; name: string; token: string } | null;
}
