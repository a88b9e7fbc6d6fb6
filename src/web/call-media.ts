import type { CallSnapshot } from './call-line';
import type { LocalMedia } from './local-media';
import { onEnter, onPathChange, sfuCarries, type MediaPath, type PathChange, type RouteSteps } from './media-route';
import type { PeerMessage } from './peer';
import { PeerMesh } from './peer-mesh';
import { layerFor } from './sfu-layers';
import type { SfuLink } from './sfu-link';
import { SfuMedia } from './sfu-media';
import type { StatsSource } from './media-stats';
import type { SubscribedStream } from './sfu-streams';

export interface CallMediaSetup {
  local: LocalMedia;
  link: SfuLink;
  send(to: string, message: PeerMessage): void;
  isPresent(id: string): boolean;
  /** Whether someone shares a screen now, as their media state says. */
  sharing(id: string): boolean;
  /** Someone's media to play in their tile, from the mesh or the SFU. */
  show(id: string, stream: MediaStream): void;
  /** The cameras of those sharing a screen on the SFU (a mesh sends the screen in the camera's place). */
  showCameras(cameras: Map<string, MediaStream>): void;
  /** How wide someone's tile is drawn now, in CSS pixels. */
  tileWidth(id: string): number;
  say(text: string): void;
}

/** What the page's window.__meet shows the end-to-end tests of the SFU. */
export interface SfuDebug {
  readonly publisher: RTCPeerConnection | null;
  readonly subscriber: RTCPeerConnection | null;
  readonly streams: readonly SubscribedStream[];
}

/**
 * The call's media on either path: a peer mesh, or the SFU (one publishing and one subscribing connection). It
 * follows the path the join answers and `media-path` events name. Moving onto the SFU, the mesh keeps playing until
 * the SFU carries everyone it carried, then closes; falling back, the SFU's connections close and the mesh connects
 * again. Who is in the call and what their tiles say stay the call screen's.
 */
export class CallMedia {
  readonly mesh: PeerMesh;
  /** What window.__meet.sfu shows: read live. */
  readonly debug: SfuDebug;
  private sfu: SfuMedia | null = null;
  private route: MediaPath = 'mesh';
  private iceServers: RTCIceServer[] = [];
  private selfId: string | null = null;
  /** Waiting for the SFU to carry everyone before the mesh closes. */
  private retiring = false;
  /** Who the SFU's last subscription showed: the mesh no longer draws their tiles. */
  private fromSfu = new Set<string>();

  constructor(private readonly setup: CallMediaSetup) {
    this.mesh = new PeerMesh({
      local: setup.local.stream,
      send: (to, message) => setup.send(to, message),
      isPresent: (id) => setup.isPresent(id),
      onStream: (id, stream) => {
        if (!this.fromSfu.has(id)) setup.show(id, stream);
      },
    });
    const sfu = () => this.sfu;
    this.debug = {
      get publisher() {
        return sfu()?.publisherConnection ?? null;
      },
      get subscriber() {
        return sfu()?.subscriberConnection ?? null;
      },
      get streams() {
        return sfu()?.streams ?? [];
      },
    };
    window.addEventListener('resize', () => this.chooseLayers());
  }

  get path(): MediaPath {
    return this.route;
  }

  enter(snapshot: CallSnapshot, resumed: boolean): void {
    this.selfId = snapshot.self.id;
    this.iceServers = snapshot.iceServers;
    this.mesh.enter(snapshot.self.id, snapshot.iceServers);
    const steps = onEnter({ path: this.route, publishing: this.sfu?.publishing ?? false }, snapshot.media.path, resumed);
    // Back from a drop on the mesh: whoever joined meanwhile waited for an offer that this page, away, never sent.
    if (steps.path === 'mesh' && resumed && !steps.connectMesh) for (const participant of snapshot.participants) this.mesh.connect(participant.id);
    this.apply(steps, snapshot.participants.map((participant) => participant.id));
  }

  /** A `media-path` event. */
  changed(change: PathChange, present: string[]): void {
    this.apply(onPathChange({ path: this.route, publishing: this.sfu?.publishing ?? false }, change), present);
  }

  /** Someone joined: the mesh offers to them (they wait for those already in); on the SFU, their publishing will say. */
  joined(id: string): void {
    if (this.route === 'mesh' && id !== this.selfId) this.mesh.connect(id);
  }

  left(id: string): void {
    this.mesh.drop(id);
    this.fromSfu.delete(id);
    if (this.route === 'sfu') this.sfu?.resubscribe();
    this.retireMeshWhenCarried();
  }

  signal(from: string, message: unknown): void {
    this.mesh.receive(from, message);
  }

  /** Someone's media flows into the SFU now (sfu-publisher): subscribe again to receive it. */
  published(): void {
    if (this.route === 'sfu') this.sfu?.resubscribe();
  }

  /** Someone began or stopped sharing a screen: their tile shows the other stream, and a new screen needs subscribing. */
  sharingChanged(): void {
    this.sfu?.show();
    this.published();
  }

  /** The page's video for a mesh (the camera or a screen in its place), or its screen for the SFU. */
  sendVideo(track: MediaStreamTrack | null): Promise<void> {
    this.mesh.sendVideo(track);
    return this.sfu?.setScreen(this.setup.local.tracks.screen) ?? Promise.resolve();
  }

  /** Another camera or microphone on every connection; a shared screen keeps the mesh's video sender. */
  replaceDevice(kind: 'camera' | 'microphone', track: MediaStreamTrack): Promise<void> {
    if (kind === 'microphone') this.mesh.sendAudio(track);
    else if (!this.setup.local.sharing) this.mesh.sendVideo(track);
    return this.sfu?.replace(kind, track) ?? Promise.resolve();
  }

  /** The connections media arrives on, and whose media each carries: for the speaker and the links' quality. */
  statsSources(): StatsSource[] {
    const sources: StatsSource[] = [...this.mesh.connections].map(([id, pc]) => ({ pc, owner: () => id }));
    const subscriber = this.sfu?.subscriberConnection;
    if (subscriber) {
      const owners = new Map(this.sfu?.streams.map((stream) => [stream.mid, stream.participantId]));
      sources.push({ pc: subscriber, owner: (mid) => owners.get(mid ?? '') ?? null });
    }
    return sources;
  }

  /** The server forgot this participant: its connections were an identity that is gone. */
  restart(): void {
    this.mesh.dropAll();
    this.closeSfu();
  }

  close(): void {
    this.mesh.close();
    this.mesh.dropAll();
    this.closeSfu();
  }

  private apply(steps: RouteSteps, present: string[]): void {
    this.route = steps.path;
    this.mesh.hold(steps.path === 'sfu');
    if (steps.closeSfu) this.closeSfu();
    if (steps.connectMesh) {
      // One side offers, by id, so that two offers never cross (see call.ts on glare); the other answers.
      for (const id of present) if (this.selfId !== null && id > this.selfId) this.mesh.connect(id);
    }
    if (steps.publish !== 'no') void this.publish(steps.publish === 'restart');
    if (steps.subscribe) this.open().resubscribe();
    if (steps.retireMesh) {
      // Those who joined straight onto the SFU never answer the mesh's offers.
      this.mesh.dropUnconnected();
      this.retiring = true;
      this.retireMeshWhenCarried();
    }
  }

  private open(): SfuMedia {
    if (this.sfu) return this.sfu;
    const sfu = new SfuMedia({
      link: this.setup.link,
      iceServers: this.iceServers,
      tracks: () => this.setup.local.tracks,
      sharing: (id) => this.setup.sharing(id),
      onStreams: (streams) => {
        this.fromSfu = new Set(streams.keys());
        for (const [id, stream] of streams) if (this.setup.isPresent(id)) this.setup.show(id, stream);
        this.chooseLayers();
      },
      onCameras: (cameras) => this.setup.showCameras(cameras),
      onChange: () => this.retireMeshWhenCarried(),
      onError: (error) => console.warn('sfu', error),
    });
    this.sfu = sfu;
    return sfu;
  }

  private async publish(restart: boolean): Promise<void> {
    try {
      await this.open().publish(restart);
    } catch (error) {
      this.setup.say(`Sending your media failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private closeSfu(): void {
    this.sfu?.close();
    this.sfu = null;
    this.setup.showCameras(new Map());
    this.fromSfu.clear();
    this.retiring = false;
  }

  private retireMeshWhenCarried(): void {
    if (!this.retiring || !this.sfu) return;
    if (!sfuCarries(this.mesh.ids(), this.sfu.subscribed(), this.sfu.subscriberConnection?.connectionState === 'connected')) return;
    this.retiring = false;
    this.mesh.dropAll();
  }

  private chooseLayers(): void {
    this.sfu?.chooseLayers((id) => layerFor(this.setup.tileWidth(id), window.devicePixelRatio));
  }
}
