import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { CANDIDATE, closeAll, connect, failOnCallError, request, within } from './support/bench-socket';
import { medianOfRounds, summary, type Summary } from './support/stats';

interface Hop {
  seq: number;
  sentAt: number;
}

const hop = (seq: number) => ({ ...CANDIDATE, seq, sentAt: performance.now() });

/**
 * `pairs` pairs, each in a call of its own, A connected to `urls[0]` and B to `urls[1]`; one signal in flight per
 * pair: A signals B, B's receipt makes B signal A, and so on, `hops` times. Each hop's time from the send to the
 * receipt (both ends are in this process: one clock), the first tenth of each pair's hops dropped. A hop out of order
 * or missing fails it.
 */
async function pingPong(urls: [string, string], pairs: number, hops: number, label: string): Promise<number[]> {
  const sockets: Array<[Socket, Socket]> = [];
  const samples: number[] = [];
  try {
    for (let i = 0; i < pairs; i += 1) {
      const pair: [Socket, Socket] = [await connect(urls[0]), await connect(urls[1])];
      sockets.push(pair);
      for (const socket of pair) await request(socket, 'join-call', `bench-latency-${label}-${i}`);
    }
    const skip = Math.floor(hops / 10);
    await Promise.all(
      sockets.map((pair, i) => {
        const exchanged = new Promise<void>((done, fail) => {
          let expected = 0;
          pair.forEach((socket, side) => {
            const other = pair[1 - side]!;
            failOnCallError(socket, fail);
            socket.on('signal', (from: unknown, message: Hop) => {
              const at = performance.now();
              if (from !== other.id || message.seq !== expected) {
                fail(new Error(`pair ${i}: expected hop ${expected} from ${other.id}, got hop ${message.seq} from ${String(from)}`));
                return;
              }
              if (message.seq >= skip) samples.push(at - message.sentAt);
              expected += 1;
              if (expected === hops) done();
              else socket.emit('signal', other.id, hop(expected));
            });
          });
          pair[0].emit('signal', pair[1].id, hop(0));
        });
        return within(exchanged, `the signals of pair ${i} (${label})`);
      }),
    );
  } finally {
    closeAll(sockets.flat());
  }
  return samples;
}

export type Placement = 'single' | 'cluster' | 'clusterOneNode' | 'floor';
export type Latency = Record<Placement, Summary>;

/**
 * Per-hop signal latency with `pairs` pairs: on the single node; in the cluster with each pair split over the two
 * nodes; and in the cluster with both ends on one node (no Redis command at all), which tells the costs
 * apart; and split over two bare Socket.IO nodes on the official Redis adapter (the floor). About `samples` hops per round; placements alternate, `rounds` rounds after an untimed warm-up, median of each.
 */
export async function signalLatency(
  urls: { single: string; a: string; b: string; floorA: string; floorB: string },
  pairs: number,
  samples: number,
  rounds: number,
): Promise<Latency> {
  const placements: Record<Placement, [string, string]> = {
    single: [urls.single, urls.single],
    cluster: [urls.a, urls.b],
    clusterOneNode: [urls.a, urls.a],
    floor: [urls.floorA, urls.floorB],
  };
  const hops = Math.ceil(samples / pairs);
  const seen: Record<Placement, Summary[]> = { single: [], cluster: [], clusterOneNode: [], floor: [] };
  for (const [name, placed] of Object.entries(placements)) await pingPong(placed, pairs, Math.ceil(hops / 4), `warm-up-${pairs}-${name}`);
  for (let r = 0; r < rounds; r += 1) {
    for (const name of Object.keys(placements) as Placement[]) seen[name].push(summary(await pingPong(placements[name], pairs, hops, `${pairs}-${name}-${r}`)));
  }
  return {
    single: medianOfRounds(seen.single),
    cluster: medianOfRounds(seen.cluster),
    clusterOneNode: medianOfRounds(seen.clusterOneNode),
    floor: medianOfRounds(seen.floor),
  };
}
