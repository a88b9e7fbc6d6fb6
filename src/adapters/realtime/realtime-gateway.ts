import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Authenticate } from '../../application/use-cases/authenticate';
import type { GetCurrentUser } from '../../application/use-cases/get-current-user';
import type { GetIceServers } from '../../application/use-cases/get-ice-servers';
import type { JoinCall } from '../../application/use-cases/join-call';
import type { LeaveCall, LeaveCallResult } from '../../application/use-cases/leave-call';
import type { SuspendParticipant } from '../../application/use-cases/suspend-participant';
import type { EndCall, KickParticipant, LiftBan, MuteParticipant, SetCallOptions, TransferHost } from '../../application/use-cases/host-actions';
import type { PostChat } from '../../application/use-cases/post-chat';
import type { RelaySignal } from '../../application/use-cases/relay-signal';
import type { UpdateMediaState } from '../../application/use-cases/update-media-state';
import type { SendReaction } from '../../application/use-cases/send-reaction';
import type { AdmitParticipant, DenyParticipant } from '../../application/use-cases/lobby';
import type { ChooseLayer } from '../../application/use-cases/choose-layer';
import type { PublishMedia } from '../../application/use-cases/publish-media';
import type { StartSubscription } from '../../application/use-cases/start-subscription';
import type { SubscribeMedia } from '../../application/use-cases/subscribe-media';
import type { TrickleMedia } from '../../application/use-cases/trickle-media';
import { DomainError, fieldLabel, isDomainError, validationFailed, type ErrorCode } from '../../domain/errors';
import { describeError } from '../error-table';
import { validate } from '../validate';
import { chatMessageDto, lobbyEntryDto, participantDto } from './dto';
import { argumentsOf, clientEvents, type AckPayload, type AckResponse, type ClientArgs, type ClientEvent, type SocketAccount } from './protocol';
import { atTime } from './at-time';
import { sessionRoom } from './socket-io-session-notifier';
import { callOfRoom, isCallRoom, isMemberRoom } from './socket-io-call-notifier';
import type { RealtimeServer } from './socket-server';
import { AddressSlots, clientAddress } from './address-slots';
import { SerialQueue } from './serial-queue';
import { SocketRateLimits, type RateLimitConfig } from './socket-rate-limits';

export interface RealtimeUseCases {
  authenticate: Authenticate;
  getCurrentUser: GetCurrentUser;
  joinCall: JoinCall;
  relaySignal: RelaySignal;
  postChat: PostChat;
  updateMediaState: UpdateMediaState;
  leaveCall: LeaveCall;
  suspendParticipant: SuspendParticipant;
  kickParticipant: KickParticipant;
  muteParticipant: MuteParticipant;
  setCallOptions: SetCallOptions;
  transferHost: TransferHost;
  endCall: EndCall;
  liftBan: LiftBan;
  getIceServers: GetIceServers;
  admitParticipant: AdmitParticipant;
  denyParticipant: DenyParticipant;
  publishMedia: PublishMedia;
  subscribeMedia: SubscribeMedia;
  startSubscription: StartSubscription;
  trickleMedia: TrickleMedia;
  chooseLayer: ChooseLayer;
  sendReaction: SendReaction;
}

/**
 * auto: echo a chat to its sender only when it came without an ack. Existing front ends send no ack and render
 * their own message from the echo; clients that ask for an ack get {id, ts} and render it themselves.
 */
export type ChatEcho = 'auto' | 'always' | 'never';

export interface RealtimeDeps {
  io: RealtimeServer;
  useCases: RealtimeUseCases;
  logger: Logger;
  requireAuth: boolean;
  chatEcho: ChatEcho;
  rateLimits: RateLimitConfig;
  /** Open sockets allowed per client address on this node. */
  maxSocketsPerAddress: number;
  /** Open sockets on this node; more are refused with SERVICE_UNAVAILABLE while the node still has descriptors to say so. */
  maxSockets: number;
  /** Read the client address from X-Forwarded-For, as the HTTP API does. */
  trustProxy: boolean;
  /** Cluster mode: a node shutting down leaves its resumable participants to resume on another node. */
  handOverOnShutdown: boolean;
  /** Told of each event once it is answered, with 'ok' or the error code; on the signal path, so it must be cheap. */
  observe?: (event: ClientEvent | 'unknown', result: 'ok' | ErrorCode) => void;
}

interface EventContext {
  participantId: string;
  /** This socket's id: the connection a participant is on. */
  connectionId: string;
  /** Records who this socket now speaks for, after a join or a resume. */
  speaksFor: (participantId: string, resumable: boolean) => void;
  account: SocketAccount | null;
  acked: boolean;
  /** The client's address (following TRUST_PROXY): what a ban of a guest bars. */
  address: string;
}

type Handlers = { [E in ClientEvent]: (args: ClientArgs<E>, context: EventContext) => Promise<AckPayload<E>> };

/**
 * The protocol table seen per event, so that a generic event's schema and handler stay tied to each other.
 * `accepts` is an event's optional fast path: when it says yes, the arguments are valid as they are; when it
 * says no, the schema runs and names the problem.
 */
const EVENT_ARGS: { [E in ClientEvent]: { args: z.ZodType<ClientArgs<E>>; accepts?: (raw: unknown[]) => raw is ClientArgs<E> } } = clientEvents;

const ARGUMENTS = new Map(Object.entries(clientEvents).map(([event, spec]) => [event, argumentsOf(spec.args)]));

/** Missing arguments as undefined, so that one is reported by name ("meeting link is required"), not as a short list. */
function padded(event: ClientEvent, raw: unknown[]): unknown[] {
  const arity = ARGUMENTS.get(event)?.length ?? 0;
  return raw.length >= arity ? raw : [...raw, ...Array.from({ length: arity - raw.length }, () => undefined)];
}

/** Socket.IO hands the ack callback over as the last argument. */
function isAck(value: unknown): value is (response: object) => void {
  return typeof value === 'function';
}

function isClientEvent(event: string): event is ClientEvent {
  return Object.hasOwn(clientEvents, event);
}

/** The Socket.IO gateway: authenticates the handshake, then for each event throttles, validates and runs a use case. */
export interface RealtimeGateway {
  /** Resolves once every socket that has disconnected so far has left its call (in the shared store too). */
  leavesSettled(): Promise<void>;
  /**
   * Closes the connection of every socket of this node that is in a call; their clients reconnect and join again.
   * For when the calls no longer hold them (this node was taken for dead). Answers how many.
   */
  reconnectCallers(): number;
  /**
   * Tells every socket of this node that is in a call that its call is gone (Redis lost its data) with `call-reset`
   * (and a `call-error` to those that joined without an ack), and takes it out of its call's room; the sockets stay
   * connected and join again. Answers how many.
   */
  resetCallers(): number;
}

const CALL_RESET_MESSAGE = 'The call was interrupted by a server problem; join again to continue';

export function attachRealtimeGateway(deps: RealtimeDeps): RealtimeGateway {
  const { io, useCases, logger } = deps;
  const handlers = callHandlers(deps);
  const leaving = new Set<Promise<void>>();

  const slots = new AddressSlots(deps.maxSocketsPerAddress);
  io.use((socket, next) => {
    const refuse = (error: unknown) => {
      const { body, unexpected } = describeError(error);
      if (unexpected) logger.error({ err: error }, 'socket authentication failed');
      next(Object.assign(new Error(body.code), { data: body }));
    };
    if (io.engine.clientsCount > deps.maxSockets) {
      refuse(new DomainError('SERVICE_UNAVAILABLE', 'This server holds as many connections as it can; try again shortly'));
      // Its descriptor is needed elsewhere. Socket.IO writes a middleware's refusal on the next tick, so the close
      // comes after that; engine.io drains what is written before it closes.
      setImmediate(() => socket.conn.close());
      return;
    }
    const address = clientAddress(socket.handshake, deps.trustProxy);
    if (!slots.take(address)) {
      refuse(new DomainError('RATE_LIMITED', 'Too many connections from this address'));
      return;
    }
    identify(socket.handshake.auth, useCases, deps.requireAuth).then(
      (account) => {
        socket.data.account = account;
        // The engine connection closes however the socket ends, even when it ends before 'connection'.
        if (socket.conn.readyState === 'closed') slots.release(address);
        else socket.conn.once('close', () => slots.release(address));
        next();
      },
      (error: unknown) => {
        slots.release(address);
        refuse(error);
      },
    );
  });

  io.on('connection', (socket) => {
    const limits = new SocketRateLimits(deps.rateLimits);
    const account = socket.data.account;
    const address = clientAddress(socket.handshake, deps.trustProxy);
    if (account) {
      // Logout reaches the socket through its session's room; expiry ends it here, with no database read per event.
      void socket.join(sessionRoom(account.sessionId));
      const cancel = atTime(account.expiresAt, () => {
        socket.emit('session-ended', { reason: 'expired' });
        socket.disconnect(true);
      });
      socket.once('disconnect', cancel);
    }
    // One event at a time per socket, in arrival order: ICE candidates never overtake their offer,
    // and a disconnect is handled only after a join still in progress.
    const queue = new SerialQueue();
    socket.data.participantId = socket.id;
    socket.data.resumable = false;
    const speaksFor = (participantId: string, resumable: boolean) => {
      socket.data.participantId = participantId;
      socket.data.resumable = resumable;
    };

    const run = async <E extends ClientEvent>(event: E, raw: unknown[], ack: ((response: AckResponse<E>) => void) | undefined) => {
      try {
        if (!limits.allow(event)) throw new DomainError('RATE_LIMITED', `Too many ${event} events; slow down`);
        const spec = EVENT_ARGS[event];
        const args = spec.accepts?.(raw) ? raw : validate(spec.args, padded(event, raw));
        const context = { participantId: socket.data.participantId, connectionId: socket.id, speaksFor, account: socket.data.account, acked: ack !== undefined, address };
        const result = await handlers[event](args, context);
        ack?.({ ok: true, ...result });
        deps.observe?.(event, 'ok');
      } catch (failure) {
        const error = byArgumentName(event, failure);
        const { body, unexpected } = describeError(error);
        deps.observe?.(event, body.code);
        if (unexpected) logger.error({ err: error, event, socketId: socket.id }, 'socket event failed');
        if (ack) ack({ ok: false, error: body });
        else socket.emit('call-error', { ...body, event });
      }
    };

    socket.onAny((event: string, ...raw: unknown[]) => {
      const last = raw.at(-1);
      const ack = isAck(last) ? (raw.pop(), last) : undefined;
      if (isClientEvent(event)) queue.push(() => run(event, raw, ack));
      else {
        deps.observe?.('unknown', 'NOT_FOUND');
        ack?.({ ok: false, error: { code: 'NOT_FOUND', message: `There is no event "${event}"` } });
      }
    });

    socket.on('disconnect', (reason) => {
      // Read once the queue gets here, not now: a join or resume still queued may change whom this socket speaks for
      // (a resume followed at once by a drop would otherwise leave the resumed participant bound to a dead socket).
      const settle = () => {
        const { participantId, resumable } = socket.data;
        // A dropped connection may come back; a socket closed on purpose (by its client, by logout, by a single node
        // shutting down with the calls in its memory) leaves at once.
        const mayResume = resumable && (DROPS.has(reason) || (reason === 'server shutting down' && deps.handOverOnShutdown));
        return mayResume
          ? useCases.suspendParticipant.execute({ participantId, connectionId: socket.id }).then(() => undefined)
          : useCases.leaveCall.execute({ participantId, connectionId: socket.id }).then((result) => logEnded(logger, result));
      };
      const left = new Promise<void>((settled) =>
        queue.push(() =>
          settle().then(
            () => undefined,
            (error: unknown) => logger.error({ err: error, socketId: socket.id }, 'leave on disconnect failed'),
          ).finally(settled),
        ),
      );
      leaving.add(left);
      void left.then(() => leaving.delete(left));
    });
  });

  return {
    leavesSettled: async () => void (await Promise.all([...leaving])),
    reconnectCallers: () => {
      let closed = 0;
      for (const socket of io.sockets.sockets.values()) {
        if (![...socket.rooms].some(isCallRoom)) continue;
        // Closing the transport, not the socket: the client sees "transport close" and reconnects by itself.
        socket.conn.close();
        closed++;
      }
      return closed;
    },
    resetCallers: () => {
      let told = 0;
      for (const socket of io.sockets.sockets.values()) {
        const rooms = [...socket.rooms].filter(isCallRoom);
        // Out of its call's member room first: from now on no signal of that call reaches it.
        for (const room of [...socket.rooms].filter(isMemberRoom)) void socket.leave(room);
        for (const room of rooms) {
          void socket.leave(room);
          socket.emit('call-reset', { callId: callOfRoom(room) });
          // Front ends without acks show a call-error's message as it is, and know no call-reset.
          if (!socket.data.resumable) socket.emit('call-error', { code: 'CALL_RESET', message: CALL_RESET_MESSAGE, event: 'join-call' });
        }
        if (rooms.length > 0) told++;
      }
      return told;
    },
  };
}

const noPayload = (): Record<string, never> => ({});

/** Disconnect reasons of a connection that dropped rather than closed on purpose. */
const DROPS = new Set(['transport close', 'transport error', 'ping timeout']);

function callHandlers(deps: RealtimeDeps): Handlers {
  const { useCases, logger } = deps;
  return {
    'join-call': async ([path, opts], { participantId, connectionId, speaksFor, account, address, acked }) => {
      if (account) await useCases.authenticate.execute({ token: account.token });
      const joined = await useCases.joinCall.execute({
        participantId,
        callPath: path,
        account,
        requestedName: opts?.name,
        address,
        connectionId,
        resumable: acked,
        resumeToken: opts?.resume,
        // Front ends that send no acks are the tutorial's: they know peer-to-peer calls only.
        meshOnly: !acked,
      });
      logEnded(logger, joined.previous);
      if ('waiting' in joined) {
        // A drop while waiting only takes it off the list (the store's suspend does); once admitted, it may resume.
        speaksFor(participantId, joined.resumable);
        return { waiting: true };
      }
      speaksFor(joined.self.id, joined.resumeToken !== null);
      return {
        callId: joined.callId,
        self: participantDto(joined.self),
        participants: joined.participants.map(participantDto),
        history: joined.history.map(chatMessageDto),
        iceServers: await useCases.getIceServers.execute({ userId: account?.userId ?? null, participantId: joined.self.id }),
        options: joined.options,
        media: { path: joined.path },
        resumed: joined.resumed,
        ...(joined.resumeToken === null ? {} : { resumeToken: joined.resumeToken }),
        ...(joined.self.role === 'host' ? { lobby: joined.lobby.map(lobbyEntryDto) } : {}),
      };
    },
    // Not async: one promise fewer on the path every ICE candidate takes.
    signal: ([toId, message], { participantId }) => useCases.relaySignal.execute({ fromId: participantId, toId, message }).then(noPayload),
    'chat-message': async ([data, sender], { participantId, acked }) => {
      const echoToSender = deps.chatEcho === 'always' || (deps.chatEcho === 'auto' && !acked);
      const message = await useCases.postChat.execute({ participantId, text: data, sender, echoToSender });
      return { id: message.id, ts: message.ts.toISOString() };
    },
    'media-state': async ([change], { participantId }) => ({
      state: await useCases.updateMediaState.execute({ participantId, change }),
    }),
    'leave-call': async (_args, { participantId, connectionId }) => {
      const result = await useCases.leaveCall.execute({ participantId, connectionId });
      logEnded(logger, result);
      return { left: result.left };
    },
    kick: async ([targetId, opts], { participantId }) => {
      logEnded(logger, await useCases.kickParticipant.execute({ byId: participantId, targetId, ban: opts?.ban ?? false }));
      return {};
    },
    mute: async ([targetId, kind, opts], { participantId }) => ({
      state: await useCases.muteParticipant.execute({ byId: participantId, targetId, kind, force: opts?.force }),
    }),
    'call-options': async ([change], { participantId }) => ({
      options: await useCases.setCallOptions.execute({ byId: participantId, change }),
    }),
    'transfer-host': async ([targetId], { participantId }) => {
      await useCases.transferHost.execute({ byId: participantId, targetId });
      return {};
    },
    'end-call': async (_args, { participantId }) => {
      logEnded(logger, await useCases.endCall.execute({ byId: participantId }));
      return {};
    },
    unban: async ([userId], { participantId }) => useCases.liftBan.execute({ byId: participantId, userId }),
    admit: async ([targetId], { participantId }) => {
      await useCases.admitParticipant.execute({ byId: participantId, targetId });
      return {};
    },
    deny: async ([targetId], { participantId }) => {
      await useCases.denyParticipant.execute({ byId: participantId, targetId });
      return {};
    },
    'sfu-publish': async ([offer], { participantId }) => useCases.publishMedia.execute({ participantId, sdp: offer.sdp, restart: offer.restart ?? false }),
    'sfu-subscribe': async (_args, { participantId }) => useCases.subscribeMedia.execute({ participantId }),
    'sfu-answer': async ([answer], { participantId }) => {
      await useCases.startSubscription.execute({ participantId, sdp: answer.sdp });
      return {};
    },
    'sfu-candidate': async ([connection, candidate], { participantId }) => {
      await useCases.trickleMedia.execute({ participantId, connection, candidate });
      return {};
    },
    'sfu-layer': async ([publisherId, layer], { participantId }) => {
      await useCases.chooseLayer.execute({ participantId, publisherId, layer });
      return {};
    },
    reaction: async ([reaction], { participantId }) => {
      await useCases.sendReaction.execute({ participantId, reaction });
      return {};
    },
  };
}

async function identify(auth: unknown, useCases: RealtimeUseCases, requireAuth: boolean): Promise<EventContext['account']> {
  const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
  if (token === undefined || token === null || token === '') {
    if (requireAuth) throw new DomainError('UNAUTHENTICATED', 'A valid session token is required');
    return null;
  }
  if (typeof token !== 'string') throw new DomainError('UNAUTHENTICATED', 'A valid session token is required');
  const principal = await useCases.authenticate.execute({ token });
  const user = await useCases.getCurrentUser.execute({ userId: principal.userId }).catch((error: unknown) => {
    // An account deleted after login is the same as a bad token to the client.
    throw error instanceof DomainError ? new DomainError('UNAUTHENTICATED', 'A valid session token is required') : error;
  });
  return { userId: user.id, name: user.name, token, sessionId: principal.sessionId, expiresAt: principal.expiresAt };
}

/**
 * Validation details name tuple positions ("1.name"); clients read argument names ("opts.name"),
 * and the message names the first problem by the argument's label ("chat message must not be empty").
 */
function byArgumentName(event: ClientEvent, error: unknown): unknown {
  if (!isDomainError(error) || error.code !== 'VALIDATION_FAILED' || !error.details) return error;
  const args = ARGUMENTS.get(event) ?? [];
  const renamed = error.details.map(({ field, message }) => {
    const [head = '', ...rest] = field.split('.');
    const position = /^\d+$/.test(head) ? args[Number(head)] : args.find((candidate) => candidate.name === head);
    const name = position?.name ?? (field === '(body)' ? 'arguments' : head);
    return { field: [name, ...rest].join('.'), message, label: rest.length > 0 ? fieldLabel(rest.join('.')) : (position?.label ?? event) };
  });
  const labels = new Map(renamed.map((issue) => [issue.field, issue.label]));
  return validationFailed(
    renamed.map(({ field, message }) => ({ field, message })),
    (field) => labels.get(field) ?? fieldLabel(field),
  );
}

function logEnded(logger: Logger, result: LeaveCallResult | null): void {
  if (!result?.ended) return;
  const { startedAt, endedAt, peakSize } = result.ended;
  logger.info({ durationMs: endedAt.getTime() - startedAt.getTime(), peakSize }, 'call ended');
}
