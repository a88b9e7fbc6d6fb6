import type { AckResponse, ClientEvent, ClientParams } from '../../src/adapters/realtime/protocol';
import type { CallLine, CallSnapshot, LineEvent, SignalMessage } from '../../src/web/call-line';

type JoinAnswer = AckResponse<'join-call'>;

interface PendingJoin {
  opts: ClientParams<'join-call'>[1];
  answer(ack: JoinAnswer): void;
  fail(): void;
}

/** A call line with no network: the test hears what the session sends and says what the server would. */
export class FakeCallLine implements CallLine {
  connected = true;
  active = true;
  readonly signals: Array<[string, SignalMessage]> = [];
  readonly log: string[] = [];
  private readonly joins: PendingJoin[] = [];
  private listener: ((event: LineEvent) => void) | null = null;

  request<E extends ClientEvent>(event: E, ...args: ClientParams<E>): Promise<AckResponse<E>> {
    const answers: { [K in ClientEvent]?: (...params: ClientParams<K>) => Promise<AckResponse<K>> } = {
      'join-call': (_path, opts) => new Promise((answer, fail) => this.joins.push({ opts, answer, fail: () => fail(new Error('timeout')) })),
      'chat-message': () => Promise.resolve({ ok: true, id: 'm1', ts: '2026-01-01T00:00:00.000Z' }),
    };
    const answer = answers[event];
    this.log.push(event);
    return answer ? answer(...args) : Promise.reject(new Error(`no answer for ${event}`));
  }

  signal(to: string, message: SignalMessage): void {
    this.signals.push([to, message]);
  }

  leaveCall(): void {
    this.log.push('leave-call');
  }

  reconnect(): void {
    this.log.push('reconnect');
  }

  close(): void {
    this.log.push('close');
    this.connected = false;
  }

  listen(listener: (event: LineEvent) => void): void {
    this.listener = listener;
  }

  hear(event: LineEvent): void {
    this.listener?.(event);
  }

  /** The connection drops and comes back, as Socket.IO does by itself. */
  reconnected(): void {
    this.connected = false;
    this.hear({ type: 'disconnect', reason: 'transport close' });
    this.connected = true;
    this.hear({ type: 'connect' });
  }

  /** The oldest unanswered join: what it asked, and how to answer it. */
  nextJoin(): PendingJoin {
    const pending = this.joins.shift();
    if (!pending) throw new Error('no join-call was asked');
    return pending;
  }

  get unansweredJoins(): number {
    return this.joins.length;
  }
}

export function snapshot(selfId: string, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    callId: 'call-1',
    self: { id: selfId, name: 'Ann', media: { audio: false, video: false, screen: false, hand: false }, role: 'member', connected: true },
    participants: [],
    history: [],
    iceServers: [],
    options: { locked: false, lobby: false },
    media: { path: 'mesh' },
    ...extra,
  };
}

export function joined(selfId: string, resumed: boolean, resumeToken = `token-${selfId}`): JoinAnswer {
  return { ok: true, ...snapshot(selfId), resumed, resumeToken };
}
