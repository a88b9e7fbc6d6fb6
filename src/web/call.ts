import type { CallOptionsDto, LobbyEntryDto, ParticipantDto } from '../adapters/realtime/protocol';
import { socketLine, type CallSnapshot } from './call-line';
import { CallMedia, type SfuDebug } from './call-media';
import { CallSession } from './call-session';
import type { CallView } from './call-view';
import { CallNotices } from './call-notices';
import { ChatPanel, type ChatLine } from './chat-panel';
import { ControlBar } from './control-bar';
import { DeviceMenu } from './device-menu';
import { playOn } from './devices';
import { el } from './dom';
import { LocalMedia } from './local-media';
import { ALL_OFF, MediaControls } from './media-controls';
import { MeetingInfo } from './meeting-info';
import { NoticeSounds } from './notice-sounds';
import { ReactionPicker, showReaction } from './reactions';
import { Shortcuts, type ShortcutAction } from './shortcuts';
import { personName, RosterPanel } from './roster';
import type { MediaPath } from './media-route';
import { sfuLink } from './sfu-link';
import { connect, type MeetSocket } from './signaling';
import type { GridView } from './tile-arrangement';
import { TileWatch } from './tile-watch';
import { VideoGrid } from './video-grid';

/** What the page exposes for the end-to-end tests (always: it only reads what the page already holds). */
export interface MeetDebug {
  selfId: string | null;
  /** The mesh's connections, by the other participant's id. */
  peers: Map<string, RTCPeerConnection>;
  socket: MeetSocket | null;
  /** How the call's media travels now. */
  readonly path: MediaPath;
  /** The page's SFU connections and whose stream each media id of its subscription is. */
  readonly sfu: SfuDebug;
  readonly view: GridView;
  /** The large tile's participant id in speaker view. */
  readonly large: string | null;
  readonly speaker: string | null;
}

declare global {
  interface Window {
    __meet?: MeetDebug;
  }
}

/** The tab's title in a call: the meeting, and a mark while the page's own microphone is off. */
export function meetingTitle(code: string, microphoneOn: boolean): string {
  return `${microphoneOn ? '' : '🔇 '}Meeting ${code} · Meet`;
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

/**
 * The call screen: it wires the session (the page's place in the call), the peer mesh, the local media and the
 * panels, and keeps the roster they are all drawn from. Peer connections do not go through this server, so they
 * survive a dropped connection that the session resumes.
 */
export class CallScreen {
  readonly root: HTMLElement;
  private readonly grid = new VideoGrid((video) => this.playOnClick(video));
  private readonly notices = new CallNotices();
  private readonly participants = new Map<string, ParticipantDto>();
  private readonly media: LocalMedia;
  private readonly calls: CallMedia;
  private readonly session: CallSession;
  private readonly controls: MediaControls;
  private readonly devices: DeviceMenu;
  private readonly chat = new ChatPanel({ send: (text) => this.sendChat(text) });
  private readonly roster: RosterPanel;
  /** The bar at the bottom: the panels add their buttons to it with bar.add(). */
  readonly bar = new ControlBar(() => this.leave(null));
  private readonly watch: TileWatch;
  private readonly sounds = new NoticeSounds();
  private readonly shortcuts = new Shortcuts((action) => this.shortcut(action));
  private lobby: LobbyEntryDto[] = [];
  private options: CallOptionsDto = { locked: false, lobby: false };
  /** Who this page is in the grid and the roster: the latest id the server gave it. */
  private selfId: string | null = null;

  constructor(private readonly setup: CallSetup) {
    this.media = new LocalMedia(
      setup.local,
      (track) => this.calls.sendVideo(track),
      (kind, track) => this.calls.replaceDevice(kind, track),
    );
    this.calls = new CallMedia({
      local: this.media,
      link: sfuLink((event, ...args) => this.session.ask(event, ...args)),
      send: (to, message) => this.session.signal(to, message),
      isPresent: (id) => this.participants.has(id),
      sharing: (id) => this.participants.get(id)?.media.screen ?? false,
      show: (id, stream) => {
        const participant = this.participants.get(id);
        this.grid.show(id, participant ? this.label(participant) : 'Participant', stream, false);
        if (participant) this.grid.state(id, participant);
        playOn(this.root.querySelectorAll('video'), this.devices.speakerId);
      },
      showCameras: (cameras) => {
        const label = (id: string) => {
          const participant = this.participants.get(id);
          return participant ? this.label(participant) : 'Participant';
        };
        this.grid.cameras(new Map([...cameras].filter(([id]) => this.participants.has(id)).map(([id, stream]) => [id, { label: label(id), stream }])));
      },
      tileWidth: (id) => this.grid.width(id),
      say: (text) => this.notices.say(text),
    });
    this.session = new CallSession(
      { code: setup.code, name: setup.name, open: () => socketLine(this.open()) },
      {
        entered: (snapshot, resumed) => this.enter(snapshot, resumed),
        waiting: (text) => {
          this.root.classList.add('waiting');
          this.notices.say(text);
        },
        restarted: () => this.restart(),
        alert: (text) => this.notices.alert(text),
        ended: (reason) => this.ended(reason),
      },
    );
    this.controls = new MediaControls(this.media, {
      inCall: () => this.session.phase.name === 'in-call',
      request: (change) => this.session.ask('media-state', change),
      say: (text) => this.notices.say(text),
      notify: (text) => this.notices.notify(text),
      changed: (media) => {
        if (this.selfId) this.update(this.selfId, { media });
      },
    });
    this.devices = new DeviceMenu(this.media, () => this.root.querySelectorAll('video'), (text) => this.notices.say(text));
    this.bar.add(...this.controls.toggles, this.devices.root);
    this.roster = new RosterPanel({
      request: (event, ...args) => this.session.ask(event, ...args),
      say: (text) => this.notices.say(text),
      settleKnock: (id) => {
        this.lobby = this.lobby.filter((entry) => entry.id !== id);
        this.render();
      },
    });
    const info = new MeetingInfo({
      code: setup.code,
      hosts: () => [...this.participants.values()].filter((participant) => participant.role === 'host').map((participant) => personName(participant)),
    });
    const reactions = new ReactionPicker({ send: (reaction) => this.session.ask('reaction', reaction), say: (text) => this.notices.say(text) });
    this.bar.add(this.chat.button, reactions.root, info.button, this.shortcuts.button, this.sounds.button);
    this.root = el(
      'div',
      { class: 'call' },
      el('header', {}, el('h1', {}, `Meeting ${setup.code}`)),
      this.notices.banner,
      this.notices.status,
      this.notices.quality,
      this.notices.toasts,
      info.dialog,
      this.shortcuts.dialog,
      this.grid.root,
      el('aside', { class: 'side', 'aria-label': 'Participants and chat' }, this.roster.root, this.chat.root),
      this.bar.root,
    );
    this.grid.show('self', `${setup.name} (you)`, this.media.stream, true);
    document.title = meetingTitle(setup.code, this.media.audio);
    this.watch = new TileWatch({
      sources: () => this.calls.statsSources(),
      onSfu: () => this.calls.path === 'sfu',
      mayTalk: (id) => id !== this.selfId && (this.participants.get(id)?.media.audio ?? false),
      speaker: (id) => this.grid.setSpeaker(id),
      quality: (id, numbers) => this.grid.quality(id, numbers),
      connection: (change) => this.notices.connection(change === 'poor' ? 'The connection is poor: video may freeze or lag.' : 'The connection is good again.'),
    });
    const { calls, grid, watch } = this;
    window.__meet = {
      selfId: null,
      peers: calls.mesh.connections,
      socket: null,
      get path() {
        return calls.path;
      },
      sfu: calls.debug,
      get view() {
        return grid.view;
      },
      get large() {
        return grid.large;
      },
      get speaker() {
        return watch.current;
      },
    };
  }

  join(): Promise<void> {
    return this.session.join();
  }

  leave(reason: string | null): void {
    this.session.leave(reason);
  }

  private open(): MeetSocket {
    const socket = connect(this.setup.token);
    if (window.__meet) window.__meet.socket = socket;
    this.listen(socket);
    return socket;
  }

  /** What happens in the call; what happens to the page's place in it is the session's. */
  private listen(socket: MeetSocket): void {
    socket.on('user-joined', (id, _clients, participants) => {
      const newcomer = participants.find((participant) => participant.id === id);
      if (newcomer && this.selfId && id !== this.selfId && !this.participants.has(id)) {
        this.notices.notify(`${personName(newcomer)} joined the call.`);
        this.sounds.play('join');
      }
      this.updateRoster(participants);
      // Those already in the call offer to the newcomer, who waits for them: two offers crossing is glare,
      // which perfect negotiation survives, but after which Chromium sometimes never gathers a candidate.
      this.calls.joined(id);
    });
    socket.on('user-left', (id) => {
      const gone = this.participants.get(id);
      if (gone && id !== this.selfId) this.notices.notify(`${personName(gone)} left the call.`);
      this.drop(id);
    });
    socket.on('signal', (fromId, message) => this.calls.signal(fromId, message));
    socket.on('media-path', (change) => this.calls.changed(change, [...this.participants.keys()].filter((id) => id !== this.selfId)));
    socket.on('sfu-publisher', () => this.calls.published());
    socket.on('speaking', (id, talking) => this.watch.talking(id, talking));
    socket.on('chat-message', (data, sender, senderId, meta) => this.chat.show({ id: meta.id, data, sender, senderId, ts: meta.ts }, this.selfId));
    socket.on('media-state', (id, media) => {
      // A screen shared or no longer is a stream more or less on the SFU: the subscription follows it.
      const before = this.participants.get(id);
      const sharing = before?.media.screen;
      if (before && id !== this.selfId && media.hand && !before.media.hand) this.notices.notify(`${personName(before)} raised their hand.`);
      this.update(id, { media });
      if (sharing !== undefined && sharing !== media.screen) this.calls.sharingChanged();
    });
    socket.on('role-changed', (id, role) => {
      // No longer host: the waiting list is the new host's to decide on (it hears of it as knocks).
      if (id === this.selfId && role === 'member') this.lobby = [];
      this.update(id, { role });
    });
    socket.on('participant-reconnecting', (id) => this.reconnecting(id, true));
    socket.on('participant-reconnected', (id) => this.reconnecting(id, false));
    socket.on('reaction', (id, reaction) => {
      const who = this.participants.get(id);
      showReaction(this.grid.root, id, reaction, id === this.selfId ? 'You' : who ? personName(who) : 'Someone');
    });
    socket.on('call-options', (options) => {
      this.options = options;
      this.render();
    });
    socket.on('lobby-knock', (entry) => {
      this.lobby = [...this.lobby.filter((waiting) => waiting.id !== entry.id), entry];
      this.notices.notify(`${personName(entry)} is waiting in the lobby.`);
      this.sounds.play('knock');
      this.render();
    });
    socket.on('muted', ({ kind, force }) => this.controls.forcedOff(kind, force));
    socket.on('server-shutdown', () => this.notices.alert('The server is restarting. Reconnecting…'));
    socket.on('call-error', (error) => this.notices.say(error.message));
  }

  private ended(reason: string | null): void {
    this.shortcuts.stop();
    const ids = this.calls.mesh.ids();
    this.watch.stop();
    this.calls.close();
    for (const id of ids) this.drop(id);
    this.media.stop();
    document.title = 'Meet';
    this.setup.onLeft(reason);
  }

  /** The server no longer knew this participant: its peer connections were to an identity that is gone. */
  private restart(): void {
    const ids = this.calls.mesh.ids();
    this.calls.restart();
    for (const id of ids) this.drop(id);
    for (const key of this.grid.keys()) if (key !== this.selfId) this.grid.remove(key);
    this.participants.clear();
  }

  private enter(snapshot: CallSnapshot, resumed: boolean): void {
    const previous = this.selfId;
    this.selfId = snapshot.self.id;
    this.grid.rekey(previous ?? 'self', snapshot.self.id);
    this.options = snapshot.options;
    this.lobby = snapshot.lobby ?? this.lobby;
    if (window.__meet) window.__meet.selfId = snapshot.self.id;
    for (const message of snapshot.history) this.chat.show(message, this.selfId);
    this.root.classList.remove('waiting');
    this.updateRoster(snapshot.participants);
    this.calls.enter(snapshot, resumed);
    this.watch.start();
    this.calls.mesh.replayEarly();
    this.session.flushOutbox((id) => this.participants.has(id));
    this.notices.say(this.setup.notice ?? '');
    void this.controls.announce(snapshot.self.media);
  }

  private reconnecting(id: string, lost: boolean): void {
    const who = this.participants.get(id);
    if (who && id !== this.selfId) this.notices.notify(lost ? `${personName(who)} lost their connection; waiting for them to come back…` : `${personName(who)} is back.`);
    this.update(id, { connected: !lost });
  }

  private shortcut(action: ShortcutAction): void {
    if (action === 'chat') this.chat.toggle();
    else if (action === 'leave') this.leave(null);
    else this.controls.toggle(action);
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

  private drop(id: string): void {
    this.participants.delete(id);
    this.calls.left(id);
    if (id !== this.selfId) this.grid.remove(id);
    this.render();
  }

  private label(participant: ParticipantDto): string {
    return participant.role === 'host' ? `${personName(participant)} (host)` : personName(participant);
  }

  private self(): ParticipantDto {
    return this.participants.get(this.selfId ?? '') ?? { id: '', name: this.setup.name, media: ALL_OFF, role: 'member', connected: true };
  }

  private render(): void {
    for (const [id, participant] of this.participants) {
      this.grid.state(id, participant);
      if (id !== this.selfId) this.grid.show(id, this.label(participant), null, false);
    }
    this.controls.render(this.self().media);
    document.title = meetingTitle(this.setup.code, this.media.audio);
    this.sounds.callSize(this.participants.size);
    if (!this.selfId) return;
    const view: CallView = { selfId: this.selfId, participants: this.participants, options: this.options, lobby: this.lobby };
    this.roster.render(view);
  }

  private async sendChat(data: string): Promise<boolean> {
    const ack = await this.session.ask('chat-message', data, this.setup.name);
    if (!ack.ok) {
      this.notices.say(ack.error.message);
      return false;
    }
    const line: ChatLine = { id: ack.id, data, sender: this.setup.name, senderId: this.selfId ?? '', ts: ack.ts };
    this.chat.show(line, this.selfId);
    return true;
  }

  /** Browsers may hold back sound until the person interacts with the page: the next click starts it. */
  private playOnClick(video: HTMLVideoElement): void {
    this.notices.say('Click anywhere to start the video.');
    document.addEventListener('click', () => void video.play().then(() => this.notices.say('')), { once: true });
  }
}
