import { el } from './dom';

export type NoticeSound = 'join' | 'knock';

const STORAGE_KEY = 'meet.notice-sounds';
/** Past this many people, joins would chime all the time: sounds start off unless the person turned them on. */
const QUIET_ABOVE = 5;
const TONES: Record<NoticeSound, number[]> = { join: [660, 880], knock: [520, 520] };

function stored(): boolean | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'on' ? true : value === 'off' ? false : null;
  } catch {
    return null;
  }
}

/** Short beeps for a join and a knock, made with Web Audio (no files to fetch), and the button that turns them on or off. */
export class NoticeSounds {
  readonly button = el('button', { type: 'button', 'aria-pressed': 'false', class: 'sounds' }, 'Sounds');
  private choice: boolean | null = stored();
  private audio: AudioContext | null = null;
  private people = 1;

  constructor() {
    this.button.addEventListener('click', () => {
      this.choice = !this.on();
      try {
        localStorage.setItem(STORAGE_KEY, this.choice ? 'on' : 'off');
      } catch {
        // Storage refused (private mode): the choice holds for this call only.
      }
      this.draw();
    });
    this.draw();
  }

  /** How many are in the call: what decides the default. */
  callSize(people: number): void {
    this.people = people;
    this.draw();
  }

  play(sound: NoticeSound): void {
    if (!this.on()) return;
    this.audio ??= new AudioContext();
    const audio = this.audio;
    if (audio.state === 'suspended') void audio.resume().catch(() => {});
    TONES[sound].forEach((frequency, index) => {
      const start = audio.currentTime + index * 0.18;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.15);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.16);
    });
  }

  private on(): boolean {
    return this.choice ?? this.people <= QUIET_ABOVE;
  }

  private draw(): void {
    this.button.setAttribute('aria-pressed', String(this.on()));
  }
}
