/**
 * The Socket.IO protocol, written once. Each event lists its positional arguments (name and zod schema) and,
 * for client events, the ack payload. Runtime validation, the argument names in error details, the typed
 * event maps below and docs/protocol.md (checked by a test) all follow from these two tables.
 *
 * Clients:
 *   import type { ClientToServerEvents, ServerToClientEvents } from '<this module>';
 *   const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { auth: { token } });
 * Positional arguments match what existing front ends send and read; every client event may end with an ack.
 */
import { z } from 'zod';
import { iceServerSchema } from '../ice-server-schema';
import { CallPath, ChatText, GuestName, SignalMessage, type SignalPayload } from '../../domain/call';
import { ERROR_CODES } from '../../domain/errors';
import { REACTIONS } from '../../domain/reaction';
import { flag, ruledString, strictShape, text } from '../validate';
import { isRelayableSignal, SIGNAL_RULE } from './signal-payload';

/**
 * A positional argument. `name` is what error details and the docs call it; `label` is how an error message
 * names it to a person ("chat message must not be empty").
 */
const arg = <S extends z.ZodType>(name: string, schema: S, label = name): S => schema.meta({ description: name, title: label });

/** Extra arguments are refused in words. */
const argumentList = {
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code !== 'too_big') return 'must be a list of arguments';
    return issue.maximum === 0 ? 'takes no arguments' : `takes at most ${String(issue.maximum)} arguments`;
  },
};

const upTo = (max: number) => text().max(max, `must be at most ${max} characters`);
const displayName = ruledString(GuestName, upTo(1024));

const mediaState = z.strictObject({ audio: z.boolean(), video: z.boolean(), screen: z.boolean(), hand: z.boolean() });
/** Who someone is: `userId` for an account holder, `guest: true` for a guest, whose name nobody vouches for. */
const identity = { userId: z.string().optional(), guest: z.literal(true).optional() };
const role = z.enum(['host', 'member']);
const participant = z.strictObject({ id: z.string(), name: z.string(), ...identity, media: mediaState, role, connected: z.boolean() });
const callOptions = z.strictObject({ locked: z.boolean(), lobby: z.boolean() });
/** Someone waiting in a call's lobby, as its host sees them. */
const lobbyEntry = z.strictObject({ id: z.string(), name: z.string(), ...identity });
const forcedKind = z.enum(['audio', 'video'], { error: 'must be "audio" or "video"' });
const chatMeta = z.strictObject({ id: z.string(), ts: z.string(), ...identity });
const chatMessage = z.strictObject({ id: z.string(), data: z.string(), sender: z.string(), senderId: z.string(), ts: z.string(), ...identity });
const fieldIssue = z.strictObject({ field: z.string(), message: z.string() });
const errorInfo = z.strictObject({ code: z.enum(ERROR_CODES), message: z.string(), details: z.array(fieldIssue).optional() });

const mediaChange = strictShape({
  audio: flag().optional(),
  video: flag().optional(),
  screen: flag().optional(),
  hand: flag().optional(),
});

function isParticipantId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 128;
}

const participantId = z.custom<string>(isParticipantId, {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a participant id of 1-128 characters'),
});

// One predicate rather than a refinement: this runs for every ICE candidate, and zod refinements cost more than the check.
const signalMessage = z.custom<SignalPayload>(isRelayableSignal, { error: SIGNAL_RULE });

/** How a call's media travels now: peer to peer (mesh), or through the call's room on the SFU. */
const mediaPath = z.enum(['mesh', 'sfu']);
const sessionDescription = strictShape({ sdp: upTo(SignalMessage.maxBytes).min(1, 'is required') });
const sfuConnection = z.enum(['publisher', 'subscriber'], { error: 'must be "publisher" or "subscriber"' });
const iceCandidate = strictShape({
  candidate: upTo(1024),
  sdpMid: upTo(64).nullable().optional(),
  sdpMLineIndex: z.number({ error: 'must be a number' }).int().min(0).max(255).nullable().optional(),
});
const reaction = z.enum(REACTIONS, { error: `must be one of ${REACTIONS.join(' ')}` });

/** Whose stream a media id of a subscription carries. */
const subscribedStream = z.strictObject({ mid: z.string(), participantId: z.string(), kind: z.enum(['audio', 'video']) });

export const ackError = z.strictObject({ ok: z.literal(false), error: errorInfo });

/** What a join answers, and what `admitted` brings a waiter once a host lets it in. */
const joinedCall = z.strictObject({
  callId: z.string(),
  self: participant,
  participants: z.array(participant),
  history: z.array(chatMessage),
  iceServers: z.array(iceServerSchema),
  options: callOptions,
  media: z.strictObject({ path: mediaPath }),
});

export const clientEvents = {
  'join-call': {
    args: z.tuple(
      [arg('path', ruledString(CallPath), 'meeting link'), arg('opts', strictShape({ name: displayName.optional(), resume: upTo(128).optional() }).optional(), 'options')],
      argumentList,
    ),
    ack: z.union([
      joinedCall.extend({ lobby: z.array(lobbyEntry).optional(), resumed: z.boolean(), resumeToken: z.string().optional() }),
      z.strictObject({ waiting: z.literal(true) }),
    ]),
  },
  signal: {
    args: z.tuple([arg('toId', participantId, 'signal target'), arg('message', signalMessage, 'signal')], argumentList),
    ack: z.strictObject({}),
    /** The schema's own predicates, without zod around them: this runs for every ICE candidate. */
    accepts: (raw: unknown[]): raw is [string, SignalPayload] => raw.length === 2 && isParticipantId(raw[0]) && isRelayableSignal(raw[1]),
  },
  'chat-message': {
    args: z.tuple([arg('data', ruledString(ChatText), 'chat message'), arg('sender', displayName.optional(), 'sender name')], argumentList),
    ack: chatMeta,
  },
  'media-state': {
    args: z.tuple([arg('state', mediaChange, 'media state')], argumentList),
    ack: z.strictObject({ state: mediaState }),
  },
  'leave-call': {
    args: z.tuple([], argumentList),
    ack: z.strictObject({ left: z.boolean() }),
  },
  kick: {
    args: z.tuple([arg('participantId', participantId, 'participant'), arg('opts', strictShape({ ban: flag().optional() }).optional(), 'options')], argumentList),
    ack: z.strictObject({}),
  },
  mute: {
    args: z.tuple(
      [arg('participantId', participantId, 'participant'), arg('kind', forcedKind), arg('opts', strictShape({ force: flag().optional() }).optional(), 'options')],
      argumentList,
    ),
    ack: z.strictObject({ state: mediaState }),
  },
  'call-options': {
    args: z.tuple([arg('options', strictShape({ locked: flag().optional(), lobby: flag().optional() }), 'call options')], argumentList),
    ack: z.strictObject({ options: callOptions }),
  },
  'transfer-host': {
    args: z.tuple([arg('participantId', participantId, 'participant')], argumentList),
    ack: z.strictObject({}),
  },
  'end-call': {
    args: z.tuple([], argumentList),
    ack: z.strictObject({}),
  },
  unban: {
    args: z.tuple([arg('userId', upTo(128).min(1, 'is required'), 'user id')], argumentList),
    ack: z.strictObject({ lifted: z.boolean() }),
  },
  admit: {
    args: z.tuple([arg('participantId', participantId, 'participant')], argumentList),
    ack: z.strictObject({}),
  },
  deny: {
    args: z.tuple([arg('participantId', participantId, 'participant')], argumentList),
    ack: z.strictObject({}),
  },
  'sfu-publish': {
    args: z.tuple([arg('offer', sessionDescription.extend({ restart: flag().optional() }), 'offer')], argumentList),
    ack: z.strictObject({ sdp: z.string() }),
  },
  'sfu-subscribe': {
    args: z.tuple([], argumentList),
    ack: z.strictObject({ offer: z.strictObject({ sdp: z.string() }).nullable(), streams: z.array(subscribedStream) }),
  },
  'sfu-answer': {
    args: z.tuple([arg('answer', sessionDescription, 'answer')], argumentList),
    ack: z.strictObject({}),
  },
  'sfu-candidate': {
    args: z.tuple([arg('connection', sfuConnection), arg('candidate', iceCandidate.nullable(), 'candidate')], argumentList),
    ack: z.strictObject({}),
  },
  'sfu-layer': {
    args: z.tuple(
      [arg('participantId', participantId, 'participant'), arg('layer', z.enum(['low', 'high'], { error: 'must be "low" or "high"' }))],
      argumentList,
    ),
    ack: z.strictObject({}),
  },
  reaction: {
    args: z.tuple([arg('reaction', reaction)], argumentList),
    ack: z.strictObject({}),
  },
} as const satisfies Record<string, { args: z.ZodTuple; ack: z.ZodType<object>; accepts?: (raw: unknown[]) => boolean }>;

export const serverEvents = {
  'user-joined': z.tuple([arg('id', z.string()), arg('clients', z.array(z.string())), arg('participants', z.array(participant))]),
  signal: z.tuple([arg('fromId', z.string()), arg('message', z.union([z.string(), z.record(z.string(), z.unknown())]))]),
  'chat-message': z.tuple([arg('data', z.string()), arg('sender', z.string()), arg('senderId', z.string()), arg('meta', chatMeta)]),
  'media-state': z.tuple([arg('id', z.string()), arg('state', mediaState)]),
  'user-left': z.tuple([arg('id', z.string())]),
  'call-error': z.tuple([arg('error', errorInfo.extend({ event: z.string() }))]),
  'session-ended': z.tuple([arg('info', z.strictObject({ reason: z.enum(['logout', 'expired']) }))]),
  'server-shutdown': z.tuple([arg('info', z.strictObject({ reconnect: z.literal(true) }))]),
  'connection-replaced': z.tuple([arg('info', z.strictObject({ reason: z.literal('resumed-elsewhere') }))]),
  'call-reset': z.tuple([arg('info', z.strictObject({ callId: z.string() }))]),
  'role-changed': z.tuple([arg('id', z.string()), arg('role', role)]),
  kicked: z.tuple([arg('info', z.strictObject({ by: z.string(), banned: z.boolean() }))]),
  muted: z.tuple([arg('info', z.strictObject({ by: z.string(), kind: forcedKind, force: z.boolean() }))]),
  'call-options': z.tuple([arg('options', callOptions)]),
  'call-ended': z.tuple([arg('info', z.strictObject({ by: z.string() }))]),
  'participant-reconnecting': z.tuple([arg('id', z.string())]),
  'participant-reconnected': z.tuple([arg('id', z.string())]),
  'lobby-knock': z.tuple([arg('info', lobbyEntry)]),
  admitted: z.tuple([arg('snapshot', joinedCall.extend({ resumeToken: z.string().optional() }))]),
  denied: z.tuple([]),
  'media-path': z.tuple([arg('info', z.strictObject({ path: mediaPath, reason: z.enum(['grew', 'media-server-lost', 'fallback']) }))]),
  'sfu-publisher': z.tuple([arg('info', z.strictObject({ id: z.string() }))]),
  speaking: z.tuple([arg('id', z.string()), arg('talking', z.boolean())]),
  reaction: z.tuple([arg('id', z.string()), arg('reaction', reaction)]),
} as const satisfies Record<string, z.ZodTuple>;

export type ClientEvent = keyof typeof clientEvents;
export type ServerEvent = keyof typeof serverEvents;

/** The name and label of each of an event's positional arguments, in order. */
export function argumentsOf(tuple: z.ZodTuple): Array<{ name: string; label: string }> {
  return tuple.def.items.map((item, index) => {
    const meta = z.globalRegistry.get(item);
    const name = meta?.description ?? String(index);
    return { name, label: meta?.title ?? name };
  });
}

export type MediaStateDto = z.output<typeof mediaState>;
export type ParticipantDto = z.output<typeof participant>;
export type ChatMessageDto = z.output<typeof chatMessage>;
export type LobbyEntryDto = z.output<typeof lobbyEntry>;
export type CallOptionsDto = z.output<typeof callOptions>;
export type ErrorInfo = z.output<typeof errorInfo>;

/** What a handler of client event E receives once its arguments are valid. */
export type ClientArgs<E extends ClientEvent> = z.output<(typeof clientEvents)[E]['args']>;
/** What a client sends for event E (trailing optional arguments may be left out), before the ack. */
export type ClientParams<E extends ClientEvent> = z.input<(typeof clientEvents)[E]['args']>;
export type AckPayload<E extends ClientEvent> = z.output<(typeof clientEvents)[E]['ack']>;
export type AckError = z.output<typeof ackError>;
export type AckResponse<E extends ClientEvent> = ({ ok: true } & AckPayload<E>) | AckError;
export type Ack<E extends ClientEvent> = (response: AckResponse<E>) => void;

export type ClientToServerEvents = { [E in ClientEvent]: (...args: [...ClientParams<E>, ack?: Ack<E>]) => void };
export type ServerToClientEvents = { [E in ServerEvent]: (...args: z.output<(typeof serverEvents)[E]>) => void };

export interface SocketAccount {
  userId: string;
  name: string;
  token: string;
  sessionId: string;
  expiresAt: Date;
}

export interface SocketData {
  /** Null for a guest. */
  account: SocketAccount | null;
  /** Who this socket speaks for: its own id, or the participant it resumed. */
  participantId: string;
  /** It joined with an ack, so a drop leaves its participant waiting to resume rather than gone. */
  resumable: boolean;
}
