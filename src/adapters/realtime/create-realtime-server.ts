import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import type { Authenticate } from '../../application/use-cases/authenticate';
import type { GetCurrentUser } from '../../application/use-cases/get-current-user';
import type { JoinCall } from '../../application/use-cases/join-call';
import type { LeaveCall, LeaveCallResult } from '../../application/use-cases/leave-call';
import type { PostChat } from '../../application/use-cases/post-chat';
import type { RelaySignal } from '../../application/use-cases/relay-signal';
import type { UpdateMediaState } from '../../application/use-cases/update-media-state';
import { DomainError, type FieldIssue } from '../../domain/errors';
import { describeError } from '../error-table';
import type { OriginPolicy } from '../origin-policy';
import { validate } from '../validate';
import { chatMessageDto, participantDto } from './dto';
import { argNames, eventArgs, type ClientEvent } from './event-schemas';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from './protocol';
import type { SocketIoCallNotifier } from './socket-io-call-notifier';
import { SocketRateLimits, type RateLimitConfig } from './socket-rate-limits';

export interface RealtimeUseCases {
  authenticate: Authenticate;
  getCurrentUser: GetCurrentUser;
  joinCall: JoinCall;
  relaySignal: RelaySignal;
  postChat: PostChat;
  updateMediaState: UpdateMediaState;
  leaveCall: LeaveCall;
}

export interface RealtimeDeps {
  useCases: RealtimeUseCases;
  notifier: SocketIoCallNotifier;
  logger: Logger;
  origins: OriginPolicy;
  requireAuth: boolean;
  rateLimits: RateLimitConfig;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type CallSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AckFn = (response: object) => void;
type EventArgs<E extends ClientEvent> = z.output<(typeof eventArgs)[E]>;

export const MAX_MESSAGE_BYTES = 128 * 1024;

/** The Socket.IO gateway on the same HTTP server as Koa: authenticates, validates, throttles, then runs a use case. */
export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDeps): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    cors: {
      origin: (origin, callback) => callback(null, deps.origins.allows(origin)),
      credentials: true,
      methods: ['GET', 'POST'],
    },
  });
  deps.notifier.bind(io);
  const { useCases, logger } = deps;

  io.use((socket, next) => {
    identify(socket, useCases, deps.requireAuth).then(
      () => next(),
      (error: unknown) => {
        const { body, unexpected } = describeError(error);
        if (unexpected) logger.error({ err: error }, 'socket authentication failed');
        next(Object.assign(new Error(body.code), { data: body }));
      },
    );
  });

  io.on('connection', (socket) => {
    const limits = new SocketRateLimits(deps.rateLimits);
    // One event at a time per socket, in arrival order: ICE candidates never overtake their offer,
    // and a disconnect is handled only after a join still in progress.
    let queue: Promise<unknown> = Promise.resolve();
    const serial = (task: () => Promise<unknown>) => {
      queue = queue.then(task, task);
    };

    const on = <E extends ClientEvent>(event: E, run: (args: EventArgs<E>) => Promise<object>) => {
      socket.on(event, ((...raw: unknown[]) => {
        const ack = typeof raw.at(-1) === 'function' ? (raw.pop() as AckFn) : undefined;
        serial(async () => {
          try {
            if (!limits.allow(event)) {
              throw new DomainError('RATE_LIMITED', `Too many ${event} events; slow down`);
            }
            const result = await run(validate(eventArgs[event], raw) as EventArgs<E>);
            ack?.({ ok: true, ...result });
          } catch (error) {
            const { body, unexpected } = describeError(error);
            if (unexpected) logger.error({ err: error, event, socketId: socket.id }, 'socket event failed');
            const failure = { code: body.code, message: body.message, ...namedDetails(event, body.details) };
            if (ack) ack({ ok: false, error: failure });
            else socket.emit('call-error', { ...failure, event });
          }
        });
      }) as never);
    };

    on('join-call', async ([path, opts]) => {
      if (socket.data.account) await useCases.authenticate.execute({ token: socket.data.account.token });
      const joined = await useCases.joinCall.execute({
        participantId: socket.id,
        callPath: path,
        account: socket.data.account,
        requestedName: opts?.name,
      });
      logEnded(logger, joined.previous);
      return {
        callId: joined.callId,
        self: participantDto(joined.self),
        participants: joined.participants.map(participantDto),
        history: joined.history.map(chatMessageDto),
      };
    });

    on('signal', async ([toId, message]) => {
      await useCases.relaySignal.execute({ fromId: socket.id, toId, message });
      return {};
    });

    on('chat-message', async ([data, sender]) => {
      const message = await useCases.postChat.execute({ participantId: socket.id, text: data, sender });
      return { id: message.id, ts: message.ts.toISOString() };
    });

    on('media-state', async ([change]) => {
      return { state: await useCases.updateMediaState.execute({ participantId: socket.id, change }) };
    });

    on('leave-call', async () => {
      const result = await useCases.leaveCall.execute({ participantId: socket.id });
      logEnded(logger, result);
      return { left: result.left };
    });

    socket.on('disconnect', () => {
      serial(() =>
        useCases.leaveCall.execute({ participantId: socket.id }).then(
          (result) => logEnded(logger, result),
          (error: unknown) => logger.error({ err: error, socketId: socket.id }, 'leave on disconnect failed'),
        ),
      );
    });
  });

  return io;
}

async function identify(socket: CallSocket, useCases: RealtimeUseCases, requireAuth: boolean): Promise<void> {
  const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (token === undefined || token === null || token === '') {
    if (requireAuth) throw new DomainError('UNAUTHENTICATED', 'A valid session token is required');
    socket.data.account = null;
    return;
  }
  if (typeof token !== 'string') throw new DomainError('UNAUTHENTICATED', 'A valid session token is required');
  const principal = await useCases.authenticate.execute({ token });
  const user = await useCases.getCurrentUser.execute({ userId: principal.userId }).catch((error: unknown) => {
    // An account deleted after login is the same as a bad token to the client.
    throw error instanceof DomainError ? new DomainError('UNAUTHENTICATED', 'A valid session token is required') : error;
  });
  socket.data.account = { userId: user.id, name: user.name, token };
}

/** Validation details name tuple positions ("0.name"); clients read argument names ("opts.name"). */
function namedDetails(event: ClientEvent, details: FieldIssue[] | undefined): { details?: FieldIssue[] } {
  if (!details) return {};
  return {
    details: details.map(({ field, message }) => {
      const [index, ...rest] = field.split('.');
      const name = argNames[event][Number(index)] ?? (field === '(body)' ? 'arguments' : field);
      return { field: [name, ...rest].join('.'), message };
    }),
  };
}

function logEnded(logger: Logger, result: LeaveCallResult | null): void {
  if (!result?.ended) return;
  const { startedAt, endedAt, peakSize } = result.ended;
  logger.info({ durationMs: endedAt.getTime() - startedAt.getTime(), peakSize }, 'call ended');
}
