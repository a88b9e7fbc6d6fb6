/**
 * A client process of bench:capacity, forked by it: it holds a few thousand real socket.io-client sockets (a process
 * here may open as few files as the server, so one cannot hold them all), each bound to a loopback source address of
 * its own block (127.<block>.x.y) at most `perAddress` to an address, and answers the bench's commands over IPC.
 * The live role keeps calls chatting and signalling at a steady rate and times every delivery.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { CANDIDATE, connect, LOST_AFTER_MS, request, within } from './bench-socket';
import { count } from './server-process';
import { summary } from './stats';
import { SwarmCommand, type SwarmReply } from './swarm-protocol';

const block = Number(process.argv[2]);
const perAddress = Number(process.argv[3]);
let opened = 0;
const sockets: Socket[] = [];
/** Sockets whose connection ended without the bench closing them. */
let dropped = 0;
let closing = false;

/** The n-th socket's source address: `perAddress` sockets to each, 254 addresses to each 127.block.x. */
function sourceAddress(n: number): string {
  const address = Math.floor(n / perAddress);
  return `127.${block}.${Math.floor(address / 254)}.${(address % 254) + 1}`;
}

async function open(url: string, total: number, parallel: number): Promise<SwarmReply> {
  const refused: Record<string, number> = {};
  let connected = 0;
  for (let i = 0; i < total; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, total - i) }, () => sourceAddress(opened++));
    await Promise.all(
      batch.map((from) =>
        within(connect(url, from), `a connection from ${from}`).then(
          (socket) => {
            connected += 1;
            sockets.push(socket);
            socket.once('disconnect', () => void (closing || (dropped += 1)));
          },
          (error: unknown) => count(refused, error instanceof Error ? error.message : String(error)),
        ),
      ),
    );
  }
  return { kind: 'opened', connected, held: sockets.length, refused };
}

interface Pending {
  at: number;
  sender: Socket;
  /** Receivers still to get it. */
  remaining: number;
}

interface Traffic {
  timers: NodeJS.Timeout[];
  /** Messages sent and not yet delivered to every receiver, by id, oldest first. */
  chats: Map<number, Pending>;
  signals: Map<number, Pending>;
  recording: boolean;
  chatSamples: number[];
  signalSamples: number[];
  lost: number;
  errors: Record<string, number>;
  sequence: number;
}

const traffic: Traffic = { timers: [], chats: new Map(), signals: new Map(), recording: false, chatSamples: [], signalSamples: [], lost: 0, errors: {}, sequence: 0 };

/** Counts one delivery of message `id`; the sender's own echo is not one. */
function delivered(pending: Map<number, Pending>, id: unknown, receiver: Socket, samples: number[]): void {
  if (typeof id !== 'number') return;
  const entry = pending.get(id);
  if (!entry || entry.sender === receiver) return;
  if (traffic.recording) samples.push(performance.now() - entry.at);
  entry.remaining -= 1;
  if (entry.remaining === 0) pending.delete(id);
}

function sweepLost(): void {
  const now = performance.now();
  for (const pending of [traffic.chats, traffic.signals]) {
    for (const [id, entry] of pending) {
      if (now - entry.at <= LOST_AFTER_MS) break;
      traffic.lost += entry.remaining;
      pending.delete(id);
    }
  }
}

async function live(command: Extract<SwarmCommand, { kind: 'live' }>): Promise<SwarmReply> {
  const calls: Socket[][] = [];
  for (let c = 0; c < command.calls; c += 1) {
    const members: Socket[] = [];
    for (let p = 0; p < command.participants; p += 1) {
      const from = sourceAddress(opened++);
      members.push(await within(connect(command.url, from), `a live connection from ${from}`));
    }
    for (const socket of members) await request(socket, 'join-call', `capacity-live-${c}`);
    calls.push(members);
    sockets.push(...members);
  }
  for (const members of calls) {
    members.forEach((socket, i) => {
      const next = members[(i + 1) % members.length]!;
      socket.once('disconnect', () => void (closing || (dropped += 1)));
      socket.on('call-error', (error: unknown) => count(traffic.errors, JSON.stringify(error)));
      socket.on('chat-message', (data: unknown) => {
        delivered(traffic.chats, typeof data === 'string' ? Number(data.split(' ')[1]) : null, socket, traffic.chatSamples);
      });
      socket.on('signal', (_from: unknown, message: unknown) => {
        const id = typeof message === 'object' && message !== null && 'seq' in message ? message.seq : null;
        delivered(traffic.signals, id, socket, traffic.signalSamples);
      });
      // Each socket on its own phase, so that the calls' traffic is spread over time rather than sent in bursts.
      const chat = () => {
        const id = traffic.sequence++;
        traffic.chats.set(id, { at: performance.now(), sender: socket, remaining: members.length - 1 });
        socket.emit('chat-message', `capacity ${id}`, 'Bench');
      };
      const signal = () => {
        const id = traffic.sequence++;
        traffic.signals.set(id, { at: performance.now(), sender: socket, remaining: 1 });
        socket.emit('signal', next.id, { ...CANDIDATE, seq: id });
      };
      const start = (every: number, send: () => void) =>
        traffic.timers.push(setTimeout(() => traffic.timers.push(setInterval(send, every)), Math.random() * every));
      start(command.chatEveryMs, chat);
      start(command.signalEveryMs, signal);
    });
  }
  traffic.timers.push(setInterval(sweepLost, 1000));
  return { kind: 'live-ready', sockets: calls.flat().length };
}

const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

async function window(seconds: number): Promise<SwarmReply> {
  traffic.chatSamples = [];
  traffic.signalSamples = [];
  traffic.recording = true;
  loop.reset();
  await new Promise((done) => setTimeout(done, seconds * 1000));
  traffic.recording = false;
  sweepLost();
  const { chatSamples, signalSamples, lost, errors } = traffic;
  return { kind: 'window', chat: summary(chatSamples), signal: summary(signalSamples), lost, errors, loopDelayMaxMs: loop.max / 1e6 };
}

function close(): SwarmReply {
  closing = true;
  traffic.timers.forEach((timer) => clearTimeout(timer));
  traffic.timers = [];
  sockets.splice(0).forEach((socket) => socket.close());
  opened = 0;
  const reply: SwarmReply = { kind: 'closed', dropped };
  dropped = 0;
  traffic.chats = new Map();
  traffic.signals = new Map();
  traffic.lost = 0;
  traffic.errors = {};
  closing = false;
  return reply;
}

function run(command: SwarmCommand): Promise<SwarmReply> {
  switch (command.kind) {
    case 'open':
      return open(command.url, command.count, command.parallel);
    case 'live':
      return live(command);
    case 'window':
      return window(command.seconds);
    case 'close':
      return Promise.resolve(close());
  }
}

process.on('message', (raw: unknown) => {
  const reply = (message: SwarmReply) => process.send?.(message);
  const parsed = SwarmCommand.safeParse(raw);
  if (!parsed.success) return reply({ kind: 'failed', message: `bad command: ${parsed.error.message}` });
  run(parsed.data).then(reply, (error: unknown) => reply({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
// The bench gone, nothing is left to hold the sockets for.
process.on('disconnect', () => process.exit(0));
