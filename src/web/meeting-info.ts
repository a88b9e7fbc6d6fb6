import { el } from './dom';
import { meetingLink } from './meeting-link';

export interface MeetingFacts {
  code: string;
  /** The names of the call's hosts now (none in a call of guests). */
  hosts(): string[];
}

/** Opens a modal <dialog> from `opener`; Escape closes it (the browser's own), and focus goes back to the opener. */
export function modal(opener: HTMLButtonElement, dialog: HTMLDialogElement, beforeOpen: () => void = () => {}): void {
  opener.addEventListener('click', () => {
    beforeOpen();
    dialog.showModal();
  });
  dialog.addEventListener('close', () => opener.focus());
}

/** The meeting's code, link and host, and a button that copies the invite link (showing it to copy by hand when refused). */
export class MeetingInfo {
  readonly button = el('button', { type: 'button', 'aria-haspopup': 'dialog' }, 'Meeting info');
  readonly dialog = el('dialog', { class: 'meeting-info', 'aria-labelledby': 'meeting-info-title' });
  private readonly host = el('dd', {});
  private readonly copied = el('p', { class: 'copied', role: 'status' });

  constructor(private readonly facts: MeetingFacts) {
    const link = meetingLink(location.origin, facts.code);
    const copy = el('button', { type: 'button', class: 'primary' }, 'Copy invite link');
    copy.addEventListener('click', () => void this.copy(link));
    const close = el('button', { type: 'button' }, 'Close');
    close.addEventListener('click', () => this.dialog.close());
    this.dialog.append(
      el('h2', { id: 'meeting-info-title' }, 'Meeting info'),
      el('dl', {}, el('dt', {}, 'Code'), el('dd', {}, facts.code), el('dt', {}, 'Link'), el('dd', {}, link), el('dt', {}, 'Host'), this.host),
      this.copied,
      el('div', { class: 'actions' }, copy, close),
    );
    modal(this.button, this.dialog, () => {
      const hosts = facts.hosts();
      this.host.textContent = hosts.length ? hosts.join(', ') : 'No host (a call of guests)';
      this.copied.replaceChildren();
    });
  }

  private async copy(link: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(link);
      this.copied.replaceChildren('Invite link copied.');
    } catch {
      const field = el('input', { id: 'invite-link', readonly: true, value: link });
      this.copied.replaceChildren(el('label', { for: 'invite-link' }, 'Copying was refused; copy the link from here:'), field);
      field.select();
    }
  }
}
