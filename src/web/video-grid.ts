import type { MediaStateDto, ParticipantDto } from '../adapters/realtime/protocol';
import { el } from './dom';
import { fitGallery } from './gallery-fit';
import { initials, nameColour } from './initials';
import { linkQuality, linkWords, type LinkNumbers } from './link-quality';
import { arrange, type GridView } from './tile-arrangement';

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
  face: HTMLElement;
  quality: HTMLElement;
  pin: HTMLButtonElement;
}

/** Space between tiles and the narrowest a gallery tile gets before the gallery pages, in CSS pixels. */
const GAP = 8;
const MIN_TILE_WIDTH = 160;
const MIN_AREA_HEIGHT = 224;
/** The key of a sharer's camera tile, before their id: not an id, so the tile is not taken for theirs. */
const CAMERA = 'camera:';

/**
 * A tile per person in the call, self first: their video (or initials with the camera off), their name, their
 * microphone/camera/hand state and link quality. Drawn as a gallery fitted to the area (paged past what fits) or as
 * speaker view: one tile large (pinned, else a shared screen, else the active speaker), the others in a strip.
 */
export class VideoGrid {
  readonly root = el('section', { class: 'videos', 'aria-label': 'Videos' });
  private readonly area = el('div', { class: 'grid gallery' });
  private readonly viewButton = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Speaker view');
  private readonly previous = el('button', { type: 'button' }, 'Previous page');
  private readonly next = el('button', { type: 'button' }, 'Next page');
  private readonly pageWords = el('span', { class: 'page-number' });
  private readonly paging = el('div', { class: 'paging', hidden: true }, this.previous, this.pageWords, this.next);
  private readonly tiles = new Map<string, Tile>();
  private readonly sharing = new Set<string>();
  private chosenView: GridView = 'gallery';
  private pinned: string | null = null;
  private speaking: string | null = null;
  private largeKey: string | null = null;
  private selfKey = 'self';
  private page = 0;

  constructor(private readonly onBlockedPlay: (video: HTMLVideoElement) => void) {
    this.viewButton.addEventListener('click', () => this.setView(this.chosenView === 'gallery' ? 'speaker' : 'gallery'));
    this.previous.addEventListener('click', () => this.turn(-1));
    this.next.addEventListener('click', () => this.turn(1));
    this.root.append(el('div', { class: 'grid-bar', role: 'toolbar', 'aria-label': 'Layout' }, this.viewButton, this.paging), this.area);
    new ResizeObserver(() => this.layout()).observe(this.area);
    window.addEventListener('resize', () => this.fitHeight());
    new ResizeObserver(() => this.fitHeight()).observe(document.documentElement);
  }

  get view(): GridView {
    return this.chosenView;
  }

  /** The participant id of the large tile in speaker view; null in the gallery. */
  get large(): string | null {
    return this.chosenView === 'speaker' ? this.largeKey : null;
  }

  setView(view: GridView): void {
    this.chosenView = view;
    this.layout();
  }

  /** The active speaker: outlined, and large in speaker view unless someone is pinned or shares a screen. */
  setSpeaker(key: string | null): void {
    this.speaking = key;
    this.layout();
  }

  /** `key` is a participant id, or 'self' before the page knows its own. */
  show(key: string, label: string, stream: MediaStream | null, self: boolean): void {
    const tile = this.tiles.get(key) ?? this.add(key, label, self);
    tile.caption.textContent = label;
    tile.figure.setAttribute('aria-label', self ? 'Your video' : `Video of ${label}`);
    tile.pin.setAttribute('aria-label', `Pin ${self ? 'your video' : label}`);
    tile.face.textContent = initials(label);
    tile.face.style.backgroundColor = nameColour(label.replace(/\s*\(.*\)$/, ''));
    if (stream && tile.video.srcObject !== stream) {
      tile.video.srcObject = stream;
      // Only the browser's autoplay rule asks for a click; a play cut short by the tile's going (AbortError) does not.
      tile.video.play().catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'NotAllowedError' && tile.video.isConnected) this.onBlockedPlay(tile.video);
      });
    }
  }

  /** The cameras of those sharing a screen, each in a tile of its own beside the screen's, by participant id. */
  cameras(cameras: ReadonlyMap<string, { label: string; stream: MediaStream }>): void {
    for (const key of this.tiles.keys()) if (key.startsWith(CAMERA) && !cameras.has(key.slice(CAMERA.length))) this.remove(key);
    for (const [id, { label, stream }] of cameras) {
      const key = CAMERA + id;
      this.show(key, label, stream, false);
      this.tiles.get(key)?.figure.setAttribute('aria-label', `Camera of ${label}`);
      this.tiles.get(key)?.pin.setAttribute('aria-label', `Pin the camera of ${label}`);
    }
  }

  /** The page's own tile takes its id once the join answers, so signals and state find it under that id. */
  rekey(from: string, to: string): void {
    const tile = this.tiles.get(from);
    if (!tile || from === to) return;
    this.tiles.delete(from);
    tile.video.dataset.participant = to;
    this.tiles.set(to, tile);
    if (this.selfKey === from) this.selfKey = to;
    if (this.pinned === from) this.pinned = to;
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
    const wasSharing = this.sharing.has(key);
    if (participant.media.screen) this.sharing.add(key);
    else this.sharing.delete(key);
    // A screen shared by someone else is shown large.
    if (participant.media.screen && !wasSharing && key !== this.selfKey) this.chosenView = 'speaker';
    if (participant.media.screen !== wasSharing) this.layout();
  }

  /** The link's numbers for someone's tile: a good / fair / poor mark, the numbers in words on hover and focus. */
  quality(key: string, numbers: LinkNumbers): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    const quality = linkQuality(numbers);
    const words = linkWords(quality, numbers);
    tile.quality.hidden = false;
    tile.quality.className = `quality ${quality}`;
    tile.quality.setAttribute('aria-label', words);
    tile.quality.dataset.words = words;
    tile.quality.title = words;
  }

  remove(key: string): void {
    const tile = this.tiles.get(key);
    if (!tile) return;
    tile.video.srcObject = null;
    tile.figure.remove();
    this.tiles.delete(key);
    this.sharing.delete(key);
    if (this.pinned === key) this.pinned = null;
    if (!key.startsWith(CAMERA)) this.remove(CAMERA + key);
    this.layout();
  }

  /** How wide a tile is drawn now, in CSS pixels (0 when it is not). */
  width(key: string): number {
    return this.tiles.get(key)?.video.clientWidth ?? 0;
  }

  keys(): string[] {
    return [...this.tiles.keys()];
  }

  private turn(by: number): void {
    this.page += by;
    this.layout();
  }

  private pin(key: string): void {
    this.pinned = this.pinned === key ? null : key;
    if (this.pinned !== null) this.chosenView = 'speaker';
    this.layout();
  }

  /** The tiles' area reaches down to the bottom of the screen, so the gallery is seen whole without scrolling. */
  private fitHeight(): void {
    if (!this.area.isConnected) return;
    const top = this.area.getBoundingClientRect().top + window.scrollY;
    // The call's control bar stays at the bottom of the screen: the tiles end above it.
    const bar = document.querySelector('.control-bar')?.getBoundingClientRect().height ?? 0;
    const height = `${Math.max(MIN_AREA_HEIGHT, Math.floor(window.innerHeight - top - bar - GAP))}px`;
    if (this.area.style.height !== height) this.area.style.height = height;
  }

  private layout(): void {
    const keys = [...this.tiles.keys()];
    const gallery = this.chosenView === 'gallery';
    const fit = fitGallery(keys.length, { width: this.area.clientWidth, height: this.area.clientHeight, gap: GAP, minTileWidth: MIN_TILE_WIDTH });
    const sharing = [...this.sharing].find((key) => key !== this.selfKey) ?? null;
    const arrangement = arrange({ keys, view: this.chosenView, selfKey: this.selfKey, pinned: this.pinned, speaker: this.speaking, sharing, previousLarge: this.largeKey, page: this.page, perPage: fit.perPage });
    this.page = arrangement.page;
    this.largeKey = arrangement.large ?? this.largeKey;
    this.area.className = gallery ? 'grid gallery' : 'grid speaker';
    this.area.style.setProperty('--columns', String(fit.columns));
    this.area.style.setProperty('--tile-width', `${fit.tileWidth}px`);
    for (const [key, tile] of this.tiles) {
      const at = arrangement.shown.indexOf(key);
      tile.figure.hidden = at < 0;
      tile.figure.style.order = String(at);
      tile.figure.classList.toggle('large', key === arrangement.large);
      tile.figure.classList.toggle('speaking', key === this.speaking);
      tile.pin.setAttribute('aria-pressed', String(key === this.pinned));
    }
    this.viewButton.setAttribute('aria-pressed', String(!gallery));
    this.paging.hidden = arrangement.pages < 2;
    this.pageWords.textContent = `Page ${arrangement.page + 1} of ${arrangement.pages}`;
    this.previous.disabled = arrangement.page === 0;
    this.next.disabled = arrangement.page >= arrangement.pages - 1;
  }

  private add(key: string, label: string, self: boolean): Tile {
    const video = el('video', { autoplay: true, playsinline: true, 'data-participant': key });
    video.muted = self;
    const caption = el('span', { class: 'name' }, label);
    const state = el('ul', { class: 'state', 'aria-label': 'State' });
    const face = el('div', { class: 'face', 'aria-hidden': 'true' });
    const quality = el('span', { class: 'quality', role: 'img', tabindex: '0', hidden: true });
    const pin = el('button', { type: 'button', class: 'pin', 'aria-pressed': 'false' }, 'Pin');
    pin.addEventListener('click', () => this.pin(video.dataset.participant ?? key));
    const figure = el('figure', { class: self ? 'tile self' : 'tile' }, video, face, el('figcaption', {}, caption, quality, state), pin);
    const tile = { figure, video, caption, state, face, quality, pin };
    this.tiles.set(key, tile);
    if (self) this.selfKey = key;
    this.area.append(figure);
    this.layout();
    return tile;
  }
}
