/**
 * What this page sends: its microphone, and its camera or, while sharing, its screen. `stream` always holds the
 * tracks to send, so a peer connection made mid-share sends the screen; `onVideoTrack` swaps it on the others.
 */
export class LocalMedia {
  readonly stream: MediaStream;
  private readonly camera: MediaStreamTrack | null;
  private screen: MediaStreamTrack | null = null;

  constructor(
    captured: MediaStream,
    private readonly onVideoTrack: (track: MediaStreamTrack | null) => void,
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
    this.swap(this.screen ?? this.camera, track);
    this.screen?.stop();
    this.screen = track;
  }

  stopSharing(): void {
    if (!this.screen) return;
    const screen = this.screen;
    this.screen = null;
    this.swap(screen, this.camera);
    screen.stop();
  }

  stop(): void {
    this.screen?.stop();
    for (const track of this.stream.getTracks()) track.stop();
    this.camera?.stop();
  }

  private swap(from: MediaStreamTrack | null, to: MediaStreamTrack | null): void {
    if (from) this.stream.removeTrack(from);
    if (to) this.stream.addTrack(to);
    this.onVideoTrack(to);
  }
}
