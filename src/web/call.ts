import type { AckPayload, AckResponse, ClientEvent, ClientParams, CallOptionsDto, ChatMessageDto, LobbyEntryDto, MediaStateDto, ParticipantDto } from '../adapters/realtime/protocol';
import { AckFailure } from './ack-failure';
import type { CallView } from './call-view';
import { el } from './dom';
import { LocalMedia } from './local-media';
import { PeerLink, type PeerMessage } from './peer';
import { personName, RosterPanel } from './roster';
import { connect, request, type MeetSocket } from './signaling';
import { VideoGrid } from './video-grid';

/** What the page exposes for the end-to-end tests (always: it only reads what the page already holds). */
export interface MeetDebug {
  selfId: string | null;
  peers: Map<string, RTCPeerConnection>;
  socket: MeetSocket | null;
}

declare global {
  interface Window {
    __meet?: MeetDebug;
  }
}

/** What a call screen starts from: the meeting, who joins (a guest's name, or an account's token), their media. */
export interface CallSetup {
  code: string;
  name: string;
  token: string | null;
  local: MediaStream;
  /** What the person should know from the start, such as a camera that was refused. */
  notice: string | null;
  onLeft(reason: string | null): void;
}

type Joined = Extract<AckPayload<'join-call'>, { callId: string }>;
type Snapshot = Omit<Joined, 'resumed' | 'resumeToken' | 'lobby'> & Partial<Pick<Joined, 'resumeToken' | 'lobby'>>;

const OFF: MediaStateDto = { audio: false, video: false, screen: false, hand: false };

/**
 * The call screen: a tile per participant with their state, the page's own controls, chat, and the panels. It
 * keeps the call through a dropped connection: Socket.IO reconnects and the page resumes with its resume token,
 * keeping its peer connections, which do not go through this server.
 */
export class CallScreen {
  readonly root: HTMLElement;
  private readonly grid = new VideoGrid((video) => this.playOnClick(video));
  private readonly chatLog = el('ol', { class: 'chat-log', 'aria-live': 'polite', 'aria-label': 'Chat messages' });
  private readonly status = el('p', { class: 'status', role: 'status' });
  private readonly banner = el('p', { class: 'banner', role: 'alert', hidden: true });
  private readonly controls = el('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Your microphone, camera and hand' });
  private readonly buttons: Record<'audio' | 'video' | 'screen' | 'hand', HTMLButtonElement>;
  private readonly peers = new Map<string, PeerLink>();
  private readonly seenChat = new Set<string>();
  private readonly participants = new Map<string, ParticipantDto>();
  private readonly roster: RosterPanel;
  private readonly media: LocalMedia;
  private lobby: LobbyEntryDto[] = [];
  private options: CallOptionsDto = { locked: false, lobby: false };
  private socket: MeetSocket | null = null;
  private selfId: string | null = null;
  private resumeToken: string | null = null;
  private iceServers: RTCIceServer[] = [];
  /** Joined and connected: requests go out only then, never queued for a connection that has not resumed yet. */
  private live = false;
  /** Held in the lobby: a new connection knocks again. */
  private waiting = false;
  /** Signals that came before the join's answer (those in the call offer at once), by sender, replayed once in. */
  private readonly early = new Map<string, unknown[]>();
  /** Signals this page made while out of the call (an ICE restart, say), sent once it is back in. */
  private outbox: Array<[string, PeerMessage]> = [];
  private ended = false;

  constructor(private readonly setup: CallSetup) {
    this.media = new LocalMedia(setup.local, (track) => {
      for (const link of this.peers.values()) link.sendVideo(track);
    });
    const input = el('input', { id: 'chat-text', name: 'chat', maxlength: '2000', autocomplete: 'off', required: true });
    const form = el('form', { class: 'chat-form' }, el('label', { for: 'chat-text' }, 'Message'), input, el('button', { type: 'submit' }, 'Send'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendChat(input);
    });
    const leave = el('button', { type: 'button', class: 'leave' }, 'Leave call');
    leave.addEventListener('click', () => this.leave(null));
    this.buttons = {
      audio: this.toggle('Microphone', () => void this.setMedia({ audio: !this.media.audio })),
      video: this.toggle('Camera', () => void this.setMedia({ video: !this.media.video })),
      screen: this.toggle('Share screen', () => void this.toggleScreen()),
      hand: this.toggle('Raise hand', () => void this.setMedia({ hand: !this.self().media.hand })),
    };
    this.controls.append(...Object.values(this.buttons));
    this.roster = new RosterPanel({
      request: (event, ...args) => this.ask(event, ...args),
      say: (text) => this.say(text),
      settleKnock: (id) => {
        this.lobby = this.lobby.filter((entry) => entry.id !== id);
        this.render();
      },
    });
    this.root = el(
      'div',
      { class: 'call' },
      el('header', {}, el('h1', {}, `Meeting ${setup.code}`), leave),
      this.banner,
      this.status,
      this.controls,
      this.grid.root,
      this.roster.root,
      el('section', { class: 'chat', 'aria-label': 'Chat' }, el('h2', {}, 'Chat'), this.chatLog, form),
    );
    this.grid.show('self', `${setup.name} (you)`, this.media.stream, true);
    this.renderControls();
    window.__meet = { selfId: null, peers: new Map(), socket: null };
  }

  async join(): Promise<void> {
    const socket = connect(this.setup.token);
    this.socket = socket;
    if (window.__meet) window.__meet.socket = socket;
    this.listen(socket);
    const ack = await request(socket, 'join-call', this.setup.code, { name: this.setup.name });
    if (!ack.ok) throw new AckFailure(ack.error);
    if ('waiting' in ack) {
      this.wait('Waiting for the host to let you in…');
      return;
    }
    this.resumeToken = ack.resumeToken ?? null;
    this.enter(ack, false);
  }

  leave(reason: string | null): void {
    if (this.ended) return;
    this.ended = true;
    this.live = false;
    for (const id of [...this.peers.keys()]) this.drop(id);
    this.media.stop();
    if (this.socket?.connected) this.socket.emit('leave-call');
    this.socket?.disconnect();
    this.setup.onLeft(reason);
  }

  private listen(socket: MeetSocket): void {
    socket.on('user-joined', (id, _clients, participants) => {
      this.updateRoster(participants);
      // Those already in the call offer to the newcomer, who waits for them: two offers crossing is glare,
      // which perfect negotiation survives, but after which Chromium sometimes never gathers a candidate.
      if (id !== this.selfId) this.peerFor(id);
    });
    socket.on('user-left', (id) => this.drop(id));
    socket.on('signal', (fromId, message) => this.receiveSignal(fromId, message));
    socket.on('chat-message', (data, sender, senderId, meta) => this.chat({ id: meta.id, data, sender, senderId, ts: meta.ts }));
    socket.on('media-state', (id, media) => this.update(id, { media }));
    socket.on('role-changed', (id, role) => {
      // No longer host: the waiting list is the new host's to decide on (it hears of it as knocks).
      if (id === this.selfId && role === 'member') this.lobby = [];
      this.update(id, { role });
    });
    socket.on('participant-reconnecting', (id) => this.update(id, { connected: false }));
    socket.on('participant-reconnected', (id) => this.update(id, { connected: true }));
    socket.on('call-options', (options) => {
      this.options = options;
      this.render();
    });
    socket.on('lobby-knock', (entry) => {
      this.lobby = [...this.lobby.filter((waiting) => waiting.id !== entry.id), entry];
      this.say(`${entry.name} is waiting in the lobby.`);
      this.render();
    });
    socket.on('admitted', (snapshot) => {
      this.resumeToken = snapshot.resumeToken ?? null;
      this.enter(snapshot, false);
    });
    socket.on('denied', () => this.leave('The host did not let you in.'));
    socket.on('kicked', ({ banned }) => this.leave(banned ? 'The host removed you from the call and banned you from rejoining it.' : 'The host removed you from the call.'));
    socket.on('muted', ({ kind, force }) => this.forcedOff(kind, force));
    socket.on('call-ended', () => this.leave('The host ended the call for everyone.'));
    socket.on('session-ended', () => this.leave('Your session ended; sign in again.'));
    socket.on('connection-replaced', () => this.leave('This call went on in another tab or window, so it ended here.'));
    socket.on('server-shutdown', () => this.alert('The server is restarting. Reconnecting…'));
    socket.on('call-error', (error) => this.say(error.message));
    // The server lost the call (its Redis lost its data): join again, as when a resume finds nothing to resume.
    socket.on('call-reset', () => {
      if (this.ended || !this.selfId) return;
      this.live = false;
      this.alert('The call was interrupted by a server problem. Rejoining…');
      void this.resume();
    });
    socket.on('disconnect', (reason) => {
      this.live = false;
      if (this.ended) return;
      this.alert('Connection lost. Reconnecting…');
      // The server closed this socket on purpose (a node taken for dead): Socket.IO does not retry that by itself.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect', () => {
      if ((this.selfId || this.waiting) && !this.ended) void this.resume();
    });
    socket.on('connect_error', (error) => {
      if (this.ended) return;
      // Refused by the server (a session that ended, too many attempts) rather than unreachable: no retry follows.
      if (!socket.active) this.leave(`Could not connect: ${error.message}`);
      else this.alert(`Cannot reach the server (${error.message}). Retrying…`);
    });
  }

  /** Back on a new connection: the same participant when the server still holds it, otherwise a new join. */
  private async resume(): Promise<void> {
    if (!this.socket) return;
    const opts = this.resumeToken ? { name: this.setup.name, resume: this.resumeToken } : { name: this.setup.name };
    let ack: AckResponse<'join-call'>;
    try {
      ack = await request(this.socket, 'join-call', this.setup.code, opts);
    } catch {
      // No answer in time: on the same connection, ask again; a new connection's `connect` asks by itself.
      if (this.socket.connected) this.retryResume();
      return;
    }
    if (!ack.ok) {
      if (ack.error.code === 'SERVICE_UNAVAILABLE') this.retryResume();
      else this.leave(`Could not rejoin the call: ${ack.error.message}`);
      return;
    }
    if ('waiting' in ack) {
      this.restart();
      this.alert(null);
      this.wait('Waiting for the host to let you in again…');
      return;
    }
    if (!ack.resumed) this.restart();
    this.resumeToken = ack.resumeToken ?? null;
    this.enter(ack, ack.resumed);
    this.alert(null);
  }

  private retryResume(): void {
    setTimeout(() => {
      if (!this.ended && this.socket?.connected) void this.resume();
    }, 2000);
  }

  private wait(text: string): void {
    this.waiting = true;
    this.live = false;
    this.root.classList.add('waiting');
    this.say(text);
  }

  /** An acked request in the call; out of it, or with no answer in time, an error in words like the server's. */
  private async ask<E extends ClientEvent>(event: E, ...args: ClientParams<E>): Promise<AckResponse<E>> {
    const refusal = (message: string): AckResponse<E> => ({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message } });
    if (!this.socket || !this.live) return refusal('You are not in the call right now: wait until it reconnects.');
    try {
      return await request(this.socket, event, ...args);
    } catch {
      return refusal('The server did not answer in time; try again.');
    }
  }

  private receiveSignal(fromId: string, message: unknown): void {
    if (!this.selfId) {
      const held = this.early.get(fromId) ?? [];
      if (held.length < 200) this.early.set(fromId, [...held, message]);
      return;
    }
    // Only from someone in the call: a late signal of someone who left must not open a connection to nobody.
    if (this.participants.has(fromId)) this.peerFor(fromId)?.receive(message);
  }

  /** The server no longer knew this participant: its peer connections were to an identity that is gone. */
  private restart(): void {
    for (const id of [...this.peers.keys()]) this.drop(id);
    for (const key of this.grid.keys()) if (key !== this.selfId) this.grid.remove(key);
    this.participants.clear();
  }

  private enter(snapshot: Snapshot, resumed: boolean): void {
    const previous = this.selfId;
    this.selfId = snapshot.self.id;
    this.grid.rekey(previous ?? 'self', snapshot.self.id);
    this.iceServers = snapshot.iceServers;
    this.options = snapshot.options;
    this.lobby = snapshot.lobby ?? this.lobby;
    if (window.__meet) window.__meet.selfId = snapshot.self.id;
    this.live = true;
    for (const message of snapshot.history) this.chat(message);
    this.waiting = false;
    this.root.classList.remove('waiting');
    this.updateRoster(snapshot.participants);
    // Back from a drop: whoever joined meanwhile waited for an offer that this page, away, never sent.
    if (resumed) for (const id of this.participants.keys()) this.peerFor(id);
    for (const [from, messages] of this.early) for (const message of messages) this.receiveSignal(from, message);
    this.early.clear();
    const outbox = this.outbox;
    this.outbox = [];
    for (const [to, message] of outbox) if (this.participants.has(to)) this.socket?.emit('signal', to, message);
    this.say(this.setup.notice ?? '');
    void this.announceMedia(snapshot.self.media);
  }

  /** A join starts with everything off; the page says what it actually sends (a resume keeps what the server held). */
  private async announceMedia(held: MediaStateDto): Promise<void> {
    const wanted = { audio: this.media.audio, video: this.media.video, screen: this.media.sharing };
    if (wanted.audio === held.audio && wanted.video === held.video && wanted.screen === held.screen) return;
    await this.setMedia(wanted);
  }

  private updateRoster(participants: ParticipantDto[]): void {
    // A user-joined that overtakes this page's own join answer: the answer carries the same roster.
    if (!this.selfId) return;
    const present = new Set(participants.map((participant) => participant.id));
    for (const id of [...this.participants.keys()]) if (!present.has(id)) this.drop(id);
    for (const participant of participants) {
      this.participants.set(participant.id, participant);
      if (participant.id === this.selfId) continue;
      this.grid.show(participant.id, this.label(participant), null, false);
    }
    this.render();
  }

  private update(id: string, change: Partial<ParticipantDto>): void {
    const current = this.participants.get(id);
    if (!current) return;
    this.participants.set(id, { ...current, ...change });
    this.render();
  }

  /** The link to a participant, made on first need: from the roster or from their first signal. */
  private peerFor(id: string): PeerLink | null {
    const existing = this.peers.get(id);
    if (existing || !this.selfId || this.ended || id === this.selfId) return existing ?? null;
    const selfId = this.selfId;
    const link = new PeerLink({
      polite: selfId < id,
      iceServers: this.iceServers,
      local: this.media.stream,
      send: (message) => {
        if (this.live) this.socket?.emit('signal', id, message);
        else if (this.outbox.length < 500) this.outbox.push([id, message]);
      },
      onStream: (stream) => {
        const participant = this.participants.get(id);
        this.grid.show(id, participant ? this.label(participant) : 'Participant', stream, false);
        if (participant) this.grid.state(id, participant);
      },
      onError: (error) => console.warn('peer', id, error),
    });
    this.peers.set(id, link);
    window.__meet?.peers.set(id, link.pc);
    return link;
  }

  private drop(id: string): void {
    this.peers.get(id)?.close();
    this.peers.delete(id);
    window.__meet?.peers.delete(id);
    this.participants.delete(id);
    if (id !== this.selfId) this.grid.remove(id);
    this.render();
  }

  private label(participant: ParticipantDto): string {
    return participant.role === 'host' ? `${personName(participant)} (host)` : personName(participant);
  }

  private self(): ParticipantDto {
    return this.participants.get(this.selfId ?? '') ?? { id: '', name: this.setup.name, media: OFF, role: 'member', connected: true };
  }

  /** Off goes off here at once (the person's privacy does not wait for the server); on waits for the server's yes. */
  private async setMedia(change: Partial<MediaStateDto>): Promise<void> {
    if ((change.audio && !this.media.hasMicrophone) || (change.video && !this.media.hasCamera)) {
      this.say(change.audio ? 'There is no microphone to turn on: it was refused or is missing.' : 'There is no camera to turn on: it was refused or is missing.');
      return;
    }
    if (change.audio === false || (!this.live && change.audio)) this.media.setAudio(change.audio);
    if (change.video === false || (!this.live && change.video)) this.media.setVideo(change.video);
    this.renderControls();
    // Not in the call yet (a lobby) or between connections: the join or resume that follows announces it.
    if (!this.socket || !this.live) return;
    const ack = await this.ask('media-state', change);
    if (!ack.ok) {
      this.say(ack.error.message);
      return;
    }
    this.media.setAudio(ack.state.audio);
    this.media.setVideo(ack.state.video);
    if (this.selfId) this.update(this.selfId, { media: ack.state });
  }

  private async toggleScreen(): Promise<void> {
    if (this.media.sharing) {
      this.media.stopSharing();
      await this.setMedia({ screen: false });
      return;
    }
    try {
      await this.media.shareScreen(() => {
        this.media.stopSharing();
        void this.setMedia({ screen: false });
      });
    } catch (reason) {
      this.say(`Screen sharing did not start: ${reason instanceof Error ? reason.message : String(reason)}`);
      return;
    }
    await this.setMedia({ screen: true });
  }

  private forcedOff(kind: 'audio' | 'video', force: boolean): void {
    if (kind === 'audio') this.media.setAudio(false);
    else this.media.setVideo(false);
    const what = kind === 'audio' ? 'microphone' : 'camera';
    this.say(force ? `The host turned off your ${what}; only the host can let you turn it back on.` : `The host turned off your ${what}.`);
    if (this.selfId) this.update(this.selfId, { media: { ...this.self().media, [kind]: false } });
  }

  private render(): void {
    for (const [id, participant] of this.participants) {
      this.grid.state(id, participant);
      if (id !== this.selfId) this.grid.show(id, this.label(participant), null, false);
    }
    this.renderControls();
    if (!this.selfId) return;
    const view: CallView = { selfId: this.selfId, participants: this.participants, options: this.options, lobby: this.lobby };
    this.roster.render(view);
  }

  private renderControls(): void {
    const pressed = { audio: this.media.audio, video: this.media.video, screen: this.media.sharing, hand: this.self().media.hand };
    for (const kind of ['audio', 'video', 'screen', 'hand'] as const) this.buttons[kind].setAttribute('aria-pressed', String(pressed[kind]));
  }

  private toggle(label: string, onClick: () => void): HTMLButtonElement {
    const button = el('button', { type: 'button', 'aria-pressed': 'false' }, label);
    button.addEventListener('click', onClick);
    return button;
  }

  private async sendChat(input: HTMLInputElement): Promise<void> {
    const data = input.value;
    if (!data.trim()) return;
    const ack = await this.ask('chat-message', data, this.setup.name);
    if (!ack.ok) {
      this.say(ack.error.message);
      return;
    }
    input.value = '';
    this.chat({ id: ack.id, data, sender: this.setup.name, senderId: this.selfId ?? '', ts: ack.ts });
  }

  private chat(message: Pick<ChatMessageDto, 'id' | 'data' | 'sender' | 'senderId' | 'ts'>): void {
    if (this.seenChat.has(message.id)) return;
    this.seenChat.add(message.id);
    const time = new Date(message.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const who = message.senderId === this.selfId ? 'You' : message.sender;
    this.chatLog.append(el('li', {}, el('strong', {}, who), ' ', el('time', { datetime: message.ts }, time), el('p', {}, message.data)));
    this.chatLog.scrollTop = this.chatLog.scrollHeight;
  }

  /** Browsers may hold back sound until the person interacts with the page: the next click starts it. */
  private playOnClick(video: HTMLVideoElement): void {
    this.say('Click anywhere to start the video.');
    document.addEventListener('click', () => void video.play().then(() => this.say('')), { once: true });
  }

  private say(text: string): void {
    this.status.textContent = text;
  }

  private alert(text: string | null): void {
    this.banner.textContent = text ?? '';
    this.banner.hidden = text === null;
  }
}
