import type { ChatMessageDto, ParticipantDto } from '../adapters/realtime/protocol';
import { el } from './dom';
import { PeerLink } from './peer';
import { AckFailure, connect, request, type MeetSocket } from './signaling';

/** What the page exposes for the end-to-end tests (always: it only reads what the page already holds). */
export interface MeetDebug {
  selfId: string | null;
  peers: Map<string, RTCPeerConnection>;
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
  onLeft(reason: string | null): void;
}

/** The call screen: self view, a tile per participant, chat, leave. */
export class CallScreen {
  readonly root: HTMLElement;
  private readonly grid = el('section', { class: 'grid', 'aria-label': 'Videos' });
  private readonly chatLog = el('ol', { class: 'chat-log', 'aria-label': 'Chat messages' });
  private readonly status = el('p', { class: 'status', role: 'status' });
  private readonly peers = new Map<string, PeerLink>();
  private readonly tiles = new Map<string, HTMLElement>();
  private readonly seenChat = new Set<string>();
  private readonly names = new Map<string, string>();
  private socket: MeetSocket | null = null;
  private selfId: string | null = null;
  private iceServers: RTCIceServer[] = [];
  private ended = false;

  private readonly code: string;
  private readonly name: string;
  private readonly local: MediaStream;

  constructor(private readonly setup: CallSetup) {
    ({ code: this.code, name: this.name, local: this.local } = setup);
    const { code, name, local } = setup;
    const input = el('input', { id: 'chat-text', name: 'chat', maxlength: '2000', autocomplete: 'off', required: true });
    const form = el('form', { class: 'chat-form' }, el('label', { for: 'chat-text' }, 'Message'), input, el('button', { type: 'submit' }, 'Send'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendChat(input);
    });
    const leave = el('button', { type: 'button', class: 'leave' }, 'Leave call');
    leave.addEventListener('click', () => this.leave(null));
    this.root = el(
      'div',
      { class: 'call' },
      el('header', {}, el('h1', {}, `Meeting ${code}`), leave),
      this.status,
      this.grid,
      el('section', { class: 'chat', 'aria-label': 'Chat' }, el('h2', {}, 'Chat'), this.chatLog, form),
    );
    this.addTile('self', `${name} (you)`, local, true);
    window.__meet = { selfId: null, peers: new Map() };
  }

  async join(): Promise<void> {
    const socket = connect(this.setup.token);
    this.socket = socket;
    socket.on('user-joined', (_id, _clients, participants) => this.roster(participants));
    socket.on('user-left', (id) => this.drop(id));
    socket.on('signal', (fromId, message) => this.peerFor(fromId)?.receive(message));
    socket.on('chat-message', (data, sender, senderId, meta) => this.chat({ id: meta.id, data, sender, senderId, ts: meta.ts }));
    socket.on('kicked', () => this.leave('You were removed from the call.'));
    socket.on('call-ended', () => this.leave('The host ended the call.'));
    socket.on('connect_error', (error) => this.say(`Cannot reach the server: ${error.message}`));
    const ack = await request(socket, 'join-call', this.code, { name: this.name });
    if (!ack.ok) throw new AckFailure(ack.error);
    if ('waiting' in ack) {
      this.say('Waiting for the host to let you in…');
      return;
    }
    this.selfId = ack.self.id;
    this.iceServers = ack.iceServers;
    if (window.__meet) window.__meet.selfId = ack.self.id;
    for (const message of ack.history) this.chat(message);
    this.roster(ack.participants);
    this.say('');
  }

  leave(reason: string | null): void {
    if (this.ended) return;
    this.ended = true;
    for (const id of [...this.peers.keys()]) this.drop(id);
    for (const track of this.local.getTracks()) track.stop();
    if (this.socket?.connected) this.socket.emit('leave-call');
    this.socket?.disconnect();
    this.setup.onLeft(reason);
  }

  private roster(participants: ParticipantDto[]): void {
    for (const participant of participants) this.names.set(participant.id, participant.guest ? `${participant.name} (guest)` : participant.name);
    if (!this.selfId) return;
    for (const participant of participants) {
      if (participant.id !== this.selfId) this.peerFor(participant.id);
    }
  }

  /** The link to a participant, made on first need: from the roster or from their first signal. */
  private peerFor(id: string): PeerLink | null {
    const existing = this.peers.get(id);
    if (existing || !this.selfId || this.ended) return existing ?? null;
    const selfId = this.selfId;
    const link = new PeerLink({
      polite: selfId < id,
      iceServers: this.iceServers,
      local: this.local,
      send: (message) => this.socket?.emit('signal', id, message),
      onStream: (stream) => this.addTile(id, this.names.get(id) ?? 'Participant', stream, false),
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
    this.tiles.get(id)?.remove();
    this.tiles.delete(id);
  }

  private addTile(id: string, label: string, stream: MediaStream, self: boolean): void {
    const current = this.tiles.get(id);
    const video = current?.querySelector('video');
    if (video) {
      if (video.srcObject !== stream) video.srcObject = stream;
      return;
    }
    const player = el('video', { autoplay: true, playsinline: true, 'data-participant': id, 'aria-label': `Video of ${label}` });
    player.muted = self;
    player.srcObject = stream;
    const tile = el('figure', { class: self ? 'tile self' : 'tile' }, player, el('figcaption', {}, label));
    this.tiles.set(id, tile);
    this.grid.append(tile);
    // Browsers may hold back sound until the person interacts with the page: the next click starts it.
    player.play().catch(() => {
      this.say('Click anywhere to start the video.');
      document.addEventListener('click', () => void player.play().then(() => this.say('')), { once: true });
    });
  }

  private async sendChat(input: HTMLInputElement): Promise<void> {
    const data = input.value;
    if (!this.socket || !data.trim()) return;
    const ack = await request(this.socket, 'chat-message', data, this.name);
    if (!ack.ok) {
      this.say(ack.error.message);
      return;
    }
    input.value = '';
    this.chat({ id: ack.id, data, sender: this.name, senderId: this.selfId ?? '', ts: ack.ts });
  }

  private chat(message: Pick<ChatMessageDto, 'id' | 'data' | 'sender' | 'senderId' | 'ts'>): void {
    if (this.seenChat.has(message.id)) return;
    this.seenChat.add(message.id);
    const time = new Date(message.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const who = message.senderId === this.selfId ? 'You' : message.sender;
    this.chatLog.append(el('li', {}, el('strong', {}, who), ' ', el('time', { datetime: message.ts }, time), el('p', {}, message.data)));
    this.chatLog.scrollTop = this.chatLog.scrollHeight;
  }

  private say(text: string): void {
    this.status.textContent = text;
  }
}
