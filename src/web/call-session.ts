import type { AckResponse, ClientEvent, ClientParams } from '../adapters/realtime/protocol';
import { AckFailure } from './ack-failure';
import type { CallLine, CallSnapshot, LineEvent, SignalMessage } from './call-line';

/**
 * Where the page stands in its call. `selfId` is who it is (or was, before a lobby or a drop): a call reset and a
 * new connection rejoin as them; null means it never got in.
 */
export type CallPhase =
  | { readonly name: 'joining' }
  | { readonly name: 'waiting'; readonly selfId: string | null }
  | { readonly name: 'in-call'; readonly selfId: string }
  | { readonly name: 'reconnecting'; readonly selfId: string | null }
  | { readonly name: 'ended'; readonly reason: string | null };

/** What the view hears of the session. */
export interface CallSessionEvents {
  /** In the call: `resumed` keeps the same participant; otherwise `restarted` came first if it was in before. */
  entered(snapshot: CallSnapshot, resumed: boolean): void;
  waiting(text: string): void;
  /** The server no longer knows this participant: its peers and roster belong to an identity that is gone. */
  restarted(): void;
  alert(text: string | null): void;
  ended(reason: string | null): void;
}

export interface CallSessionSetup {
  code: string;
  name: string;
  open(): CallLine;
  /** How long a resume the server could not serve waits before it asks again. */
  retryMs?: number;
}

const REFUSED: Partial<Record<LineEvent['type'], string>> = {
  denied: 'The host did not let you in.',
  'call-ended': 'The host ended the call for everyone.',
  'session-ended': 'Your session ended; sign in again.',
  'connection-replaced': 'This call went on in another tab or window, so it ended here.',
};

/**
 * The page's place in a call over one connection: the join, the lobby, a resume after a drop with the resume token,
 * a rejoin when the server lost the call, and the end. Socket.IO reconnects by itself; the session asks to resume.
 */
export class CallSession {
  private current: CallPhase = { name: 'joining' };
  private line: CallLine | null = null;
  private resumeToken: string | null = null;
  /** Signals the page made while out of the call (an ICE restart, say), sent once it is back in. */
  private outbox: Array<[string, SignalMessage]> = [];

  constructor(
    private readonly setup: CallSessionSetup,
    private readonly events: CallSessionEvents,
  ) {}

  get phase(): CallPhase {
    return this.current;
  }

  get selfId(): string | null {
    return this.current.name === 'joining' || this.current.name === 'ended' ? null : this.current.selfId;
  }

  async join(): Promise<void> {
    const line = this.setup.open();
    this.line = line;
    line.listen((event) => this.hear(event));
    const ack = await line.request('join-call', this.setup.code, { name: this.setup.name });
    if (!ack.ok) throw new AckFailure(ack.error);
    if ('waiting' in ack) {
      this.wait('Waiting for the host to let you in…');
      return;
    }
    this.enter(ack, ack.resumeToken, false);
  }

  leave(reason: string | null): void {
    if (this.current.name === 'ended') return;
    this.current = { name: 'ended', reason };
    if (this.line?.connected) this.line.leaveCall();
    this.line?.close();
    this.events.ended(reason);
  }

  /** An acked request in the call; out of it, or with no answer in time, an error in words like the server's. */
  async ask<E extends ClientEvent>(event: E, ...args: ClientParams<E>): Promise<AckResponse<E>> {
    const refusal = (message: string): AckResponse<E> => ({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message } });
    if (!this.line || this.current.name !== 'in-call') return refusal('You are not in the call right now: wait until it reconnects.');
    try {
      return await this.line.request(event, ...args);
    } catch {
      return refusal('The server did not answer in time; try again.');
    }
  }

  /** In the call it goes at once; out of it, it waits for the way back in. */
  signal(to: string, message: SignalMessage): void {
    if (this.current.name === 'in-call') this.line?.signal(to, message);
    else if (this.outbox.length < 500) this.outbox.push([to, message]);
  }

  /** Sends what waited, to those still in the call. */
  flushOutbox(isPresent: (id: string) => boolean): void {
    const outbox = this.outbox;
    this.outbox = [];
    for (const [to, message] of outbox) if (isPresent(to)) this.line?.signal(to, message);
  }

  private hear(event: LineEvent): void {
    const refused = REFUSED[event.type];
    if (refused !== undefined) {
      this.leave(refused);
      return;
    }
    switch (event.type) {
      case 'admitted':
        this.enter(event.snapshot, event.snapshot.resumeToken, false);
        return;
      case 'kicked':
        this.leave(event.banned ? 'The host removed you from the call and banned you from rejoining it.' : 'The host removed you from the call.');
        return;
      case 'call-reset':
        this.reset();
        return;
      case 'disconnect':
        this.dropped(event.reason);
        return;
      case 'connect':
        if (this.current.name === 'reconnecting') void this.resume();
        return;
      case 'connect-error':
        if (this.current.name === 'ended') return;
        // Refused by the server (a session that ended, too many attempts) rather than unreachable: no retry follows.
        if (!this.line?.active) this.leave(`Could not connect: ${event.message}`);
        else this.events.alert(`Cannot reach the server (${event.message}). Retrying…`);
        return;
    }
  }

  /** The server lost the call (its Redis lost its data): join again, as when a resume finds nothing to resume. */
  private reset(): void {
    const selfId = this.selfId;
    if (selfId === null) return;
    this.current = { name: 'reconnecting', selfId };
    this.events.alert('The call was interrupted by a server problem. Rejoining…');
    void this.resume();
  }

  private dropped(reason: string): void {
    const phase = this.current;
    if (phase.name === 'ended') return;
    // Still joining: the join's own request fails by itself, and nothing is there to resume.
    if (phase.name !== 'joining') this.current = { name: 'reconnecting', selfId: phase.selfId };
    this.events.alert('Connection lost. Reconnecting…');
    // The server closed this socket on purpose (a node taken for dead): Socket.IO does not retry that by itself.
    if (reason === 'io server disconnect') this.line?.reconnect();
  }

  /** Back on a new connection: the same participant when the server still holds it, otherwise a new join. */
  private async resume(): Promise<void> {
    const line = this.line;
    if (!line) return;
    const opts = this.resumeToken ? { name: this.setup.name, resume: this.resumeToken } : { name: this.setup.name };
    let ack: AckResponse<'join-call'>;
    try {
      ack = await line.request('join-call', this.setup.code, opts);
    } catch {
      // No answer in time: on the same connection, ask again; a new connection's `connect` asks by itself.
      if (line.connected) this.retryResume();
      return;
    }
    if (!ack.ok) {
      if (ack.error.code === 'SERVICE_UNAVAILABLE') this.retryResume();
      else this.leave(`Could not rejoin the call: ${ack.error.message}`);
      return;
    }
    if ('waiting' in ack) {
      this.events.restarted();
      this.events.alert(null);
      this.wait('Waiting for the host to let you in again…');
      return;
    }
    if (!ack.resumed) this.events.restarted();
    this.enter(ack, ack.resumeToken, ack.resumed);
    this.events.alert(null);
  }

  private retryResume(): void {
    setTimeout(() => {
      if (this.current.name !== 'ended' && this.line?.connected) void this.resume();
    }, this.setup.retryMs ?? 2000);
  }

  private wait(text: string): void {
    this.current = { name: 'waiting', selfId: this.selfId };
    this.events.waiting(text);
  }

  private enter(snapshot: CallSnapshot, resumeToken: string | undefined, resumed: boolean): void {
    this.resumeToken = resumeToken ?? null;
    this.current = { name: 'in-call', selfId: snapshot.self.id };
    this.events.entered(snapshot, resumed);
  }
}
