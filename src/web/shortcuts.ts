import { el } from './dom';
import { modal } from './meeting-info';

export type ShortcutAction = 'audio' | 'video' | 'hand' | 'chat' | 'leave';

interface Shortcut {
  action: ShortcutAction;
  /** KeyboardEvent.code: the key's place, so ⌥ on a Mac (which changes the character) still matches. */
  code: string;
  alt: boolean;
  keys: string;
  does: string;
}

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

// Ctrl+Alt rather than Ctrl+Shift for the letters browsers keep for themselves (Ctrl+Shift+C opens the inspector).
const SHORTCUTS: Shortcut[] = [
  { action: 'audio', code: 'KeyD', alt: false, keys: `${MOD}+D`, does: 'Turn the microphone on or off' },
  { action: 'video', code: 'KeyE', alt: false, keys: `${MOD}+E`, does: 'Turn the camera on or off' },
  { action: 'hand', code: 'KeyH', alt: true, keys: `${MOD}+Alt+H`, does: 'Raise or lower your hand' },
  { action: 'chat', code: 'KeyC', alt: true, keys: `${MOD}+Alt+C`, does: 'Open or close the chat' },
  { action: 'leave', code: 'KeyL', alt: true, keys: `${MOD}+Alt+L`, does: 'Leave the call (asks first)' },
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
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey) return;
    const shortcut = SHORTCUTS.find((candidate) => candidate.code === event.code && candidate.alt === event.altKey);
    if (!shortcut) return;
    event.preventDefault();
    if (shortcut.action === 'leave' && !confirm('Leave the call?')) return;
    this.run(shortcut.action);
  }
}
