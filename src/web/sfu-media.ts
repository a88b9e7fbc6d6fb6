import type { VideoLayer } from './sfu-layers';
import type { SfuLink } from './sfu-link';
import { worthSending } from './sfu-link';
import { SfuPublishingPeer, type LocalTracks } from './sfu-publishing-peer';
import { midsByParticipant, shownMids, type SubscribedStream } from './sfu-streams';
import { SfuSubscribingPeer } from './sfu-subscribing-peer';

export interface SfuMediaSetup {
  link: SfuLink;
  iceServers: RTCIceServer[];
  /** What the page sends now. */
  tracks(): LocalTracks;
  /** Whether someone shares a screen now, as their media state says. */
  sharing(participantId: string): boolean;
  /** After each subscription: the stream each participant's tile plays (its audio, and its screen or camera). */
  onStreams(streams: Map<string, MediaStream>): void;
  /** After each subscription: the camera of each participant who shares a screen, drawn beside the screen. */
  onCameras(cameras: Map<string, MediaStream>): void;
  /** The subscription or its connection changed. */
  onChange(): void;
  onError(error: unknown): void;
}

/** How long a failed subscription waits before it is tried again, and how often in a row. */
const RETRY_MS = 1000;
const RETRIES = 5;

/**
 * The page's media on the SFU: one publishing connection and one subscribing connection (replaced by each new
 * subscription). Subscriptions run one at a time; asked again meanwhile (someone else started publishing, left, or
 * began sharing a screen), one more follows, so a burst of news costs one or two.
 */
export class SfuMedia {
  private publisher: SfuPublishingPeer | null = null;
  private subscriber: SfuSubscribingPeer | null = null;
  private current: SubscribedStream[] = [];
  /** The current subscription's track of each media id. */
  private tracks = new Map<string, MediaStreamTrack>();
  private subscribing = false;
  private again = false;
  private failures = 0;
  /** The layer the subscription takes of each participant's video, when told other than the SFU's default (full). */
  private readonly layers = new Map<string, VideoLayer>();
  private closed = false;

  constructor(private readonly setup: SfuMediaSetup) {}

  get publishing(): boolean {
    return this.publisher !== null;
  }

  get publisherConnection(): RTCPeerConnection | null {
    return this.publisher?.pc ?? null;
  }

  get subscriberConnection(): RTCPeerConnection | null {
    return this.subscriber?.pc ?? null;
  }

  get streams(): readonly SubscribedStream[] {
    return this.current;
  }

  /** Who the subscription receives. */
  subscribed(): Set<string> {
    return new Set(this.current.map((stream) => stream.participantId));
  }

  /** A new publishing connection; `restart`: the SFU drops what it had of this participant first. */
  async publish(restart: boolean): Promise<void> {
    this.publisher?.close();
    const { link, iceServers } = this.setup;
    const publisher = new SfuPublishingPeer(
      {
        iceServers,
        publish: (sdp, again) => link.publish(sdp, again),
        candidate: (candidate) => this.trickle('publisher', candidate),
      },
      this.setup.tracks(),
    );
    this.publisher = publisher;
    await publisher.start(restart);
  }

  /** The screen shared now, or none: sent as a video of its own. */
  async setScreen(track: MediaStreamTrack | null): Promise<void> {
    await this.publisher?.setScreen(track);
  }

  /** Another camera or microphone in the publisher's place (the camera keeps its simulcast layers). */
  async replace(kind: 'camera' | 'microphone', track: MediaStreamTrack): Promise<void> {
    await this.publisher?.replace(kind, track);
  }

  resubscribe(): void {
    if (this.closed) return;
    if (this.subscribing) {
      this.again = true;
      return;
    }
    void this.subscribeWhileAsked();
  }

  /** Tells the SFU the layer each participant's tile needs, where it differs from what the subscription takes. */
  chooseLayers(need: (participantId: string) => VideoLayer): void {
    const withVideo = new Set(this.current.filter((stream) => stream.kind === 'video').map((stream) => stream.participantId));
    for (const id of withVideo) {
      const wanted = need(id);
      if ((this.layers.get(id) ?? 'high') === wanted) continue;
      this.layers.set(id, wanted);
      // Not taken (the subscription changed meanwhile, or too many events): the next choice tries again.
      this.setup.link.layer(id, wanted).catch((error: unknown) => {
        this.layers.delete(id);
        this.setup.onError(error);
      });
    }
  }

  close(): void {
    this.closed = true;
    this.publisher?.close();
    this.publisher = null;
    this.dropSubscription();
  }

  private async subscribeWhileAsked(): Promise<void> {
    this.subscribing = true;
    try {
      do {
        this.again = false;
        await this.subscribeOnce();
      } while (this.again && !this.closed);
      this.failures = 0;
    } catch (error) {
      this.setup.onError(error);
      this.failures += 1;
      if (this.failures <= RETRIES) setTimeout(() => this.resubscribe(), RETRY_MS);
    } finally {
      this.subscribing = false;
    }
  }

  private async subscribeOnce(): Promise<void> {
    const { offer, streams } = await this.setup.link.subscribe();
    if (this.closed) return;
    // The SFU replaced the subscription: the last connection carries nothing any more.
    this.dropSubscription();
    if (offer !== null) {
      const peer = new SfuSubscribingPeer({
        iceServers: this.setup.iceServers,
        answer: (sdp) => this.setup.link.answer(sdp),
        candidate: (candidate) => this.trickle('subscriber', candidate),
        onState: () => this.setup.onChange(),
      });
      this.subscriber = peer;
      const tracks = await peer.start(offer);
      if (this.subscriber !== peer) return;
      this.current = streams;
      this.tracks = tracks;
    }
    this.show();
    this.setup.onChange();
  }

  /** Gives each participant's tile its stream again: someone began or stopped sharing a screen. */
  show(): void {
    const shown = new Map<string, MediaStream>();
    const cameras = new Map<string, MediaStream>();
    for (const [id, mids] of midsByParticipant(this.current)) {
      const sharing = this.setup.sharing(id);
      const playing = shownMids(mids, sharing).flatMap((mid) => this.tracks.get(mid) ?? []);
      if (playing.length > 0) shown.set(id, new MediaStream(playing));
      const camera = sharing && mids.screen !== null && mids.camera !== null ? this.tracks.get(mids.camera) : undefined;
      if (camera) cameras.set(id, new MediaStream([camera]));
    }
    this.setup.onStreams(shown);
    this.setup.onCameras(cameras);
  }

  private dropSubscription(): void {
    this.subscriber?.close();
    this.subscriber = null;
    this.current = [];
    this.tracks = new Map();
    this.layers.clear();
  }

  private trickle(connection: 'publisher' | 'subscriber', candidate: RTCIceCandidateInit | null): void {
    if (!worthSending(candidate)) return;
    // A candidate the SFU did not take costs nothing: it finds the page's address from its connectivity checks.
    this.setup.link.candidate(connection, candidate).catch((error: unknown) => this.setup.onError(error));
  }
}
