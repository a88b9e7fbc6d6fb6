/**
 * The join/resume/leave interleavings of `npm run fuzz`: what a flaky network or someone holding another's resume
 * token does to the calls, run by a few workers at once next to the rest of the socket fuzz. Each interleaving checks
 * what the protocol promises of it where its tokens are its own (a token resumes once, within the grace, in its own
 * call, replacing the connection it was on); every resume anywhere counts towards "no token resumes twice"; once the
 * phase settles, probes check that the calls it used hold exactly the live sockets it left in them, and then nobody.
 */
import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import { NODE_HEARTBEAT_MS } from '../src/main/live-state';
import { bounded, openClient, request, unansweredOf, type SocketFuzzOptions, type SocketTally } from './fuzz-socket';
import { fuzzString, fuzzValue } from './support/random';
import { count, sleep } from './support/server-process';

export interface ResumeFuzzOptions extends SocketFuzzOptions {
  /** How many interleavings to run. */
  interleavings: number;
  /** RECONNECT_GRACE the server runs with, in ms. */
  graceMs: number;
  /** MAX_PARTICIPANTS the server runs with. */
  capacity: number;
}

/** What the phase reports in the socket part's JSON line. */
export interface InterleavingTally {
  byKind: Record<string, number>;
  events: number;
  ackByCode: Record<string, number>;
  callErrorByCode: Record<string, number>;
  resumeAnswers: Record<string, number>;
  disconnects: Record<string, number>;
  connectRefused: number;
  probes: number;
  parked: number;
  durationMs: number;
}

const WORKERS = 4;
const MAX_PARKED = 4;
const JOINED = z.object({
  ok: z.literal(true),
  callId: z.string(),
  self: z.object({ id: z.string() }),
  participants: z.array(z.object({ id: z.string(), connected: z.boolean() })),
  resumed: z.boolean(),
  resumeToken: z.string().optional(),
});
const WAITING = z.object({ ok: z.literal(true), waiting: z.literal(true) });
const FAILED = z.object({ ok: z.literal(false), error: z.object({ code: z.string() }) });
const ADMITTED = z.tuple([z.object({ callId: z.string(), self: z.object({ id: z.string() }), resumeToken: z.string().optional() })]);

type Joined = z.output<typeof JOINED>;
type JoinOutcome = { kind: 'joined'; ack: Joined } | { kind: 'waiting' } | { kind: 'error'; code: string } | { kind: 'unanswered'; why: string };

/** One phase socket and what its acks and events say it is. */
class Peer {
  /** The participant its last join or resume made it, and that participant's call; null when in no call. */
  self: string | null = null;
  path: string | null = null;
  token: string | undefined;
  /** Its token was handed to other interleavings: its fate is no longer this interleaving's to predict. */
  published = false;
  replaced = false;
  /** Acked events sent, and the latest of them whose answer has been applied to the model above. */
  sent = 0;
  applied = 0;
  reason: string | null = null;
  readonly log: Array<{ event: string; args: unknown[] }> = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly socket: Socket,
    readonly label: string,
    phase: Phase,
  ) {
    socket.onAny((event: string, ...args: unknown[]) => {
      phase.tally.serverEvent(phase.stats.callErrorByCode, event, args);
      this.log.push({ event, args });
      if (event === 'connection-replaced') this.replaced = true;
      if (event === 'admitted') {
        const snapshot = ADMITTED.safeParse(args);
        if (snapshot.success) {
          const [{ callId, self, resumeToken }] = snapshot.data;
          this.self = self.id;
          this.path = callId;
          this.token = resumeToken;
          if (resumeToken !== undefined) phase.owners.set(resumeToken, { participant: self.id, callId });
        }
      }
      this.wake();
    });
    socket.on('disconnect', (reason: string) => {
      this.reason = reason;
      count(phase.stats.disconnects, reason);
      if (this.self !== null) phase.note(this.self, `${this.label} disconnected (${reason})`);
      // Nothing in this phase logs out or expires: the server disconnects a socket only when another resumed its participant.
      if (reason === 'io server disconnect' && !this.replaced) phase.fail(`${this.label}: disconnected by the server without connection-replaced first`, this);
      this.wake();
    });
  }

  /** Puts what the fuzz did into the peer's history, for failure reports. */
  mark(what: string): void {
    this.log.push({ event: `(fuzz: ${what})`, args: [] });
  }

  get live(): boolean {
    return this.socket.connected;
  }

  saw(event: string, matches: (args: unknown[]) => boolean = () => true): boolean {
    return this.log.some((entry) => entry.event === event && matches(entry.args));
  }

  /** Resolves true once `done()` holds, false after `ms`. */
  until(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(done()), ms);
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      this.waiters.add(check);
    });
  }

  history(): string {
    const events = this.log.slice(-8).map(({ event, args }) => `${event}${JSON.stringify(args).slice(0, 40)}`);
    return `${this.label} (socket ${this.socket.id ?? '?'}, self ${this.self ?? '-'} in ${this.path ?? '-'}, ${this.reason ?? 'connected'}): ${events.join(', ')}`;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** A peer in a call with a resume token that is still its own: whom most interleavings resume. */
type TokenHolder = Peer & { token: string; self: string; path: string };

const isOwnTokenPeer = (peer: Peer): peer is TokenHolder =>
  peer.token !== undefined && peer.self !== null && peer.path !== null && !peer.published;

class Phase {
  readonly stats: InterleavingTally = {
    byKind: {},
    events: 0,
    ackByCode: {},
    callErrorByCode: {},
    resumeAnswers: {},
    disconnects: {},
    connectRefused: 0,
    probes: 0,
    parked: 0,
    durationMs: 0,
  };
  /** Whom each token the server gave out resumes. */
  readonly owners = new Map<string, { participant: string; callId: string }>();
  /** resumed: true answers per token. */
  private readonly resumes = new Map<string, number>();
  /** What happened to each participant, by whom: told when one turns out to be a ghost. */
  private readonly stories = new Map<string, string[]>();
  /** Tokens any interleaving may steal: spent, suspended, and those of parked peers. */
  readonly pool: string[] = [];
  readonly parked: Peer[] = [];
  readonly calls: string[];
  readonly lobbyCalls: string[] = [];
  private lobbies = 0;

  constructor(
    readonly options: ResumeFuzzOptions,
    readonly tally: SocketTally,
  ) {
    const run = options.random.int(0, 1e6);
    // Enough calls that dropped participants waiting out their grace seldom fill one.
    this.calls = Array.from({ length: 16 }, (_, i) => `resume-${i}-${run}`);
  }

  get random() {
    return this.options.random;
  }

  fail(reason: string, ...peers: Peer[]): void {
    const text = `interleaving: ${reason}${peers.length > 0 ? ` | ${peers.map((peer) => peer.history()).join(' | ')}` : ''}`;
    this.tally.fail(text);
    // The sample in the JSON line is cut short; the whole story goes to stderr.
    if (process.env.FUZZ_DEBUG) console.error(text);
  }

  note(participant: string, what: string): void {
    const story = this.stories.get(participant) ?? [];
    if (story.length < 12) story.push(what);
    this.stories.set(participant, story);
  }

  story(participant: string): string {
    return `${participant}: ${(this.stories.get(participant) ?? ['never seen by the phase']).join('; ')}`;
  }

  twoCalls(): [string, string] {
    const x = this.random.pick(this.calls);
    return [x, this.random.pick(this.calls.filter((path) => path !== x))];
  }

  newLobbyCall(): string {
    const path = `${this.calls[0]}-lobby-${this.lobbies++}`;
    this.lobbyCalls.push(path);
    return path;
  }

  /** A connected guest (or logged-in) socket, or null when the server refused it (the address limit is shared). */
  async open(label: string, loggedIn = false): Promise<Peer | null> {
    const socket = await openClient(this.options.url, loggedIn ? { token: this.options.token } : {});
    if (socket instanceof Error) {
      if (socket.message === 'INTERNAL') this.fail(`${label}: connect_error INTERNAL`);
      this.stats.connectRefused += 1;
      return null;
    }
    return new Peer(socket, label, this);
  }

  async openAll(tag: string, labels: string[]): Promise<Peer[] | null> {
    const peers = await Promise.all(labels.map((label) => this.open(`${tag} ${label}`)));
    const opened = peers.filter((peer): peer is Peer => peer !== null);
    if (opened.length === labels.length) return opened;
    opened.forEach((peer) => peer.socket.close());
    return null;
  }

  /**
   * The opening most interleavings share: the `labels` connect, A first; W, when among them, joins `path` before A
   * does, to witness what becomes of A; then A joins. `holder` is A once it is in with a token of its own; null ends
   * the interleaving there (with no peers when one of them could not connect).
   */
  async openWithHolder(tag: string, path: string, labels: string[]): Promise<{ peers: Peer[]; holder: TokenHolder | null }> {
    const peers = await this.openAll(tag, labels);
    if (!peers) return { peers: [], holder: null };
    const witness = peers[labels.indexOf('W')];
    if (witness) await this.join(witness, path);
    const a = peers[0];
    if (!a) return { peers, holder: null };
    const joined = await this.join(a, path);
    return { peers, holder: joined.kind === 'joined' && isOwnTokenPeer(a) ? a : null };
  }

  /** Sends an event with an ack and checks the answer against the protocol; undefined when none came. */
  async ask(peer: Peer, event: string, args: unknown[]): Promise<unknown> {
    return (await this.askInOrder(peer, event, args)).answer;
  }

  /**
   * Also answers whether this answer is still the latest of the peer's: the server answers one socket's events in
   * order, but answers that arrive together resume their awaiting callers in any order.
   */
  private async askInOrder(peer: Peer, event: string, args: unknown[]): Promise<{ answer: unknown; latest: () => boolean }> {
    this.stats.events += 1;
    const seq = ++peer.sent;
    const answer = await request(peer.socket, event, args);
    if (seq > peer.applied) peer.applied = seq;
    // Asked again when the caller applies the answer: a later answer may have been applied in between.
    const latest = () => peer.applied === seq;
    const unanswered = unansweredOf(answer);
    if (unanswered) {
      count(this.stats.ackByCode, `unanswered (${unanswered})`);
      if (unanswered === 'timeout') this.fail(`${event}: no ack in 10 s`, peer);
      return { answer: undefined, latest };
    }
    this.tally.ack(this.stats.ackByCode, event, answer);
    if (latest() && event === 'leave-call' && typeof answer === 'object' && answer !== null && 'ok' in answer && answer.ok === true) {
      if (peer.self !== null) this.note(peer.self, `${peer.label} left`);
      peer.self = null;
      peer.path = null;
      peer.token = undefined;
    }
    return { answer, latest };
  }

  /** join-call with an ack, `opts` as given; keeps the peer's model and checks every resume answer. */
  async join(peer: Peer, path: string, opts?: unknown): Promise<JoinOutcome> {
    const { answer, latest } = await this.askInOrder(peer, 'join-call', opts === undefined ? [path] : [path, opts]);
    if (answer === undefined) return { kind: 'unanswered', why: peer.live ? 'timeout' : 'disconnected' };
    const resume = typeof opts === 'object' && opts !== null && 'resume' in opts && typeof opts.resume === 'string' ? opts.resume : undefined;
    const joined = JOINED.safeParse(answer);
    if (joined.success) {
      const ack = joined.data;
      if (resume !== undefined) this.checkResume(peer, resume, ack);
      else if (ack.resumed) this.fail(`a join without resume answered resumed: true`, peer);
      if (ack.resumeToken === undefined) this.fail('an acked join answered no resumeToken', peer);
      else this.owners.set(ack.resumeToken, { participant: ack.self.id, callId: ack.callId });
      this.note(ack.self.id, `${peer.label} (socket ${peer.socket.id ?? '?'}) ${ack.resumed ? 'resumed' : 'joined'} ${ack.callId}`);
      if (latest()) {
        peer.self = ack.self.id;
        peer.path = ack.callId;
        peer.token = ack.resumeToken;
        peer.published = false;
      }
      return { kind: 'joined', ack };
    }
    if (WAITING.safeParse(answer).success) {
      if (resume !== undefined) count(this.stats.resumeAnswers, 'waiting');
      if (latest()) {
        peer.self = null;
        peer.path = null;
        peer.token = undefined;
      }
      return { kind: 'waiting' };
    }
    const failed = FAILED.safeParse(answer);
    const code = failed.success ? failed.data.error.code : 'malformed';
    if (resume !== undefined) count(this.stats.resumeAnswers, code);
    return { kind: 'error', code };
  }

  private checkResume(peer: Peer, token: string, ack: Joined): void {
    count(this.stats.resumeAnswers, ack.resumed ? 'resumed' : 'not resumed');
    if (!ack.resumed) return;
    const times = (this.resumes.get(token) ?? 0) + 1;
    this.resumes.set(token, times);
    if (times > 1) this.fail(`token ${token.slice(0, 12)}… resumed ${times} times`, peer);
    const owner = this.owners.get(token);
    if (!owner) this.fail(`resumed with a token the server never gave out: ${JSON.stringify(token).slice(0, 60)}`, peer);
    else if (owner.participant !== ack.self.id || owner.callId !== ack.callId) {
      this.fail(`resumed ${ack.self.id} in ${ack.callId} with the token of ${owner.participant} in ${owner.callId}`, peer);
    }
    if (ack.resumeToken === token) this.fail('a resume answered the token it spent', peer);
  }

  expect(condition: boolean, what: string, ...peers: Peer[]): void {
    if (!condition) this.fail(what, ...peers);
  }

  /** A token from the pool, or one made up. */
  stolenToken(): string {
    return this.pool.length > 0 && this.random.chance(0.85) ? this.random.pick(this.pool) : fuzzString(this.random).slice(0, 128);
  }

  publish(peer: Peer): void {
    if (peer.token === undefined) return;
    peer.published = true;
    this.pool.push(peer.token);
    if (this.pool.length > 64) this.pool.shift();
  }

  /**
   * The end of an interleaving: a peer still in a call checks, by resuming its own token on its own connection, that
   * it is still the participant it thinks it is; then each peer is parked (kept in its call for the final probes),
   * or leaves, disconnects or drops.
   */
  async finish(peers: Peer[]): Promise<void> {
    for (const peer of peers) {
      if (!peer.live || !isOwnTokenPeer(peer) || !this.random.chance(0.5)) continue;
      const { self, path, token } = peer;
      count(this.stats.byKind, 'self-resume check');
      const again = await this.join(peer, path, { resume: token });
      if (again.kind === 'unanswered' && !peer.live) continue;
      this.expect(again.kind === 'joined' && again.ack.resumed && again.ack.self.id === self, `${peer.label}: resuming its own token on its own connection did not resume ${self} in ${path}: ${JSON.stringify(again).slice(0, 120)}`, peer);
      this.expect(!peer.replaced, `${peer.label}: replaced by its own resume`, peer);
    }
    for (const peer of peers) {
      if (!peer.live) {
        this.publish(peer);
        continue;
      }
      if (peer.self !== null && this.parked.length < MAX_PARKED && this.random.chance(0.2)) {
        this.parked.push(peer);
        this.stats.parked += 1;
        // Half of them are stolen from while their socket is still connected.
        if (this.random.chance(0.5)) this.publish(peer);
        continue;
      }
      const how = this.random.pick(['disconnect', 'disconnect', 'drop', 'leave'] as const);
      if (how === 'leave') await this.ask(peer, 'leave-call', []);
      if (how === 'drop') peer.socket.io.engine.close();
      else peer.socket.disconnect();
      this.publish(peer);
    }
  }
}

/** `tag` names the run in the labels of its peers, for failure reports. */
type Interleaving = (phase: Phase, tag: string) => Promise<Peer[]>;

/** A joins X; B, in Y, resumes into X with A's token (or one stolen from another interleaving). */
const stealIntoOtherCall: Interleaving = async (phase, tag) => {
  const [x, y] = phase.twoCalls();
  const peers = await phase.openAll(tag, ['A', 'B', 'W']);
  if (!peers) return [];
  const [a, b, w] = peers as [Peer, Peer, Peer];
  await phase.join(a, x);
  await phase.join(w, y);
  const inY = await phase.join(b, y);
  const own = phase.random.chance(0.6);
  const token = own ? a.token : phase.stolenToken();
  if (token === undefined || inY.kind !== 'joined') return peers;
  const before = inY.ack.self.id;
  const wInY = w.self !== null && w.path === y;
  const ownA = own && isOwnTokenPeer(a) ? { self: a.self } : null;
  const resumed = await phase.join(b, x, { resume: token });
  if (ownA) {
    phase.expect(resumed.kind === 'joined' && resumed.ack.resumed && resumed.ack.self.id === ownA.self, `B did not resume A with A's token: ${JSON.stringify(resumed).slice(0, 200)}`, a, b);
    const closed = await a.until(() => a.replaced && !a.live, 5000);
    phase.expect(closed && a.reason === 'io server disconnect', 'A was not told connection-replaced and disconnected by the server', a, b);
  }
  if (resumed.kind === 'joined' && wInY) {
    const told = await w.until(() => w.saw('user-left', (args) => args[0] === before), 5000);
    phase.expect(told, `W in Y never got user-left(${before}) after B moved to ${x}`, w, b);
  }
  return peers;
};

/** A joins X (and may drop); B resumes A's token; C then tries the spent token. */
const spentToken: Interleaving = async (phase, tag) => {
  const x = phase.random.pick(phase.calls);
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B', 'C']);
  if (!holder) return peers;
  const [a, b, c] = peers as [Peer, Peer, Peer];
  const { token, self } = holder;
  if (phase.random.chance(0.5)) {
    a.socket.io.engine.close();
    await a.until(() => !a.live, 5000);
  }
  const first = await phase.join(b, x, { resume: token });
  phase.expect(first.kind === 'joined' && first.ack.resumed && first.ack.self.id === self, `B did not resume A within the grace: ${JSON.stringify(first).slice(0, 200)}`, a, b);
  const second = await phase.join(c, x, { resume: token });
  phase.expect(second.kind !== 'joined' || !second.ack.resumed, 'a spent token resumed again', c);
  return peers;
};

/** Two sockets resume the same token in the same tick: exactly one may resume. */
const doubleResume: Interleaving = async (phase, tag) => {
  const x = phase.random.pick(phase.calls);
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B', 'C']);
  if (!holder) return peers;
  const [a, b, c] = peers as [Peer, Peer, Peer];
  const { token } = holder;
  if (phase.random.chance(0.5)) a.socket.io.engine.close();
  const answers = await Promise.all([phase.join(b, x, { resume: token }), phase.join(c, x, { resume: token })]);
  const winners = answers.filter((answer) => answer.kind === 'joined' && answer.ack.resumed).length;
  phase.expect(winners === 1, `${winners} of two simultaneous resumes of one token resumed: ${JSON.stringify(answers).slice(0, 300)}`, a, b, c);
  return peers;
};

/** B resumes A's token while A, still connected, sends something in the same tick. */
const resumeWhileConnected: Interleaving = async (phase, tag) => {
  const [x, y] = phase.twoCalls();
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B', 'W']);
  if (!holder) return peers;
  const [a, b, w] = peers as [Peer, Peer, Peer];
  const { token, self } = holder;
  const race = phase.random.pick(['nothing', 'leave-call', 'join-call', 'chat-message', 'media-state', 'drop', 'disconnect'] as const);
  count(phase.stats.byKind, `resume while connected, A: ${race}`);
  a.mark(race);
  const resumed = phase.join(b, x, { resume: token });
  const aSide = (async () => {
    switch (race) {
      case 'nothing':
        return;
      case 'leave-call':
        await phase.ask(a, 'leave-call', []);
        return;
      case 'join-call':
        await phase.join(a, y);
        return;
      case 'chat-message':
        await phase.ask(a, 'chat-message', ['mine still?']);
        return;
      case 'media-state':
        await phase.ask(a, 'media-state', [{ audio: true }]);
        return;
      case 'drop':
        a.socket.io.engine.close();
        return;
      case 'disconnect':
        a.socket.disconnect();
        return;
    }
  })();
  const [answer] = await Promise.all([resumed, aSide]);
  if (race === 'nothing') {
    phase.expect(answer.kind === 'joined' && answer.ack.resumed && answer.ack.self.id === self, `B did not resume A while A was connected: ${JSON.stringify(answer).slice(0, 200)}`, a, b);
    const closed = await a.until(() => a.replaced && !a.live, 5000);
    phase.expect(closed && a.reason === 'io server disconnect', 'A was not replaced', a, b);
  }
  if (answer.kind === 'joined' && answer.ack.resumed) {
    // W shares the call: it must not hear the resumed participant leave (A's disconnect does not take it out).
    const chat = await phase.ask(b, 'chat-message', ['resumed']);
    phase.expect(chat === undefined || JOINED.safeParse(chat).success || (typeof chat === 'object' && chat !== null && 'ok' in chat && chat.ok === true), `B, resumed as ${self}, cannot chat: ${JSON.stringify(chat)}`, a, b);
    phase.expect(!w.saw('user-left', (args) => args[0] === self), `W got user-left(${self}) although B resumed it`, w, a, b);
  }
  return peers;
};

/** B resumes A's token and in the same tick leaves, disconnects, drops or joins another call. */
const resumeThenAway: Interleaving = async (phase, tag) => {
  const [x, y] = phase.twoCalls();
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B']);
  if (!holder) return peers;
  const [a, b] = peers as [Peer, Peer];
  const { token, self } = holder;
  if (phase.random.chance(0.5)) a.socket.io.engine.close();
  const then = phase.random.pick(['leave-call', 'disconnect', 'drop', 'join-call'] as const);
  count(phase.stats.byKind, `resume then ${then}`);
  b.mark(`resume then ${then}`);
  const resumed = phase.join(b, x, { resume: token });
  let after: Promise<unknown> = Promise.resolve();
  if (then === 'leave-call') after = phase.ask(b, 'leave-call', []);
  else if (then === 'join-call') after = phase.join(b, y);
  else if (then === 'drop') b.socket.io.engine.close();
  else b.socket.disconnect();
  const [first, second] = await Promise.all([resumed, after]);
  if (first.kind === 'joined' && first.ack.resumed) {
    if (then === 'leave-call') {
      phase.expect(typeof second === 'object' && second !== null && 'left' in second && second.left === true, `leave-call right after a resume did not leave: ${JSON.stringify(second)}`, b);
    }
    if (then === 'join-call') {
      const moved = JOINED.safeParse(second);
      phase.expect(!moved.success || moved.data.self.id === self, `a join right after resuming ${self} joined as ${moved.data?.self.id ?? '?'}`, b);
    }
  }
  return peers;
};

/** A's transport drops and B resumes A's token in the same tick, racing the server's handling of A's disconnect. */
const dropRace: Interleaving = async (phase, tag) => {
  const x = phase.random.pick(phase.calls);
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B', 'W']);
  if (!holder) return peers;
  const [a, b, w] = peers as [Peer, Peer, Peer];
  const { token, self } = holder;
  a.socket.io.engine.close();
  const answer = await phase.join(b, x, { resume: token });
  phase.expect(answer.kind === 'joined' && answer.ack.resumed && answer.ack.self.id === self, `B did not resume A racing A's drop: ${JSON.stringify(answer).slice(0, 200)}`, a, b);
  const chat = await phase.ask(b, 'chat-message', ['after the race']);
  phase.expect(chat === undefined || (typeof chat === 'object' && chat !== null && 'ok' in chat && chat.ok === true), `B, resumed as ${self}, cannot chat: ${JSON.stringify(chat)}`, b);
  phase.expect(!w.saw('user-left', (args) => args[0] === self), `W got user-left(${self}) although B resumed it`, w, a, b);
  return peers;
};

/** G waits in a lobby call, then resumes (or joins) elsewhere: it must be off the waiting list. */
const lobbyThenResume: Interleaving = async (phase, tag) => {
  const x = phase.random.pick(phase.calls);
  const lobby = phase.newLobbyCall();
  const host = await phase.open(`${tag} H`, true);
  const peers = await phase.openAll(tag, ['A', 'G']);
  if (!host || !peers) {
    host?.socket.close();
    peers?.forEach((peer) => peer.socket.close());
    return [];
  }
  const [a, g] = peers as [Peer, Peer];
  const all = [host, a, g];
  const hosted = await phase.join(host, lobby);
  if (hosted.kind !== 'joined') return all;
  await phase.ask(host, 'call-options', [{ lobby: true }]);
  await phase.join(a, x);
  const waiting = await phase.join(g, lobby);
  phase.expect(waiting.kind === 'waiting', `a guest joining a call with its lobby on was not held: ${JSON.stringify(waiting).slice(0, 200)}`, host, g);
  const waiterId = g.socket.id ?? '';
  const knocked = await host.until(() => host.saw('lobby-knock', (args) => JSON.stringify(args).includes(waiterId)), 5000);
  phase.expect(knocked, 'the host never got lobby-knock', host, g);
  const token = phase.random.chance(0.7) ? a.token : phase.stolenToken();
  if (phase.random.chance(0.3)) {
    count(phase.stats.byKind, 'lobby: admit racing the resume');
    await Promise.all([phase.join(g, x, { resume: token }), phase.ask(host, 'admit', [waiterId])]);
    return all;
  }
  const moved = await phase.join(g, x, { resume: token });
  if (moved.kind === 'joined') {
    const admit = await phase.ask(host, 'admit', [waiterId]);
    const code = FAILED.safeParse(admit);
    phase.expect(admit === undefined || (code.success && code.data.error.code === 'NOT_FOUND'), `admit of one who left the lobby for ${x} answered ${JSON.stringify(admit)}`, host, g);
  }
  return all;
};

/** B resumes with A's token in another call than A's: a new participant, and A stays. */
const otherCallToken: Interleaving = async (phase, tag) => {
  const [x, y] = phase.twoCalls();
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B']);
  if (!holder) return peers;
  const [a, b] = peers as [Peer, Peer];
  const answer = await phase.join(b, y, { resume: holder.token });
  phase.expect(answer.kind !== 'joined' || !answer.ack.resumed, `a token of ${x} resumed in ${y}`, a, b);
  // Anything sent to A before B's answer reaches A first: an ack of A's coming back means no replacement is on its way.
  const still = await phase.ask(a, 'media-state', [{ hand: true }]);
  phase.expect(still !== undefined && !a.replaced, 'A was replaced by a resume in another call', a, b);
  return peers;
};

const GARBAGE = (phase: Phase, token: string): unknown[] => [
  '',
  ' ',
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(100_000),
  `${token}x`,
  token.slice(0, -1),
  token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
  ` ${token}`,
  '__proto__',
  'constructor',
  '😀'.repeat(64),
  '\u0000',
  // Cut below the frame limit, past which the server closes the connection instead of answering.
  fuzzString(phase.random).slice(0, 4000),
  123,
  null,
  true,
  {},
  [token],
  { $ne: null },
  fuzzValue(phase.random),
];

/** join-call with resume values that are not a token, or not even a string; sometimes without an ack. */
const garbageResume: Interleaving = async (phase, tag) => {
  const x = phase.random.pick(phase.calls);
  const peers = await phase.openAll(tag, ['A', 'B']);
  if (!peers) return [];
  const [a, b] = peers as [Peer, Peer];
  const joined = await phase.join(a, x);
  const token = joined.kind === 'joined' ? (a.token ?? 'none') : 'none';
  for (let i = phase.random.int(1, 4); i > 0 && b.live; i -= 1) {
    const value = phase.random.pick(GARBAGE(phase, token));
    const opts = phase.random.chance(0.15) ? { resume: value, name: 'Fuzz', extra: 1 } : { resume: value };
    if (phase.random.chance(0.2)) {
      phase.stats.events += 1;
      b.socket.emit('join-call', x, opts);
      // Whatever it did is not known here: no strict checks of B from now on.
      b.published = true;
      continue;
    }
    const answer = await phase.join(b, x, opts);
    // Past the frame limit the server closes the connection instead of answering.
    if (Buffer.byteLength(JSON.stringify(['join-call', x, opts])) > 127 * 1024) continue;
    const valid = typeof value === 'string' && value.length <= 128 && !('extra' in opts);
    if (!valid) phase.expect(answer.kind === 'error' && answer.code === 'VALIDATION_FAILED', `resume ${JSON.stringify(value).slice(0, 40)} answered ${JSON.stringify(answer).slice(0, 200)}`, b);
    else if (!phase.owners.has(value)) phase.expect(answer.kind !== 'joined' || !answer.ack.resumed, `resume with a made-up token resumed`, b);
  }
  return peers;
};

/** A drops; once W hears it left (the grace is over), its token must not resume. */
const lateResume: Interleaving = async (phase, tag) => {
  const x = phase.random.pick(phase.calls);
  const { peers, holder } = await phase.openWithHolder(tag, x, ['A', 'B', 'W']);
  if (!holder) return peers;
  const [a, b, w] = peers as [Peer, Peer, Peer];
  if (w.self === null) return peers;
  const { token, self } = holder;
  a.socket.io.engine.close();
  const reconnecting = await w.until(() => w.saw('participant-reconnecting', (args) => args[0] === self), 5000);
  phase.expect(reconnecting, `W never got participant-reconnecting(${self})`, w, a);
  const gone = await w.until(() => w.saw('user-left', (args) => args[0] === self), phase.options.graceMs + 2 * NODE_HEARTBEAT_MS + 5000);
  phase.expect(gone, `W never got user-left(${self}) after the grace`, w, a);
  const answer = await phase.join(b, x, { resume: token });
  phase.expect(answer.kind !== 'joined' || !answer.ack.resumed, `a token resumed after the grace`, a, b, w);
  return peers;
};

const INTERLEAVINGS: Array<[string, number, Interleaving]> = [
  ['steal into another call', 3, stealIntoOtherCall],
  ['spent token', 2, spentToken],
  ['double resume', 2, doubleResume],
  ['resume while connected', 3, resumeWhileConnected],
  ['resume then away', 3, resumeThenAway],
  ['drop racing resume', 2, dropRace],
  ['lobby then resume', 1, lobbyThenResume],
  ['token of another call', 1, otherCallToken],
  ['garbage resume', 2, garbageResume],
  ['resume after the grace', 0.3, lateResume],
];
const WEIGHT = INTERLEAVINGS.reduce((sum, [, weight]) => sum + weight, 0);

function pickInterleaving(phase: Phase): [string, Interleaving] {
  let roll = phase.random.next() * WEIGHT;
  for (const [name, weight, run] of INTERLEAVINGS) {
    roll -= weight;
    if (roll < 0) return [name, run];
  }
  const [name, , run] = INTERLEAVINGS[0] ?? ['none', 0, async () => []];
  return [name, run];
}

/** One roster as a guest probe sees it by joining (and then leaving) a call. */
async function probe(phase: Phase, socket: Peer, path: string): Promise<{ answer: JoinOutcome; others: Array<{ id: string; connected: boolean }> }> {
  phase.stats.probes += 1;
  const answer = await phase.join(socket, path);
  const others = answer.kind === 'joined' ? answer.ack.participants.filter((entry) => entry.id !== answer.ack.self.id) : [];
  if (answer.kind === 'joined' || answer.kind === 'waiting') await phase.ask(socket, 'leave-call', []);
  return { answer, others };
}

/**
 * Polls each call until its roster is exactly `expected` (all connected), or the deadline passes: a participant still
 * there after every socket that spoke for it has gone (and the grace is over) is a ghost; one missing is lost.
 */
async function settleRosters(phase: Phase, paths: string[], expected: (path: string) => Set<string>, what: string): Promise<void> {
  const prober = await phase.open('probe');
  if (!prober) {
    phase.fail(`${what}: the probe could not connect`);
    return;
  }
  const deadline = Date.now() + phase.options.graceMs + 2 * NODE_HEARTBEAT_MS + 8000;
  for (const path of paths) {
    for (;;) {
      const want = expected(path);
      const { answer, others } = await probe(phase, prober, path);
      const ghosts = others.filter((entry) => !entry.connected || !want.has(entry.id));
      const lost = [...want].filter((id) => !others.some((entry) => entry.id === id && entry.connected));
      if (answer.kind === 'joined' && ghosts.length === 0 && lost.length === 0) break;
      if (Date.now() > deadline) {
        const holders = phase.parked.filter((peer) => peer.path === path);
        phase.fail(
          `${what}: ${path} did not settle: probe ${JSON.stringify(answer).slice(0, 160)}; ghosts ${JSON.stringify(ghosts)}; lost ${JSON.stringify(lost)}; capacity ${phase.options.capacity}; ${[...ghosts.map((entry) => entry.id), ...lost].map((id) => phase.story(id)).join(' | ')}`,
          ...holders,
        );
        break;
      }
      await sleep(250);
    }
  }
  prober.socket.disconnect();
}

/** Runs the interleavings with a few workers at once, then checks the calls they used. */
export async function fuzzInterleavings(options: ResumeFuzzOptions, tally: SocketTally, show: (worker: string, text: string) => void): Promise<InterleavingTally> {
  const phase = new Phase(options, tally);
  const began = Date.now();
  let started = 0;
  const workers = Array.from({ length: WORKERS }, async (_, i) => {
    while (started < options.interleavings && Date.now() < options.deadline) {
      started += 1;
      const [name, run] = pickInterleaving(phase);
      count(phase.stats.byKind, name);
      show(`interleaving ${i}`, name);
      const tag = `${name} #${started}`;
      await bounded(tally, `interleaving ${tag}`, run(phase, tag).then((peers) => phase.finish(peers)));
    }
    show(`interleaving ${i}`, 'done');
  });
  await Promise.all(workers);
  show('interleavings', 'settling');
  // Replaced peers are closed by the server; wait for that before taking who is live.
  for (const peer of phase.parked) await peer.until(() => !peer.replaced || !peer.live, 5000);
  const liveIn = (path: string) => new Set(phase.parked.filter((peer) => peer.live && peer.path === path && peer.self !== null).map((peer) => peer.self ?? ''));
  const paths = [...phase.calls, ...phase.lobbyCalls];
  await settleRosters(phase, phase.calls, liveIn, 'with the parked sockets connected');
  for (const peer of phase.parked) peer.socket.disconnect();
  await settleRosters(phase, paths, () => new Set(), 'after every socket left');
  phase.stats.durationMs = Date.now() - began;
  return phase.stats;
}
