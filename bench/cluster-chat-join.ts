import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { closeAll, connect, connectMany, next, request } from './support/bench-socket';
import { IdleCalls } from './support/idle-calls';
import { sleep } from './support/server-process';
import { medianOfRounds, summary, type Summary } from './support/stats';

export interface ChatJoinSetup {
  idleCalls: number;
  chats: number;
  joins: number;
  rounds: number;
}

/** One chat in flight: the sender's acked chat-message; time to the ack, and to the receiver's chat-message. */
async function chatLatency(senderUrl: string, receiverUrl: string, chats: number, label: string): Promise<{ ack: number[]; delivery: number[] }> {
  const [sender, receiver] = [await connect(senderUrl), await connect(receiverUrl)];
  const ack: number[] = [];
  const delivery: number[] = [];
  try {
    for (const socket of [sender, receiver]) await request(socket, 'join-call', `bench-chat-${label}`);
    for (let i = 0; i < chats; i += 1) {
      const text = `message ${i}`;
      const arrived = next(receiver, 'chat-message').then(([data]) => ({ data, at: performance.now() }));
      const started = performance.now();
      await request(sender, 'chat-message', text, 'bench');
      ack.push(performance.now() - started);
      const { data, at } = await arrived;
      if (data !== text) throw new Error(`chat ${i} arrived as ${String(data)}`);
      delivery.push(at - started);
    }
  } finally {
    closeAll([sender, receiver]);
  }
  return { ack, delivery };
}

/**
 * A call of one participant per url; `joins` connected sockets, spread over the urls, each joins it (timed, to the
 * ack) and leaves it again (acked, untimed).
 */
async function joinLatency(urls: string[], joins: number, label: string): Promise<number[]> {
  const call = `bench-join-${label}`;
  const members = await Promise.all(urls.map((url) => connect(url)));
  const joiners = (await Promise.all(urls.map((url, i) => connectMany(url, Math.ceil((joins - i) / urls.length))))).flat();
  const samples: number[] = [];
  try {
    for (const socket of members) await request(socket, 'join-call', call);
    for (const socket of joiners) {
      const started = performance.now();
      await request(socket, 'join-call', call);
      samples.push(performance.now() - started);
      await request(socket, 'leave-call');
    }
  } finally {
    closeAll([...members, ...joiners]);
  }
  return samples;
}

interface Figures {
  chatAck: Summary;
  chatDelivery: Summary;
  join: Summary;
}

export interface ChatJoin {
  single: Figures;
  none: Figures;
  loaded: Figures;
  /** Keys in Redis while measuring, without and with the idle calls. */
  redisKeys: { none: number; loaded: number };
}

/**
 * Chat and join latency in the cluster (sender and receiver, or the call's two members, on different nodes) with no
 * idle calls, then with `idleCalls` held in Redis, then none again, `rounds` times; the single node measured the same
 * way in each round, beside. Each figure is the median over the rounds.
 */
export async function chatAndJoin(urls: { single: string; a: string; b: string }, redisUrl: string, admin: Redis, setup: ChatJoinSetup): Promise<ChatJoin> {
  type Rounds = { chatAck: Summary[]; chatDelivery: Summary[]; join: Summary[] };
  const empty = (): Rounds => ({ chatAck: [], chatDelivery: [], join: [] });
  const rounds = { single: empty(), none: empty(), loaded: empty() };
  const measure = async (into: Rounds, sender: string, receiver: string, label: string) => {
    const chat = await chatLatency(sender, receiver, setup.chats, label);
    into.chatAck.push(summary(chat.ack));
    into.chatDelivery.push(summary(chat.delivery));
    into.join.push(summary(await joinLatency([sender, receiver], setup.joins, label)));
  };
  const idle = new IdleCalls(redisUrl);
  const redisKeys = { none: 0, loaded: 0 };
  try {
    // Untimed warm-up, so that the first measured round does not pay for JIT compilation.
    await measure(empty(), urls.single, urls.single, 'warm-up-single');
    await measure(empty(), urls.a, urls.b, 'warm-up-cluster');
    for (let r = 0; r < setup.rounds; r += 1) {
      await measure(rounds.single, urls.single, urls.single, `single-${r}`);
      redisKeys.none = await admin.dbsize();
      await measure(rounds.none, urls.a, urls.b, `none-${r}`);
      await idle.hold(setup.idleCalls);
      redisKeys.loaded = await admin.dbsize();
      // Let the burst of joins (and the garbage it left in this process) pass before measuring.
      await sleep(1000);
      await measure(rounds.loaded, urls.a, urls.b, `loaded-${r}`);
      await idle.release();
      await sleep(1000);
    }
    idle.check();
  } finally {
    await idle.close();
  }
  const of = (r: Rounds): Figures => ({ chatAck: medianOfRounds(r.chatAck), chatDelivery: medianOfRounds(r.chatDelivery), join: medianOfRounds(r.join) });
  return { single: of(rounds.single), none: of(rounds.none), loaded: of(rounds.loaded), redisKeys };
}
