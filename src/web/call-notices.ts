import { el } from './dom';

/** How long a toast stays on screen. */
const TOAST_MS = 5000;
/** How many toasts show at once: a burst of joins does not cover the call. */
const MAX_TOASTS = 3;

/**
 * What the call screen tells the person in words: a status line that each new message replaces, and a banner for
 * trouble with the connection that stays until it is over. Two elements, not one: the wide layout gives each its own row.
 * Events in the call (joins, knocks, a raised hand) also show as a short toast; the status line is what is read
 * aloud, so the toasts are hidden from screen readers rather than said twice.
 */
export class CallNotices {
  readonly banner = el('p', { class: 'banner', role: 'alert', hidden: true });
  readonly status = el('p', { class: 'status', role: 'status' });
  readonly toasts = el('div', { class: 'toasts', 'aria-hidden': 'true' });
  /** The connection's quality, said in a region of its own: it comes and goes by itself and must not replace news. */
  readonly quality = el('p', { class: 'visually-hidden', role: 'status' });

  say(text: string): void {
    this.status.textContent = text;
  }

  /** Something that happened in the call: said, and shown for a few seconds. */
  notify(text: string): void {
    this.say(text);
    this.toast(text);
  }

  /** The connection turned poor or came back: said in its own region, and shown. */
  connection(text: string): void {
    this.quality.textContent = text;
    this.toast(text);
  }

  private toast(text: string): void {
    const toast = el('p', { class: 'toast' }, text);
    this.toasts.append(toast);
    while (this.toasts.childElementCount > MAX_TOASTS) this.toasts.firstElementChild?.remove();
    setTimeout(() => toast.remove(), TOAST_MS);
  }

  /** Null hides the banner: the trouble is over, which is said once. */
  alert(text: string | null): void {
    if (text === null && !this.banner.hidden) this.notify('Connection restored.');
    this.banner.textContent = text ?? '';
    this.banner.hidden = text === null;
  }
}
