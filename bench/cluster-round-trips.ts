import type { Socket } from 'socket.io-client';
import { CANDIDATE, closeAll, connect, connectMany, next, request } from './support/bench-socket';
import type { Kind, RedisCommandCounter, Window } from './support/redis-commands';

/** One event's Redis commands, per node and kind, described as "count (commands)" over every repetition. */
export interface EventTrips {
  event: string;
  store: { acting: string; other: string };
  adapter: { acting: string; other: string };
  /** Store and adapter commands of both nodes: each is one round trip to Redis. */
  roundTrips: string;
  insideScripts: string;
}

export interface RoundTrips {
  repeats: number;
  events: EventTrips[];
  /** Heartbeat and sweep commands that fell inside a window, left out of the store's count. */
  liveness: number;
  /** Commands of connections that belong to no node (none expected: the bench's markers are not counted). */
  other: number;
}

const CALL = 'bench-round-trips';

/** "n" when every repetition saw n, else "min-max". */
function spread(values: number[]): string {
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return min === max ? String(min) : `${min}-${max}`;
}

/** The commands of one node and kind in each window, as "count (names)", and how many windows saw each. */
function describe(windows: Window[], node: string, kind: Kind): string {
  const variants = new Map<string, number>();
  for (const window of windows) {
    const names = window.commands.filter((c) => c.node === node && c.kind === kind).map((c) => c.command).sort();
    const text = names.length === 0 ? '0' : `${names.length} (${names.join(', ')})`;
    variants.set(text, (variants.get(text) ?? 0) + 1);
  }
  if (variants.size === 1) return [...variants.keys()][0]!;
  return [...variants].map(([text, count]) => `${text} in ${count}/${windows.length}`).join('; ');
}

/**
 * Counts, one event at a time on the quiet cluster, the Redis commands each node sends for it: the acting socket on
 * node-1, its peer in the call on node-2. A window closes only once the ack and every delivery the event causes have
 * arrived, so everything the nodes send for it is inside. Each event runs once untimed first, so that every script
 * is loaded on its connection (EVALSHA from then on).
 */
export async function roundTrips(counter: RedisCommandCounter, actingUrl: string, otherUrl: string, repeats: number): Promise<RoundTrips> {
  const [acting, other] = [await connect(actingUrl), await connect(otherUrl)];
  const joiners = await connectMany(actingUrl, repeats + 1);
  const sockets: Socket[] = [acting, other, ...joiners];
  try {
    for (const socket of [acting, other]) await request(socket, 'join-call', CALL);
    const events: Record<string, (repeat: number) => Promise<unknown>> = {
      signal: () => Promise.all([next(other, 'signal'), request(acting, 'signal', other.id, CANDIDATE)]),
      chat: (i) => Promise.all([next(other, 'chat-message'), request(acting, 'chat-message', `round trip ${i}`, 'bench')]),
      'media-state': (i) => Promise.all([next(other, 'media-state'), request(acting, 'media-state', { audio: i % 2 === 0 })]),
      join: (i) => Promise.all([next(acting, 'user-joined'), next(other, 'user-joined'), request(joiners[i]!, 'join-call', CALL)]),
      leave: (i) => Promise.all([next(acting, 'user-left'), next(other, 'user-left'), request(joiners[i]!, 'leave-call')]),
    };
    // The last joiner warms up join and leave; the windows use the others.
    for (const [event, run] of Object.entries(events)) await run(event === 'join' || event === 'leave' ? repeats : 0);

    const windows: Record<string, Window[]> = Object.fromEntries(Object.keys(events).map((event) => [event, []]));
    await counter.start();
    for (let i = 0; i < repeats; i += 1) {
      for (const [event, run] of Object.entries(events)) windows[event]!.push(await counter.during(() => run(i)));
    }
    counter.stop();

    const all = Object.values(windows).flat();
    return {
      repeats,
      events: Object.entries(windows).map(([event, seen]) => ({
        event,
        store: { acting: describe(seen, 'node-1', 'store'), other: describe(seen, 'node-2', 'store') },
        adapter: { acting: describe(seen, 'node-1', 'adapter'), other: describe(seen, 'node-2', 'adapter') },
        roundTrips: spread(seen.map((w) => w.commands.filter((c) => c.kind !== 'liveness').length)),
        // A heartbeat in the window would add its own commands: only windows without one are counted here.
        insideScripts: spread(seen.filter((w) => !w.commands.some((c) => c.kind === 'liveness')).map((w) => w.insideScripts)),
      })),
      liveness: all.reduce((total, w) => total + w.commands.filter((c) => c.kind === 'liveness').length, 0),
      other: all.reduce((total, w) => total + w.other, 0),
    };
  } finally {
    closeAll(sockets);
  }
}
