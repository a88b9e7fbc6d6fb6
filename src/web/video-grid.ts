import type { MediaStateDto, ParticipantDto } from '../adapters/realtime/protocol';
import { el } from './dom';

/** What a tile says about someone, besides their name: read by screen readers as it is shown. */
function stateWords(media: MediaStateDto, connected: boolean): string[] {
  const words: string[] = [];
  if (!connected) words.push('reconnecting…');
  if (!media.audio) words.push('microphone off');
  if (!media.video && !media.screen) words.push('camera off');
  if (media.screen) words.push('sharing screen');
  if (media.hand) words.push('hand raised');
  return words;
}

interface Tile {
  figure: HTMLElement;
  video: HTMLVideoElement;
  caption: HTMLElement;
  state: HTMLElement;
}

/** A tile per person in the call, self first: their video, their name, and their microphone/camera/hand state. */
export class VideoGrid {
  readonly root = el('section', { class: 'grid', 'aria-label': 'Videos' });
  private readonly tiles = new Map<string, Tile>();

  constructor(private readonly onBlockedPlay: (video: HTMLVideoElement) => void) {}

  /** `key` is a participant id, or 'self' before the page knows its own. */
  show(key: string, label: string, stream: MediaStream | null, self: boolean): void {
    const tile = this.tiles.get(key) ?? this.add(key, label, self);
    tile.caption.textContent = label;
    tile.figure.setAttribute('aria-label', self ? 'Your video' : `Video of ${label}`);
    if (stream && tile.video.srcObject !== stream) {
      tile.video.srcObject = stream;
      tile.video.play().catch(() => this.onBlockedPlay(tile.video));
    }
  }

  /** The page's own tile takes its id once the join answers, so signals and state find it under that id. */
  rekey(from: string, to: string): void {
    const tile = this.tiles.get(from);
    if (!tile || from === to) return;
    this.tiles.delete(from);
    tile.video.dataset.participant = to;
    this.tiles.set(to, tile);
  }

  state(key: string, participant: Pick<ParticipantDto, 'media' | 'connected'>): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    const words = stateWords(participant.media, participant.connected);
    tile.state.replaceChildren(...words.map((word) => el('li', {}, word)));
    tile.figure.classList.toggle('mic-off', !participant.media.audio);
    tile.figure.classList.toggle('camera-off', !participant.media.video && !participant.media.screen);
    tile.figure.classList.toggle('hand', participant.media.hand);
    tile.figure.classList.toggle('reconnecting', !participant.connected);
  }

  remove(key: string): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.figure.remove();
    this.tiles.delete(key);
  }

  /** How wide a tile is drawn now, in CSS pixels (0 when it is not). */
  width(key: string): number {
    return this.tiles.get(key)?.video.clientWidth ?? 0;
  }

  keys(): string[] {
    return [...this.tiles.keys()];
  }

  private add(key: string, label: string, self: boolean): Tile {
    const video = el('video', { autoplay: true, playsinline: true, 'data-participant': key });
    video.muted = self;
    const caption = el('span', { class: 'name' }, label);
    const state = el('ul', { class: 'state', 'aria-label': 'State' });
    const figure = el('figure', { class: self ? 'tile self' : 'tile' }, video, el('figcaption', {}, caption, state));
    const tile = { figure, video, caption, state };
    this.tiles.set(key, tile);
    this.root.append(figure);
    return tile;
  }
}
