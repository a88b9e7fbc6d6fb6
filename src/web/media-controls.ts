import type { AckResponse, MediaStateDto } from '../adapters/realtime/protocol';
import { barButton } from './control-bar';
import { el } from './dom';
import { icon, type IconName } from './icons';
import type { LocalMedia } from './local-media';

export type MediaKind = 'audio' | 'video' | 'screen' | 'hand';

const reasonOf = (reason: unknown): string => (reason instanceof Error ? reason.message : String(reason));

/** What a toggle says of its state, on and off: words as well as colour. */
const STATE_WORDS: Record<MediaKind, [string, string]> = { audio: ['on', 'off'], video: ['on', 'off'], screen: ['on', ''], hand: ['raised', ''] };

export const ALL_OFF: MediaStateDto = { audio: false, video: false, screen: false, hand: false };

/** How the controls reach the call. */
export interface MediaActions {
  /** False in a lobby or between connections: a change then waits for the join or resume, which announces it. */
  inCall(): boolean;
  request(change: Partial<MediaStateDto>): Promise<AckResponse<'media-state'>>;
  say(text: string): void;
  /** Says something that happened to the person, with a toast. */
  notify(text: string): void;
  /** The page's own participant now has this media (the server took a change, or the host made one). */
  changed(media: MediaStateDto): void;
}

/**
 * The page's own toggles: microphone, camera, screen sharing and a raised hand; each click asks for the other state.
 * Off goes off here at once (the person's privacy does not wait for the server); on waits for the server's yes.
 */
export class MediaControls {
  private readonly buttons: Record<MediaKind, HTMLButtonElement>;
  /** What the server holds for this page: the only place a raised hand is kept. */
  private held: MediaStateDto = ALL_OFF;

  constructor(
    private readonly media: LocalMedia,
    private readonly actions: MediaActions,
  ) {
    const button = (kind: MediaKind, name: IconName, label: string) => {
      const made = barButton(name, label, { 'aria-pressed': 'false', 'data-kind': kind });
      made.append(el('span', { class: 'bar-state' }));
      made.addEventListener('click', () => this.toggle(kind));
      return made;
    };
    this.buttons = {
      audio: button('audio', 'mic', 'Microphone'),
      video: button('video', 'camera', 'Camera'),
      screen: button('screen', 'screen', 'Share screen'),
      hand: button('hand', 'hand', 'Raise hand'),
    };
    this.draw();
  }

  /** The toggles, in the order the control bar shows them. */
  get toggles(): HTMLButtonElement[] {
    return Object.values(this.buttons);
  }

  /** The server's media state for this page, as the roster has it. */
  render(held: MediaStateDto): void {
    this.held = held;
    this.draw();
  }

  /** A join starts with everything off; the page says what it actually sends (a resume keeps what the server held). */
  async announce(held: MediaStateDto): Promise<void> {
    const wanted = { audio: this.media.audio, video: this.media.video, screen: this.media.sharing };
    if (wanted.audio === held.audio && wanted.video === held.video && wanted.screen === held.screen) return;
    await this.set(wanted);
  }

  forcedOff(kind: 'audio' | 'video', force: boolean): void {
    if (kind === 'audio') this.media.setAudio(false);
    else this.media.setVideo(false);
    const what = kind === 'audio' ? 'microphone' : 'camera';
    this.actions.notify(force ? `The host turned off your ${what}; only the host can let you turn it back on.` : `The host turned off your ${what}.`);
    this.actions.changed({ ...this.held, [kind]: false });
  }

  toggle(kind: MediaKind): void {
    if (kind === 'screen') void this.toggleScreen();
    else if (kind === 'audio') void this.set({ audio: !this.media.audio });
    else if (kind === 'video') void this.set({ video: !this.media.video });
    else void this.set({ hand: !this.held.hand });
  }

  private async set(change: Partial<MediaStateDto>): Promise<void> {
    if ((change.audio && !this.media.hasMicrophone) || (change.video && !this.media.hasCamera)) {
      this.actions.say(change.audio ? 'There is no microphone to turn on: it was refused or is missing.' : 'There is no camera to turn on: it was refused or is missing.');
      return;
    }
    const live = this.actions.inCall();
    if (change.audio === false || (!live && change.audio)) this.media.setAudio(change.audio);
    if (change.video === false || (!live && change.video)) this.media.setVideo(change.video);
    this.draw();
    if (!live) return;
    const ack = await this.actions.request(change);
    if (!ack.ok) {
      this.actions.say(ack.error.message);
      return;
    }
    this.media.setAudio(ack.state.audio);
    this.media.setVideo(ack.state.video);
    this.actions.changed(ack.state);
  }

  private async toggleScreen(): Promise<void> {
    if (this.media.sharing) {
      await this.media.stopSharing().catch((reason: unknown) => this.actions.say(`Stopping the screen share went wrong: ${reasonOf(reason)}`));
      await this.set({ screen: false });
      return;
    }
    try {
      await this.media.shareScreen(() => {
        void this.media
          .stopSharing()
          .catch(() => {})
          .then(() => this.set({ screen: false }));
      });
    } catch (reason) {
      this.actions.say(`Screen sharing did not start: ${reasonOf(reason)}`);
      return;
    }
    await this.set({ screen: true });
  }

  private draw(): void {
    const pressed: Record<MediaKind, boolean> = { audio: this.media.audio, video: this.media.video, screen: this.media.sharing, hand: this.held.hand };
    for (const kind of ['audio', 'video', 'screen', 'hand'] as const) {
      const button = this.buttons[kind];
      button.setAttribute('aria-pressed', String(pressed[kind]));
      const state = button.querySelector('.bar-state');
      if (state) state.textContent = STATE_WORDS[kind][pressed[kind] ? 0 : 1];
    }
    this.buttons.audio.querySelector('.icon')?.replaceWith(icon(pressed.audio ? 'mic' : 'micOff'));
    this.buttons.video.querySelector('.icon')?.replaceWith(icon(pressed.video ? 'camera' : 'cameraOff'));
  }
}
