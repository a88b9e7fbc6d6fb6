import { openTrack } from './devices';

/**
 * What this page sends: its microphone, and its camera or, while sharing, its screen. `stream` always holds the
 * tracks a mesh sends, so a peer connection made mid-share sends the screen; `onVideoTrack` swaps it on the others
 * (and, on the SFU, adds or removes the screen as a video of its own: sharing is done once that has settled).
 */
export class LocalMedia {
  readonly stream: MediaStream;
  private camera: MediaStreamTrack | null;
  private screen: MediaStreamTrack | null = null;

  constructor(
    captured: MediaStream,
    private readonly onVideoTrack: (track: MediaStreamTrack | null) => Promise<void>,
    private readonly onDevice: (kind: 'camera' | 'microphone', track: MediaStreamTrack) => Promise<void>,
  ) {
    this.stream = captured;
    this.camera = captured.getVideoTracks()[0] ?? null;
  }

  get hasMicrophone(): boolean {
    return this.stream.getAudioTracks().length > 0;
  }

  get hasCamera(): boolean {
    return this.camera !== null;
  }

  get audio(): boolean {
    return this.stream.getAudioTracks().some((track) => track.enabled);
  }

  get video(): boolean {
    return this.camera?.enabled ?? false;
  }

  get sharing(): boolean {
    return this.screen !== null;
  }

  /** What the SFU gets: the microphone, the camera and the shared screen, each its own stream. */
  get tracks(): { audio: MediaStreamTrack | null; camera: MediaStreamTrack | null; screen: MediaStreamTrack | null } {
    return { audio: this.stream.getAudioTracks()[0] ?? null, camera: this.camera, screen: this.screen };
  }

  /** Disabled tracks keep their place in the connection and send silence or black, so turning back on needs no renegotiation. */
  setAudio(on: boolean): void {
    for (const track of this.stream.getAudioTracks()) track.enabled = on;
  }

  setVideo(on: boolean): void {
    if (this.camera) this.camera.enabled = on;
  }

  async shareScreen(onEnded: () => void): Promise<void> {
    const captured = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = captured.getVideoTracks()[0];
    if (!track) return;
    track.addEventListener('ended', onEnded, { once: true });
    const previous = this.screen;
    this.screen = track;
    await this.swap(previous ?? this.camera, track);
    previous?.stop();
  }

  async stopSharing(): Promise<void> {
    if (!this.screen) return;
    const screen = this.screen;
    this.screen = null;
    await this.swap(screen, this.camera);
    screen.stop();
  }

  /** Another camera or microphone, on or off as the one it replaces; a device missing since the join cannot be added. */
  async useDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const old = kind === 'camera' ? this.camera : (this.stream.getAudioTracks()[0] ?? null);
    if (!old) throw new Error(`there was no ${kind} when you joined; leave and join again to use one`);
    const track = await openTrack(kind, deviceId);
    track.enabled = old.enabled;
    if (kind === 'camera') this.camera = track;
    if (kind === 'microphone' || !this.screen) {
      this.stream.removeTrack(old);
      this.stream.addTrack(track);
    }
    try {
      await this.onDevice(kind, track);
    } finally {
      old.stop();
    }
  }

  stop(): void {
    this.screen?.stop();
    for (const track of this.stream.getTracks()) track.stop();
    this.camera?.stop();
  }

  private async swap(from: MediaStreamTrack | null, to: MediaStreamTrack | null): Promise<void> {
    if (from) this.stream.removeTrack(from);
    if (to) this.stream.addTrack(to);
    await this.onVideoTrack(to);
  }
}
