/**
 * The Socket.IO half of `npm run fuzz`: real socket.io-client sockets (guests and logged-in) and hand-written frames
 * send malformed, oversized, flooding and churning traffic, while two honest peers in one call exchange numbered
 * signals and chat and check that every one arrives, in order. Every ack and server event is checked against the
 * protocol table.
 */
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { ackError, clientEvents, serverEvents, type ClientEvent, type ServerEvent } from '../src/adapters/realtime/protocol';
import { RawSocket } from '../tests/support/raw-socket';
import { fuzzString, fuzzValue, nestedJson, type Random } from './support/random';
import { count, sleep } from './support/server-process';
import type { InterleavingTally } from './fuzz-resume';

export interface SocketFuzzOptions {
  url: string;
  count: number;
  deadline: number;
  random: Random;
  /** A valid session token (the honest logged-in peer and some fuzz sockets use it). */
  token: string;
  /** Tokens that must be refused. */
  badTokens: string[];
  /** MAX_SOCKETS_PER_ADDRESS the server runs with: one phase opens more than that at once. */
  maxSocketsPerAddress: number;
}

/** The server's frame limit (maxHttpBufferSize). */
const MAX_FRAME_BYTES = 128 * 1024;
const KNOWN_EVENTS = Object.keys(clientEvents) as ClientEvent[];
const ODD_EVENTS = ['error', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'user-joined', 'call-error', 'session-ended', 'signal ', 'JOIN-CALL', '', 'x'.repeat(3000), '😀', 'chat-message\u0000'];
const RAW_ONLY_EVENTS = ['connect', 'disconnect', 'disconnecting', 'newListener', 'removeListener', 'connect_error'];
/** Calls the fuzz sockets crowd into; the honest peers' call is added once it exists. */
const CALL_PATHS = ['fuzz-a', 'fuzz-b', 'fuzz-c', 'https://meet.example/fuzz-d'];

/** Ids to aim at besides the live fuzz sockets: the honest peers (once they exist) and ids that never existed. */
const OTHER_IDS = ['nobody', 'x'.repeat(128), 'x'.repeat(129)];

const isClientEvent = (event: string): event is ClientEvent => Object.hasOwn(clientEvents, event);
const isServerEvent = (event: string): event is ServerEvent => Object.hasOwn(serverEvents, event);
const [JOINED_ACK, WAITING_ACK] = clientEvents['join-call'].ack.options;
const ACK_OK: { [E in ClientEvent]: z.ZodType } = {
  'join-call': z.union([JOINED_ACK.extend({ ok: z.literal(true) }), WAITING_ACK.extend({ ok: z.literal(true) })]),
  signal: clientEvents.signal.ack.extend({ ok: z.literal(true) }),
  'chat-message': clientEvents['chat-message'].ack.extend({ ok: z.literal(true) }),
  'media-state': clientEvents['media-state'].ack.extend({ ok: z.literal(true) }),
  'leave-call': clientEvents['leave-call'].ack.extend({ ok: z.literal(true) }),
  kick: clientEvents.kick.ack.extend({ ok: z.literal(true) }),
  mute: clientEvents.mute.ack.extend({ ok: z.literal(true) }),
  'call-options': clientEvents['call-options'].ack.extend({ ok: z.literal(true) }),
  'transfer-host': clientEvents['transfer-host'].ack.extend({ ok: z.literal(true) }),
  'end-call': clientEvents['end-call'].ack.extend({ ok: z.literal(true) }),
  unban: clientEvents.unban.ack.extend({ ok: z.literal(true) }),
  admit: clientEvents.admit.ack.extend({ ok: z.literal(true) }),
  deny: clientEvents.deny.ack.extend({ ok: z.literal(true) }),
  'sfu-publish': clientEvents['sfu-publish'].ack.extend({ ok: z.literal(true) }),
  'sfu-subscribe': clientEvents['sfu-subscribe'].ack.extend({ ok: z.literal(true) }),
  'sfu-answer': clientEvents['sfu-answer'].ack.extend({ ok: z.literal(true) }),
  'sfu-candidate': clientEvents['sfu-candidate'].ack.extend({ ok: z.literal(true) }),
  'sfu-layer': clientEvents['sfu-layer'].ack.extend({ ok: z.literal(true) }),
  reaction: clientEvents.reaction.ack.extend({ ok: z.literal(true) }),
};
const SERVER_ARGS: Record<ServerEvent, z.ZodType> = serverEvents;

export class SocketTally {
  clientEvents = 0;
  rawFrames = 0;
  readonly ackByCode: Record<string, number> = {};
  readonly callErrorByCode: Record<string, number> = {};
  readonly connectAnswers: Record<string, number> = {};
  readonly disconnects: Record<string, number> = {};
  readonly rawAckByCode: Record<string, number> = {};
  readonly rawCallErrorByCode: Record<string, number> = {};
  readonly rawConnectAnswers: Record<string, number> = {};
  readonly rawCloses: Record<string, number> = {};
  readonly kinds: Record<string, number> = {};
  readonly unanswered: Record<string, number> = {};
  readonly addressLimit: Record<string, number> = {};
  honest: Record<string, number | boolean> = {};
  /** The join/resume/leave interleavings run alongside (fuzz-resume.ts), once they are done. */
  interleavings: InterleavingTally | null = null;
  failures = 0;
  readonly samples: string[] = [];

  fail(reason: string): void {
    this.failures += 1;
    if (this.samples.length < 20) this.samples.push(reason.slice(0, 600));
  }

  /** Counts an ack by its code ('ok' for success) and checks its shape; INTERNAL is a failure. */
  ack(into: Record<string, number>, event: unknown, response: unknown): void {
    const name = typeof event === 'string' ? event : String(event);
    if (typeof response === 'object' && response !== null && 'ok' in response && response.ok === true) {
      count(into, 'ok');
      const schema = isClientEvent(name) ? ACK_OK[name] : undefined;
      if (!schema) this.fail(`ok ack for an event outside the protocol: ${name.slice(0, 40)}`);
      else if (!schema.safeParse(response).success) this.fail(`${name}: ack does not match the protocol: ${JSON.stringify(response).slice(0, 300)}`);
      return;
    }
    const parsed = ackError.safeParse(response);
    if (!parsed.success) {
      count(into, 'malformed');
      this.fail(`${name.slice(0, 40)}: ack is neither ok nor an error: ${JSON.stringify(response)?.slice(0, 300)}`);
      return;
    }
    count(into, parsed.data.error.code);
    if (parsed.data.error.code === 'INTERNAL') this.fail(`${name.slice(0, 40)}: INTERNAL ack`);
  }

  /** Checks an event the server sent against the protocol table; counts call-error by code. */
  serverEvent(into: Record<string, number>, event: string, args: unknown[]): void {
    if (!isServerEvent(event)) {
      this.fail(`server sent an event outside the protocol: ${event}`);
      return;
    }
    if (!SERVER_ARGS[event].safeParse(args).success) this.fail(`server event ${event} does not match the protocol: ${JSON.stringify(args).slice(0, 300)}`);
    if (event === 'call-error') {
      const code = (args[0] as { code?: unknown } | undefined)?.code;
      count(into, String(code));
      if (code === 'INTERNAL') this.fail('call-error INTERNAL');
    }
  }
}

type Client = Socket;

/**
 * Connects; resolves with the socket, or with the error of a refused or failed handshake. socket.io-client reports a
 * transport closed before the namespace answered as 'disconnect' (not connect_error), hence that listener too.
 */
export function openClient(url: string, auth: Record<string, unknown>): Promise<Client | Error> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 10_000 });
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(new Error('no answer to the handshake in 15 s')), 15_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.close();
      resolve(error);
    };
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', fail);
    socket.once('disconnect', (reason: string) => fail(new Error(`closed during the handshake (${reason})`)));
  });
}

/** Bounds one worker step, so that a step that never settles is reported as a failure instead of hanging the run. */
export async function bounded(tally: SocketTally, what: string, step: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      tally.fail(`${what} did not finish in 60 s`);
      resolve();
    }, 60_000);
  });
  await Promise.race([step, stuck]);
  clearTimeout(timer);
}

/** Emits with an ack; resolves with the ack's value, or a marker when the socket dropped or nothing came in 10 s. */
export function request(socket: Client, event: string, args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ unanswered: 'timeout' }), 10_000);
    const onDisconnect = () => finish({ unanswered: 'disconnected' });
    const finish = (value: unknown) => {
      clearTimeout(timer);
      socket.off('disconnect', onDisconnect);
      resolve(value);
    };
    socket.once('disconnect', onDisconnect);
    socket.emit(event, ...args, finish);
  });
}

export const unansweredOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'unanswered' in value ? String(value.unanswered) : undefined;

function plausibleArgs(event: ClientEvent, random: Random, ids: string[]): unknown[] {
  const some = () => (random.chance(0.5) ? fuzzString(random) : fuzzValue(random, 1));
  switch (event) {
    case 'join-call':
      return [random.chance(0.7) ? random.pick(CALL_PATHS) : some(), random.pick([undefined, { name: some() }, { name: 'Fuzz' }, some(), { resume: some() }, { name: 'Fuzz', resume: 'x'.repeat(random.int(100, 200)) }])];
    case 'signal': {
      const message = random.pick([
        () => ({ type: 'candidate', candidate: fuzzString(random) }),
        () => fuzzValue(random),
        () => 'x'.repeat(random.pick([64 * 1024 - 2, 64 * 1024, 64 * 1024 + 1, 30_000])),
        () => JSON.parse(nestedJson(random, random.int(28, 40))) as unknown,
        () => ({ sdp: '😀'.repeat(random.int(8000, 20_000)) }),
      ])();
      return [random.chance(0.7) ? random.pick(ids) : some(), message];
    }
    case 'chat-message':
      return [random.chance(0.5) ? `fuzz chat ${random.int(0, 1e6)}` : some(), random.pick([undefined, some(), 'Fuzzer'])];
    case 'media-state':
      return [
        random.chance(0.5)
          ? { audio: random.chance(0.5), video: random.pick([true, false, 'yes', null]), hand: random.chance(0.5) }
          : fuzzValue(random, 0, ['audio', 'video', 'screen', 'hand']),
      ];
    case 'leave-call':
    case 'end-call':
      return random.chance(0.8) ? [] : [some()];
    case 'kick':
      return [random.chance(0.7) ? random.pick(ids) : some(), random.pick([undefined, { ban: random.chance(0.5) }, some()])];
    case 'mute':
      return [random.chance(0.7) ? random.pick(ids) : some(), random.pick(['audio', 'video', some()]), random.pick([undefined, { force: random.chance(0.5) }, some()])];
    case 'call-options':
      return [random.chance(0.7) ? { locked: random.chance(0.3), lobby: random.chance(0.2) } : some()];
    case 'transfer-host':
    case 'admit':
    case 'deny':
      return [random.chance(0.7) ? random.pick(ids) : some()];
    case 'unban':
      return [some()];
    case 'sfu-publish':
      return [random.pick([{ sdp: 'v=0\r\n' + fuzzString(random) }, { sdp: some(), restart: random.chance(0.5) }, some()])];
    case 'sfu-answer':
      return [random.pick([{ sdp: 'v=0\r\n' + fuzzString(random) }, { sdp: some() }, some()])];
    case 'sfu-subscribe':
      return random.chance(0.8) ? [] : [some()];
    case 'sfu-candidate':
      return [random.pick(['publisher', 'subscriber', some()]), random.pick([null, { candidate: fuzzString(random), sdpMid: '0', sdpMLineIndex: 0 }, some()])];
    case 'sfu-layer':
      return [random.chance(0.7) ? random.pick(ids) : some(), random.pick(['low', 'high', some()])];
    case 'reaction':
      return [random.pick(['👍', '🎉', '👍🏽', '<b>', some()])];
  }
}

/** One real socket's life: connect (guest, token or bad token), a run of fuzzed events, then leave or just drop. */
async function clientLife(options: SocketFuzzOptions, tally: SocketTally, ids: Set<string>, budget: () => boolean, phase: (text: string) => void): Promise<void> {
  const { random } = options;
  const auth = random.pick<Record<string, unknown>>([
    {},
    {},
    { token: options.token },
    { token: random.pick(options.badTokens) },
    { token: fuzzValue(random) },
    { token: '' },
  ]);
  phase(`connecting ${JSON.stringify(auth).slice(0, 60)}`);
  const socket = await openClient(options.url, auth);
  if (socket instanceof Error) {
    count(tally.connectAnswers, `connect_error ${socket.message}`);
    if (socket.message === 'INTERNAL') tally.fail('connect_error INTERNAL');
    return;
  }
  count(tally.connectAnswers, 'connected');
  const id = socket.id ?? '';
  ids.add(id);
  let dropped = false;
  socket.on('disconnect', (reason: string) => {
    dropped = true;
    count(tally.disconnects, reason);
  });
  socket.onAny((event: string, ...args: unknown[]) => tally.serverEvent(tally.callErrorByCode, event, args));

  if (random.chance(0.7)) {
    // Most sockets first join a call, so that what follows reaches the handlers rather than NOT_IN_CALL.
    tally.clientEvents += 1;
    count(tally.kinds, 'join-call');
    const joined = await request(socket, 'join-call', [random.pick(CALL_PATHS), { name: 'Fuzzer' }]);
    if (!unansweredOf(joined)) tally.ack(tally.ackByCode, 'join-call', joined);
  }
  for (let left = random.int(5, 150); left > 0 && !dropped && budget(); left -= 1) {
    const roll = random.next();
    if (roll < 0.0015) {
      // A flood past the per-socket burst (twice the rate), unacked: the excess comes back as call-error RATE_LIMITED.
      const event = random.pick(['chat-message', 'chat-message', 'chat-message', 'media-state', 'media-state', 'media-state', 'signal'] as const);
      const n = event === 'signal' ? random.int(2100, 2600) : random.int(250, 500);
      const target = random.pick([...ids, ...OTHER_IDS]);
      for (let i = 0; i < n; i += 1) {
        if (event === 'chat-message') socket.emit(event, `flood ${i}`);
        else if (event === 'signal') socket.emit(event, target, { type: 'candidate', candidate: `c${i}` });
        else socket.emit(event, { audio: i % 2 === 0 });
      }
      tally.clientEvents += n;
      count(tally.kinds, `flood ${event}`, n);
      await sleep(20);
      continue;
    }
    if (roll < 0.006) {
      // Over the 128 KB frame limit: the server closes the connection.
      socket.emit('chat-message', 'x'.repeat(random.int(131_072, 200_000)));
      tally.clientEvents += 1;
      count(tally.kinds, 'oversized frame');
      await sleep(50);
      continue;
    }
    const known = random.chance(0.8);
    const event = known ? random.pick(KNOWN_EVENTS) : random.pick(ODD_EVENTS);
    let args: unknown[];
    if (known && random.chance(0.6)) args = plausibleArgs(event as ClientEvent, random, [...ids, ...OTHER_IDS]);
    else args = Array.from({ length: random.int(0, 5) }, () => (random.chance(0.05) ? random.bytes(random.int(0, 64)) : fuzzValue(random)));
    tally.clientEvents += 1;
    count(tally.kinds, known ? event : 'odd event name');
    if (random.chance(0.6)) {
      phase(`awaiting ack of ${event.slice(0, 20)}`);
      const answer = await request(socket, event, args);
      const unanswered = unansweredOf(answer);
      if (unanswered) {
        count(tally.unanswered, unanswered);
        if (unanswered === 'timeout') tally.fail(`${event.slice(0, 40)}: no ack in 10 s`);
      } else tally.ack(tally.ackByCode, event, answer);
    } else {
      socket.emit(event, ...args);
      if (random.chance(0.3)) await sleep(1);
    }
  }
  phase('leaving');
  if (!dropped && random.chance(0.5)) await request(socket, 'leave-call', []);
  ids.delete(id);
  socket.close();
}

/** Frames that are not a well-formed event: the server's parser refuses them and closes the connection (or ignores them). */
const RAW_GARBAGE = [
  '4',
  '42',
  '42[',
  '42{}',
  '42[]',
  '42"x"',
  '42[1,2]',
  '42[null]',
  '43["x"]',
  '4399[1]',
  '41',
  '40',
  '40/nope,',
  '44',
  '45',
  '46',
  '451-["chat-message",{"_placeholder":true,"num":0}]',
  '452-["signal",{"_placeholder":true,"num":7},{"_placeholder":true,"num":-1}]',
  '42/other,["chat-message","x"]',
  '6',
  '5',
  '1',
  '2',
  '3',
  'x',
  '',
  '0',
  '4\u0000',
];

/** One hand-written connection: a CONNECT payload of any kind, then frames of any kind. */
async function rawLife(options: SocketFuzzOptions, tally: SocketTally, ids: Set<string>, budget: () => boolean, phase: (text: string) => void): Promise<void> {
  const { random } = options;
  const connectPayload = random.pick([
    '',
    '',
    '',
    '',
    '',
    JSON.stringify({ token: options.token }),
    JSON.stringify({ token: options.token }),
    JSON.stringify({ token: options.token }),
    JSON.stringify({ token: random.pick(options.badTokens) }),
    '{"token":123}',
    '{"token":{"$ne":null}}',
    '{"token":["a"]}',
    '[1]',
    '"x"',
    '{',
    nestedJson(random, random.int(10, 5000)),
    `{"token":"${'a'.repeat(20_000)}"}`,
  ]);
  phase(`raw opening ${connectPayload.slice(0, 40)}`);
  const { socket, answer } = await RawSocket.connect(options.url, { connectPayload });
  phase('raw sending');
  const kind = answer.startsWith('40') ? 'connected' : answer.startsWith('44') ? `44 ${(/"message":"([A-Z_]+)"/.exec(answer)?.[1] ?? answer.slice(0, 40))}` : answer;
  count(tally.rawConnectAnswers, kind);
  if (kind.includes('INTERNAL')) tally.fail(`raw connect answered INTERNAL: ${answer.slice(0, 200)}`);
  tally.rawFrames += 1;

  const pending = new Map<number, string>();
  let strict = kind === 'connected';
  socket.onFrame = (frame) => {
    const ack = /^43(\d+)([\s\S]*)$/.exec(frame);
    if (ack) {
      const id = Number(ack[1]);
      const event = pending.get(id);
      pending.delete(id);
      let value: unknown;
      try {
        value = (JSON.parse(ack[2] ?? '') as unknown[])[0];
      } catch {
        tally.fail(`raw ack is not JSON: ${frame.slice(0, 200)}`);
        return;
      }
      tally.ack(tally.rawAckByCode, event ?? '(unknown id)', value);
      return;
    }
    if (frame.startsWith('42[')) {
      try {
        const [event, ...args] = JSON.parse(frame.slice(2)) as [string, ...unknown[]];
        tally.serverEvent(tally.rawCallErrorByCode, event, args);
      } catch {
        tally.fail(`raw event is not JSON: ${frame.slice(0, 200)}`);
      }
    }
  };

  // Most connections send only well-formed event frames (any name, any arguments, any depth) and must answer every
  // ack and stay open; the rest mix in frames that break the connection, which the server then closes.
  const breaker = random.chance(0.25);
  const breakingFrame = (): string | Buffer => {
    const roll = random.next();
    if (roll < 0.5) return random.pick(RAW_GARBAGE);
    if (roll < 0.7) return `42[${JSON.stringify(random.pick(RAW_ONLY_EVENTS))}]`;
    if (roll < 0.8) return `421[${random.pick(['1', 'null', '{}', '[]', 'true'])},"x"]`;
    if (roll < 0.9) return random.bytes(random.int(1, 512));
    return `42["chat-message","${'x'.repeat(random.int(131_072, 300_000))}"]`;
  };
  let nextId = 1;
  const recent: string[] = [];
  for (let left = random.int(10, 200); left > 0 && !socket.closed && budget(); left -= 1) {
    tally.rawFrames += 1;
    if (breaker && random.chance(0.1)) {
      count(tally.kinds, 'raw breaking frame');
      socket.send(breakingFrame());
      strict = false;
    } else {
      const name = random.chance(0.6) ? random.pick(KNOWN_EVENTS) : random.pick(ODD_EVENTS);
      const argsJson = Array.from({ length: random.int(0, 3) }, () =>
        random.chance(0.15) ? nestedJson(random, random.int(100, 12_000)) : JSON.stringify(fuzzValue(random)) ?? 'null',
      );
      if (name === 'signal' && random.chance(0.5)) argsJson.splice(0, 1, JSON.stringify(random.pick([...ids, ...OTHER_IDS])));
      const acked = random.chance(0.6);
      const id = nextId++;
      if (acked) pending.set(id, name);
      count(tally.kinds, `raw ${isClientEvent(name) ? name : 'odd event name'}`);
      const frame = `42${acked ? id : ''}[${[JSON.stringify(name), ...argsJson].join(',')}]`;
      recent.push(`${Buffer.byteLength(frame)}B ${frame.slice(0, 80)}`);
      if (recent.length > 3) recent.shift();
      if (Buffer.byteLength(frame) > MAX_FRAME_BYTES) {
        // Arguments that add up past the frame limit: a breaking frame after all (the server closes with 1009).
        count(tally.kinds, 'raw oversized frame');
        strict = false;
      }
      socket.send(frame);
    }
    // Yield, so that a close by the server is seen before the next frame.
    await new Promise((next) => setImmediate(next));
  }
  phase(`raw awaiting ${pending.size} acks`);
  // Acks still due arrive within a few seconds; a clean connection must have answered them all and still be open.
  for (let wait = 0; wait < 100 && pending.size > 0 && !socket.closed; wait += 1) await sleep(100);
  if (strict && (pending.size > 0 || socket.closed)) {
    tally.fail(`raw: clean connection ${socket.closed ? `closed by the server (${socket.closedWith})` : 'still open'} with ${pending.size} acks unanswered; last frames: ${recent.join(' | ')}`);
  }
  if (pending.size > 0) count(tally.unanswered, strict ? 'raw: clean connection' : 'raw: after a breaking frame', pending.size);
  if (!breaker && !socket.closed && random.chance(0.3)) {
    // One breaking frame at the end of a clean run, now that its acks are all in.
    tally.rawFrames += 1;
    count(tally.kinds, 'raw breaking frame');
    socket.send(breakingFrame());
    await sleep(50);
  }
  count(tally.rawCloses, socket.closed ? 'closed by server' : 'closed by fuzzer');
  socket.close();
}

interface HonestStats {
  signalsSent: number;
  signalsReceived: number;
  chatsSent: number;
  chatsReceived: number;
  problems: string[];
}

/** Two peers in one call: numbered signals and chats each way; each side checks it gets exactly 0, 1, 2… in order. */
async function honestPair(options: SocketFuzzOptions, tally: SocketTally) {
  const path = `honest-${options.random.int(0, 1e9)}`;
  CALL_PATHS.push(path);
  const a = await openClient(options.url, { token: options.token });
  const b = await openClient(options.url, {});
  if (a instanceof Error || b instanceof Error) throw new Error('honest peers could not connect');
  for (const [socket, name] of [[a, 'Ann'], [b, 'Bob']] as const) {
    const joined = await request(socket, 'join-call', [path, { name }]);
    if ((joined as { ok?: unknown }).ok !== true) throw new Error(`honest join failed: ${JSON.stringify(joined)}`);
  }
  OTHER_IDS.push(a.id ?? '', b.id ?? '');
  const stats: HonestStats = { signalsSent: 0, signalsReceived: 0, chatsSent: 0, chatsReceived: 0, problems: [] };
  const problem = (text: string) => {
    if (stats.problems.length < 20) stats.problems.push(text);
    else stats.problems[19] = `… and more (${text})`;
  };
  let running = true;
  let pendingAcks = 0;
  const pair: Array<[Client, Client]> = [
    [a, b],
    [b, a],
  ];
  for (const [from, to] of pair) {
    const fromId = from.id ?? '';
    const expected = { signal: 0, chat: 0 };
    to.on('signal', (sender: string, message: { honest?: number }) => {
      if (sender !== fromId) return;
      if (message.honest !== expected.signal) problem(`signal ${String(message.honest)} arrived when ${expected.signal} was due`);
      expected.signal = (message.honest ?? expected.signal) + 1;
      stats.signalsReceived += 1;
    });
    to.on('chat-message', (data: string, _sender: string, senderId: string) => {
      if (senderId !== fromId) return;
      const seq = Number(/^honest (\d+)$/.exec(data)?.[1]);
      if (seq !== expected.chat) problem(`chat ${seq} arrived when ${expected.chat} was due`);
      expected.chat = seq + 1;
      stats.chatsReceived += 1;
    });
    to.on('call-error', (error: unknown) => problem(`call-error ${JSON.stringify(error)}`));
    to.on('disconnect', (reason: string) => running && problem(`disconnected: ${reason}`));
    to.onAny((event: string, ...args: unknown[]) => tally.serverEvent({}, event, args));
  }
  const loops = pair.map(async ([from, to]) => {
    const toId = to.id ?? '';
    for (let seq = 0, chat = 0; running; seq += 1) {
      const message = { type: 'candidate', honest: seq, candidate: `candidate:${seq} 1 udp 2122260223 192.0.2.1 54400 typ host` };
      if (seq % 4 === 0) {
        pendingAcks += 1;
        from.emit('signal', toId, message, (ack: { ok?: unknown }) => {
          pendingAcks -= 1;
          if (ack.ok !== true) problem(`signal ack ${JSON.stringify(ack)}`);
        });
      } else from.emit('signal', toId, message);
      stats.signalsSent += 1;
      if (seq % 10 === 0) {
        const text = `honest ${chat}`;
        chat += 1;
        stats.chatsSent += 1;
        if (chat % 2 === 0) {
          pendingAcks += 1;
          from.emit('chat-message', text, 'peer', (ack: { ok?: unknown }) => {
            pendingAcks -= 1;
            if (ack.ok !== true) problem(`chat ack ${JSON.stringify(ack)}`);
          });
        } else from.emit('chat-message', text, 'peer');
      }
      await sleep(5);
    }
  });
  return {
    async finish(): Promise<HonestStats> {
      running = false;
      await Promise.all(loops);
      for (let wait = 0; wait < 100; wait += 1) {
        if (pendingAcks === 0 && stats.signalsReceived === stats.signalsSent && stats.chatsReceived === stats.chatsSent) break;
        await sleep(100);
      }
      if (stats.signalsReceived !== stats.signalsSent) problem(`signals: ${stats.signalsSent} sent, ${stats.signalsReceived} received`);
      if (stats.chatsReceived !== stats.chatsSent) problem(`chats: ${stats.chatsSent} sent, ${stats.chatsReceived} received`);
      if (pendingAcks > 0) problem(`${pendingAcks} acks never came`);
      a.close();
      b.close();
      return stats;
    },
  };
}

/** More sockets at once than the per-address limit allows: the excess must get connect_error RATE_LIMITED. */
async function addressLimit(options: SocketFuzzOptions, tally: SocketTally): Promise<void> {
  const opened = await Promise.all(Array.from({ length: options.maxSocketsPerAddress + 10 }, () => RawSocket.connect(options.url)));
  for (const { answer } of opened) {
    count(tally.addressLimit, answer.startsWith('40') ? 'connected' : answer.startsWith('44') ? `44 ${/"message":"([A-Z_]+)"/.exec(answer)?.[1] ?? '?'}` : answer);
  }
  if (!tally.addressLimit['44 RATE_LIMITED']) tally.fail(`no RATE_LIMITED past ${options.maxSocketsPerAddress} sockets`);
  opened.forEach(({ socket }) => socket.close());
  await Promise.all(opened.map(({ socket }) => socket.done));
  await sleep(500);
}

/** What each worker is doing, printed every 5 s with FUZZ_DEBUG=1 (to see where a stuck run waits). */
const PHASES = new Map<string, string>();

/** Work run next to the fuzz workers, reporting what it is doing through `show`; the address-limit phase waits for it. */
export type Alongside = (tally: SocketTally, show: (worker: string, text: string) => void) => Promise<void>;

export async function fuzzSockets(options: SocketFuzzOptions, alongside?: Alongside): Promise<SocketTally> {
  const tally = new SocketTally();
  const progress = process.env.FUZZ_DEBUG
    ? setInterval(() => console.error(JSON.stringify({ clientEvents: tally.clientEvents, rawFrames: tally.rawFrames, phases: Object.fromEntries(PHASES) })), 5000)
    : undefined;
  const honest = await honestPair(options, tally);
  const ids = new Set<string>();
  const clientShare = Math.round(options.count * 0.75);
  const clientBudget = () => tally.clientEvents < clientShare && Date.now() < options.deadline;
  const rawBudget = () => tally.rawFrames < options.count - clientShare && Date.now() < options.deadline;
  const clients = Array.from({ length: 16 }, async (_, i) => {
    while (clientBudget()) await bounded(tally, `client ${i}`, clientLife(options, tally, ids, clientBudget, (phase) => PHASES.set(`client ${i}`, phase)));
    PHASES.delete(`client ${i}`);
  });
  const raws = Array.from({ length: 4 }, async (_, i) => {
    while (rawBudget()) await bounded(tally, `raw ${i}`, rawLife(options, tally, ids, rawBudget, (phase) => PHASES.set(`raw ${i}`, phase)));
    PHASES.delete(`raw ${i}`);
  });
  const beside = alongside?.(tally, (worker, text) => (text === 'done' ? PHASES.delete(worker) : PHASES.set(worker, text)));
  await Promise.all([...clients, ...raws, beside]);
  await sleep(500);
  PHASES.set('main', 'address limit');
  await bounded(tally, 'address limit phase', addressLimit(options, tally));
  PHASES.set('main', 'honest finish');
  const stats = await honest.finish();
  clearInterval(progress);
  tally.honest = {
    signalsSent: stats.signalsSent,
    signalsReceived: stats.signalsReceived,
    chatsSent: stats.chatsSent,
    chatsReceived: stats.chatsReceived,
    inOrderAndComplete: stats.problems.length === 0,
  };
  for (const text of stats.problems) tally.fail(`honest peers: ${text}`);
  return tally;
}
