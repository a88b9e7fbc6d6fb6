/** What the page sends to the SFU: each may be missing (refused, or not sharing). */
export interface LocalTracks {
  audio: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  screen: MediaStreamTrack | null;
}

export interface PublishingSetup {
  iceServers: RTCIceServer[];
  /** Sends the offer (`restart`: a new connection replacing one the SFU had) and answers the SFU's answer. */
  publish(sdp: string, restart: boolean): Promise<string>;
  candidate(candidate: RTCIceCandidateInit | null): void;
}

/**
 * Simulcast as Janus's own client sends it (rid h, m, l, full size first), the full layer being the camera's
 * FULL_LAYER_WIDTH (sfu-layers.ts). Chromium may send only the top two of them at the camera's 640×360; the SFU serves what comes.
 */
const SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: 'h', active: true, maxBitrate: 600_000 },
  { rid: 'm', active: true, maxBitrate: 200_000, scaleResolutionDownBy: 2 },
  { rid: 'l', active: true, maxBitrate: 80_000, scaleResolutionDownBy: 4 },
];

/**
 * The page's one publishing connection to the SFU: its microphone, its camera in three simulcast layers and, while
 * sharing, its screen as a video of its own, added and removed by renegotiating (a new sfu-publish without restart).
 * The audio and camera sections are there even without a microphone or camera, so that a shared screen is always
 * the publisher's second video (sfu-streams.ts).
 */
export class SfuPublishingPeer {
  readonly pc: RTCPeerConnection;
  private readonly stream = new MediaStream();
  private screen: RTCRtpTransceiver | null = null;
  private readonly audio: RTCRtpTransceiver;
  private readonly camera: RTCRtpTransceiver;
  /** Negotiations one at a time: an offer must be answered before the next one is made. */
  private queue: Promise<void> = Promise.resolve();
  private offered = false;
  private readonly held: Array<RTCIceCandidateInit | null> = [];

  constructor(
    private readonly setup: PublishingSetup,
    tracks: LocalTracks,
  ) {
    // One transport for every stream (the SFU bundles them all): one set of candidates to gather and send.
    this.pc = new RTCPeerConnection({ iceServers: setup.iceServers, bundlePolicy: 'max-bundle' });
    // Candidates go once the offer has: the SFU's handle for this connection comes with it.
    this.pc.onicecandidate = ({ candidate }) => {
      const init = candidate ? candidate.toJSON() : null;
      if (this.offered) setup.candidate(init);
      else this.held.push(init);
    };
    for (const track of [tracks.audio, tracks.camera]) if (track) this.stream.addTrack(track);
    this.audio = this.pc.addTransceiver(tracks.audio ?? 'audio', { direction: 'sendonly', streams: [this.stream] });
    this.camera = this.pc.addTransceiver(tracks.camera ?? 'video', { direction: 'sendonly', streams: [this.stream], ...(tracks.camera ? { sendEncodings: SIMULCAST } : {}) });
    if (tracks.screen) this.addScreen(tracks.screen);
  }

  /** The first offer; `restart` tells the SFU to drop what it had of this participant first. */
  start(restart: boolean): Promise<void> {
    return this.negotiate(restart);
  }

  /**
   * A screen shared (its own video, added by renegotiation) or no longer: its section goes inactive, and comes back
   * for the next share. Not stopped: Chromium would recycle a stopped section under a new media id, which Janus 1.1
   * refuses (it answers that section with port 0).
   */
  setScreen(track: MediaStreamTrack | null): Promise<void> {
    if (!this.screen) {
      if (!track) return Promise.resolve();
      this.addScreen(track);
      return this.negotiate(false);
    }
    const screen = this.screen;
    const direction = track ? 'sendonly' : 'inactive';
    const replaced = screen.sender.replaceTrack(track);
    if (screen.direction === direction) return replaced;
    screen.direction = direction;
    return replaced.then(() => this.negotiate(false));
  }

  /** Another device's track on the same sender: its encodings (simulcast) stay, no renegotiation. */
  replace(kind: 'camera' | 'microphone', track: MediaStreamTrack): Promise<void> {
    return (kind === 'camera' ? this.camera : this.audio).sender.replaceTrack(track);
  }

  close(): void {
    this.pc.close();
  }

  private addScreen(track: MediaStreamTrack): void {
    this.screen = this.pc.addTransceiver(track, { direction: 'sendonly', streams: [new MediaStream([track])] });
  }

  private negotiate(restart: boolean): Promise<void> {
    const run = async () => {
      if (this.pc.signalingState === 'closed') return;
      await this.pc.setLocalDescription(await this.pc.createOffer());
      const sdp = this.pc.localDescription?.sdp ?? '';
      const answering = this.setup.publish(sdp, restart);
      if (!this.offered) {
        this.offered = true;
        for (const candidate of this.held.splice(0)) this.setup.candidate(candidate);
      }
      let answer: string;
      try {
        answer = await answering;
      } catch (error) {
        // Refused: back to the last agreed state, so that the next offer starts from it.
        if (this.pc.signalingState === 'have-local-offer') await this.pc.setLocalDescription({ type: 'rollback' });
        throw error;
      }
      if (this.pc.signalingState === 'have-local-offer') await this.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    };
    const next = this.queue.then(run);
    this.queue = next.catch(() => {});
    return next;
  }
}
