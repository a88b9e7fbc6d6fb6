import { ActiveSpeaker } from './active-speaker';
import { CALM, linkQuality, nextMood, type LinkNumbers } from './link-quality';
import { MediaStats, type StatsSource } from './media-stats';

export interface TileWatchSetup {
  sources(): StatsSource[];
  /** Whether the call's media is on the SFU: its talking events count only there. */
  onSfu(): boolean;
  /** Whether someone may be the speaker now: another participant, microphone on. */
  mayTalk(id: string): boolean;
  speaker(id: string | null): void;
  quality(id: string, numbers: LinkNumbers): void;
  /** Most of what the page receives turned poor, or came back (link-quality.ts's nextMood). */
  connection(change: 'poor' | 'recovered'): void;
}

/** Samples a few times a second: enough for a beep or a word to register, without a getStats storm. */
const SAMPLE_MS = 300;
/** The quality mark changes more slowly than the speaker: once in this many samples. */
const QUALITY_EVERY = 4;

/** Watches the call's received media: who speaks, and how each person's link holds up. */
export class TileWatch {
  private readonly stats = new MediaStats();
  private readonly speaker: ActiveSpeaker;
  private timer: ReturnType<typeof setInterval> | null = null;
  private ticks = 0;
  private busy = false;
  private mood = CALM;

  constructor(private readonly setup: TileWatchSetup) {
    this.speaker = new ActiveSpeaker((id) => setup.speaker(id));
  }

  get current(): string | null {
    return this.speaker.speaker;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), SAMPLE_MS);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** The SFU's `speaking(id, talking)`. */
  talking(id: string, talking: boolean): void {
    this.speaker.talkingChanged(id, talking);
  }

  private judge(samples: ReadonlyMap<string, { link: LinkNumbers }>): void {
    for (const [id, sample] of samples) this.setup.quality(id, sample.link);
    const next = nextMood(this.mood, [...samples.values()].map((sample) => linkQuality(sample.link)));
    this.mood = next.mood;
    if (next.say) this.setup.connection(next.say);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = performance.now();
      if (!this.setup.onSfu()) this.speaker.forgetTalking();
      const samples = await this.stats.sample(this.setup.sources(), now);
      const levels = new Map([...samples].filter(([id]) => this.setup.mayTalk(id)).map(([id, sample]) => [id, sample.level]));
      this.speaker.sample(levels, now, (id) => this.setup.mayTalk(id));
      this.ticks += 1;
      if (this.ticks % QUALITY_EVERY === 0) this.judge(samples);
    } catch (error) {
      console.warn('stats', error);
    } finally {
      this.busy = false;
    }
  }
}
