import { NO_SPEAKER, nextSpeaker, type SpeakerState } from './speaker-choice';

/**
 * The call's active speaker. The SFU's talking events decide once one has come (the SFU hears every publisher);
 * until then the levels the page measures do. Either way only those with their microphone on can speak.
 */
export class ActiveSpeaker {
  private state: SpeakerState = NO_SPEAKER;
  private talking: Set<string> | null = null;

  constructor(private readonly changed: (speaker: string | null) => void) {}

  get speaker(): string | null {
    return this.state.speaker;
  }

  /** A `speaking(id, talking)` event from the SFU. */
  talkingChanged(id: string, talking: boolean): void {
    this.talking ??= new Set();
    if (talking) this.talking.add(id);
    else this.talking.delete(id);
  }

  /**
   * One sample: `levels` measured of those who may speak now (others in the call, microphone on: `mayTalk`). The
   * SFU's word counts for someone the page has no level of yet (told before its media arrives, as a newcomer is).
   */
  sample(levels: ReadonlyMap<string, number>, now: number, mayTalk: (id: string) => boolean): void {
    const talking = this.talking;
    // Janus says nothing more of someone who left or muted while talking: their turn ends here.
    if (talking) for (const id of talking) if (!mayTalk(id)) talking.delete(id);
    const heard = talking === null ? levels : new Map([...new Set([...levels.keys(), ...talking])].map((id) => [id, talking.has(id) ? 1 : 0]));
    const before = this.state.speaker;
    this.state = nextSpeaker(this.state, heard, now);
    if (this.state.speaker !== before) this.changed(this.state.speaker);
  }

  /** Off the SFU: its talking events no longer come. */
  forgetTalking(): void {
    this.talking = null;
  }
}
