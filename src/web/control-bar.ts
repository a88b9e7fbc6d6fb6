import { el } from './dom';
import { icon, type IconName } from './icons';

/** A button of the control bar: an icon and its words (the words name it; the icon is decoration). */
export function barButton(name: IconName, text: string, attributes: Record<string, string> = {}): HTMLButtonElement {
  return el('button', { type: 'button', class: 'bar-button', ...attributes }, icon(name), el('span', { class: 'bar-text' }, text));
}

/**
 * The one bar at the bottom of the call. Others add their buttons with add(): they go before Leave, which stays last.
 */
export class ControlBar {
  readonly root = el('div', { class: 'control-bar', role: 'toolbar', 'aria-label': 'Call controls' });
  private readonly leave: HTMLButtonElement;

  constructor(onLeave: () => void) {
    this.leave = barButton('leave', 'Leave call', { class: 'bar-button leave' });
    this.leave.addEventListener('click', onLeave);
    this.root.append(this.leave);
  }

  add(...buttons: HTMLElement[]): void {
    this.leave.before(...buttons);
  }
}
