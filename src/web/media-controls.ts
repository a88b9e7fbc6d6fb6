import { el } from './dom';

export type MediaKind = 'audio' | 'video' | 'screen' | 'hand';

/** What each control shows as pressed. */
export type MediaControlsView = Record<MediaKind, boolean>;

/** The page's own toggles: microphone, camera, screen sharing and a raised hand; each click asks for the other state. */
export class MediaControls {
  readonly root = el('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Your microphone, camera and hand' });
  private readonly buttons: Record<MediaKind, HTMLButtonElement>;

  constructor(toggle: (kind: MediaKind) => void) {
    const button = (kind: MediaKind, label: string) => {
      const made = el('button', { type: 'button', 'aria-pressed': 'false' }, label);
      made.addEventListener('click', () => toggle(kind));
      return made;
    };
    this.buttons = { audio: button('audio', 'Microphone'), video: button('video', 'Camera'), screen: button('screen', 'Share screen'), hand: button('hand', 'Raise hand') };
    this.root.append(...Object.values(this.buttons));
  }

  render(view: MediaControlsView): void {
    for (const kind of ['audio', 'video', 'screen', 'hand'] as const) this.buttons[kind].setAttribute('aria-pressed', String(view[kind]));
  }
}
