import { el } from './dom';

/** How loud the microphone is now, drawn in a <meter> (0–1) from a Web Audio AnalyserNode. */
export class LevelMeter {
  readonly root = el('meter', { class: 'level', min: '0', max: '1', value: '0', 'aria-label': 'Microphone level' });
  private context: AudioContext | null = null;
  private timer: number | undefined;

  /** Listens to the stream's microphone (none: the meter stays at 0). */
  listen(stream: MediaStream): void {
    this.stop();
    const track = stream.getAudioTracks()[0];
    if (!track) return;
    const context = new AudioContext();
    this.context = context;
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    this.timer = window.setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      // Speech sits far below full scale: the root mean square, boosted, fills the meter the way people expect.
      this.root.value = track.enabled ? Math.min(1, Math.sqrt(sum / samples.length) * 4) : 0;
    }, 100);
  }

  stop(): void {
    window.clearInterval(this.timer);
    void this.context?.close();
    this.context = null;
    this.root.value = 0;
  }
}
