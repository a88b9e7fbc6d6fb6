import { el } from './dom';
import { modal } from './meeting-info';

export type ShortcutAction = 'audio' | 'video' | 'hand' | 'chat' | 'leave';

interface Shortcut {
  action: ShortcutAction;
  /** KeyboardEvent.code: the key's place, whatever character a modifier turns it into. */
  code: string;
  /** With the second modifier: Alt, or Ctrl on a Mac. */
  second: boolean;
  keys: string;
  does: string;
}

const MAC = /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = MAC ? '⌘' : 'Ctrl';
// As Google Meet has them: Ctrl+Shift+C opens the browser's inspector, and ⌘+⌥+H hides other apps on a Mac.
const SECOND = MAC ? `Ctrl+${MOD}` : `${MOD}+Alt`;

const SHORTCUTS: Shortcut[] = [
  { action: 'audio', code: 'KeyD', second: false, keys: `${MOD}+D`, does: 'Turn the microphone on or off' },
  { action: 'video', code: 'KeyE', second: false, keys: `${MOD}+E`, does: 'Turn the camera on or off' },
  { action: 'hand', code: 'KeyH', second: true, keys: `${SECOND}+H`, does: 'Raise or lower your hand' },
  { action: 'chat', code: 'KeyC', second: true, keys: `${SECOND}+C`, does: 'Open or close the chat' },
  { action: 'leave', code: 'KeyL', second: true, keys: `${SECOND}+L`, does: 'Leave the call (asks first)' },
];

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The call's keyboard shortcuts, and the help dialog listing them that `?` opens. */
export class Shortcuts {
  readonly button = el('button', { type: 'button', 'aria-haspopup': 'dialog', 'aria-keyshortcuts': '?' }, 'Shortcuts');
  readonly dialog = el('dialog', { class: 'shortcuts', 'aria-labelledby': 'shortcuts-title' });
  private readonly onKey = (event: KeyboardEvent) => this.key(event);

  constructor(private readonly run: (action: ShortcutAction) => void) {
    const rows = SHORTCUTS.map((shortcut) => el('tr', {}, el('td', {}, el('kbd', {}, shortcut.keys)), el('td', {}, shortcut.does)));
    rows.push(el('tr', {}, el('td', {}, el('kbd', {}, '?')), el('td', {}, 'Show these shortcuts')));
    const close = el('button', { type: 'button' }, 'Close');
    close.addEventListener('click', () => this.dialog.close());
    this.dialog.append(
      el('h2', { id: 'shortcuts-title' }, 'Keyboard shortcuts'),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Keys'), el('th', { scope: 'col' }, 'Action'))), el('tbody', {}, ...rows)),
      close,
    );
    modal(this.button, this.dialog);
    document.addEventListener('keydown', this.onKey);
  }

  stop(): void {
    document.removeEventListener('keydown', this.onKey);
  }

  private key(event: KeyboardEvent): void {
    if (typing(event.target) || event.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.button.click();
      return;
    }
    const main = MAC ? event.metaKey : event.ctrlKey;
    const second = MAC ? event.ctrlKey : event.altKey;
    if (!main || event.shiftKey || (MAC ? event.altKey : event.metaKey)) return;
    const shortcut = SHORTCUTS.find((candidate) => candidate.code === event.code && candidate.second === second);
    if (!shortcut) return;
    event.preventDefault();
    if (shortcut.action === 'leave' && !confirm('Leave the call?')) return;
    this.run(shortcut.action);
  }
}
