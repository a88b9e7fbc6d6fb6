import { el, show } from './dom';
import type { Session } from './session';

export interface JoinSetup {
  code: string;
  session: Session;
  notice: string | null;
  onJoin(): void;
  onHome(): void;
}

/** A meeting's link opened while signed in: one button into the call. */
export function joinScreen(app: HTMLElement, setup: JoinSetup): void {
  const join = el('button', { type: 'button', class: 'primary', autofocus: true }, `Join meeting ${setup.code}`);
  join.addEventListener('click', () => setup.onJoin());
  const home = el('button', { type: 'button', class: 'link' }, 'Back to home');
  home.addEventListener('click', () => setup.onHome());
  show(
    app,
    el(
      'div',
      { class: 'card' },
      el('p', { class: 'brand' }, 'Meet'),
      el('p', { class: 'notice', role: 'status' }, setup.notice ?? ''),
      el('h1', {}, `Meeting ${setup.code}`),
      el('p', {}, `Signed in as ${setup.session.user.name}.`),
      join,
      el('p', {}, home),
    ),
  );
}
