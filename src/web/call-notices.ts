import { el } from './dom';

/**
 * What the call screen tells the person in words: a status line that each new message replaces, and a banner for
 * trouble with the connection that stays until it is over. Two elements, not one: the wide layout gives each its own row.
 */
export class CallNotices {
  readonly banner = el('p', { class: 'banner', role: 'alert', hidden: true });
  readonly status = el('p', { class: 'status', role: 'status' });

  say(text: string): void {
    this.status.textContent = text;
  }

  /** Null hides the banner: the trouble is over. */
  alert(text: string | null): void {
    this.banner.textContent = text ?? '';
    this.banner.hidden = text === null;
  }
}
