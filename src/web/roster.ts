import type { AckResponse, ClientEvent, ClientParams, LobbyEntryDto, ParticipantDto } from '../adapters/realtime/protocol';
import type { CallActions, CallView } from './call-view';
import { el } from './dom';
import { icon } from './icons';

/** How a roster line names someone: the server already suffixes a guest that shares a member's name. */
export function personName(person: Pick<ParticipantDto, 'name' | 'guest'>): string {
  return person.guest && !person.name.endsWith(' (guest)') ? `${person.name} (guest)` : person.name;
}

/** A small text mark beside a name: words, not icons, so a screen reader says what a sighted person sees. */
function badge(text: string, kind: string): HTMLElement {
  return el('span', { class: `badge ${kind}` }, text);
}

/**
 * The participant list, the host's controls over each participant and over the call, and the lobby's waiting list.
 * It holds no call state of its own beyond what is in flight: render(view) rebuilds it from the call screen's view.
 * Buttons carry a stable data-key so that keyboard focus survives a rebuild.
 */
export class RosterPanel {
  readonly root: HTMLElement;
  private readonly heading = el('h2', { tabindex: '-1', 'data-key': 'heading' }, 'Participants');
  private view: CallView | null = null;
  /** The key of a destructive button clicked once: it now asks to be clicked again. */
  private confirming: string | null = null;
  /** Keys of buttons whose request is in flight: a second click is ignored until the ack. */
  private readonly busy = new Set<string>();
  /** What a call option's checkbox was switched to, shown until the server's answer is in the view. */
  private readonly switching = new Map<string, boolean>();
  /** Whose host menu is open: one at a time. */
  private menuFor: string | null = null;

  constructor(private readonly actions: CallActions) {
    this.root = el('section', { class: 'roster', 'aria-label': 'Participants' });
    document.addEventListener('pointerdown', (event) => {
      if (this.menuFor !== null && !(event.target instanceof Element && event.target.closest('.host-menu'))) this.closeMenu(false);
    });
  }

  render(view: CallView): void {
    this.view = view;
    const active = document.activeElement;
    const focusedKey = active instanceof HTMLElement && this.root.contains(active) ? active.dataset.key : undefined;
    const self = view.participants.get(view.selfId);
    const isHost = self?.role === 'host';
    if (!isHost) this.confirming = null;
    if (!isHost || !view.participants.has(this.menuFor ?? '')) this.menuFor = null;
    for (const [key, on] of this.switching) {
      const shown = key === 'lock' ? view.options.locked : view.options.lobby;
      if (shown === on && !this.busy.has(key)) this.switching.delete(key);
    }
    const people = [...view.participants.values()].sort((a, b) => Number(b.id === view.selfId) - Number(a.id === view.selfId));
    this.heading.textContent = `Participants (${people.length})`;
    const parts: HTMLElement[] = [this.heading];
    if (isHost) parts.push(this.callControls(view));
    if (isHost && view.lobby.length > 0) parts.push(this.lobbyList(view.lobby));
    parts.push(el('ul', { class: 'people', 'aria-label': 'Participants' }, ...people.map((person) => this.personItem(person, view.selfId, isHost))));
    this.root.replaceChildren(...parts);
    if (focusedKey === undefined) return;
    // The button that had focus is rebuilt under the same key; if it is gone (its person left), the heading keeps the place.
    const replacement = this.root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`) ?? this.heading;
    replacement.focus();
  }

  private personItem(person: ParticipantDto, selfId: string, isHost: boolean): HTMLElement {
    const name = personName(person);
    const marks: HTMLElement[] = [];
    if (person.role === 'host') marks.push(badge('Host', 'host'));
    if (!person.media.audio) marks.push(badge('microphone off', 'off'));
    if (!person.media.video) marks.push(badge('camera off', 'off'));
    if (person.media.screen) marks.push(badge('sharing screen', 'on'));
    if (person.media.hand) marks.push(badge('hand raised', 'on'));
    if (!person.connected) marks.push(badge('reconnecting…', 'warn'));
    const who = el('p', { class: 'who' }, el('span', { class: 'name' }, person.id === selfId ? `${name} (you)` : name), ...marks);
    const item = el('li', { 'data-participant': person.id }, who);
    if (isHost && person.id !== selfId) item.append(this.hostMenu(person, person.name));
    return item;
  }

  /** One button per person opening the host's actions on them, so the list stays one line a person. */
  private hostMenu(person: ParticipantDto, name: string): HTMLElement {
    const { id } = person;
    const open = this.menuFor === id;
    const toggle = el(
      'button',
      { type: 'button', class: 'menu-button', 'data-key': `menu:${id}`, 'aria-haspopup': 'menu', 'aria-expanded': String(open), 'aria-label': `Host actions for ${name}` },
      icon('more'),
    );
    toggle.addEventListener('click', () => (open ? this.closeMenu(true) : this.openMenu(id)));
    const wrapper = el('div', { class: 'host-menu' }, toggle);
    if (!open) return wrapper;
    const chosen = (key: string, event: ClientEvent, args: ClientParams<ClientEvent>) => () => {
      this.closeMenu(true);
      return this.act(key, event, args);
    };
    const items: HTMLElement[] = [
      this.button(`mute-audio:${id}`, `Mute ${name}`, chosen(`mute-audio:${id}`, 'mute', [id, 'audio']), !person.media.audio),
      this.button(`mute-video:${id}`, `Stop ${name}'s camera`, chosen(`mute-video:${id}`, 'mute', [id, 'video']), !person.media.video),
      this.button(`kick:${id}`, `Remove ${name}`, chosen(`kick:${id}`, 'kick', [id])),
      this.confirmed(`ban:${id}`, `Ban ${name}`, `Confirm ban of ${name}`, chosen(`ban:${id}`, 'kick', [id, { ban: true }])),
    ];
    // The server refuses to make a guest host: nobody vouches for a guest's name.
    if (!person.guest) items.push(this.button(`host:${id}`, `Make ${name} host`, chosen(`host:${id}`, 'transfer-host', [id])));
    const menu = el('div', { class: 'menu', role: 'menu', 'aria-label': `Host actions for ${name}` }, ...items);
    for (const item of menu.querySelectorAll('button')) item.setAttribute('role', 'menuitem');
    for (const group of menu.querySelectorAll('span')) group.setAttribute('role', 'none');
    menu.addEventListener('keydown', (event) => this.menuKey(event, menu));
    wrapper.append(menu);
    return wrapper;
  }

  private menuKey(event: KeyboardEvent, menu: HTMLElement): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.closeMenu(true);
      return;
    }
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const at = items.indexOf(document.activeElement as HTMLElement);
    items[(at + step + items.length) % items.length]?.focus();
  }

  private openMenu(id: string): void {
    this.menuFor = id;
    this.confirming = null;
    this.rerender();
    this.root.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }

  /** `refocus`: the menu's own button takes focus back (a keyboard or a choice closed it, not a click elsewhere). */
  private closeMenu(refocus: boolean): void {
    const id = this.menuFor;
    this.menuFor = null;
    if (this.confirming?.includes(':')) this.confirming = null;
    this.rerender();
    if (refocus && id !== null) this.root.querySelector<HTMLElement>(`[data-key="${CSS.escape(`menu:${id}`)}"]`)?.focus();
  }

  private callControls(view: CallView): HTMLElement {
    return el(
      'div',
      { class: 'call-controls', role: 'group', 'aria-label': 'Call controls' },
      this.toggle('lock', 'Lock call', view.options.locked, (on) => ({ locked: on })),
      this.toggle('lobby', 'Lobby', view.options.lobby, (on) => ({ lobby: on })),
      this.confirmed('end', 'End call for everyone', 'Confirm: end call for everyone', () => this.act('end', 'end-call', []), 'danger'),
    );
  }

  private lobbyList(lobby: readonly LobbyEntryDto[]): HTMLElement {
    const items = lobby.map((entry) => {
      const { name } = entry;
      const settle = () => this.actions.settleKnock(entry.id);
      return el(
        'li',
        {},
        el('p', { class: 'who' }, el('span', { class: 'name' }, personName(entry))),
        el(
          'div',
          { class: 'actions' },
          this.button(`admit:${entry.id}`, `Admit ${name}`, () => this.act(`admit:${entry.id}`, 'admit', [entry.id], settle)),
          this.button(`deny:${entry.id}`, `Deny ${name}`, () => this.act(`deny:${entry.id}`, 'deny', [entry.id], settle)),
        ),
      );
    });
    return el('section', { class: 'lobby', 'aria-label': 'Waiting in the lobby' }, el('h3', {}, 'Waiting in the lobby'), el('ul', { 'aria-label': 'Waiting in the lobby' }, ...items));
  }

  private toggle(key: string, text: string, checked: boolean, change: (on: boolean) => { locked?: boolean; lobby?: boolean }): HTMLElement {
    const input = el('input', {
      type: 'checkbox',
      id: `roster-${key}`,
      'data-key': key,
      checked: this.switching.get(key) ?? checked,
      'aria-busy': this.busy.has(key) ? 'true' : false,
    });
    input.addEventListener('change', () => {
      const on = input.checked;
      this.switching.set(key, on);
      void this.act(key, 'call-options', [change(on)]);
    });
    return el('p', { class: 'toggle' }, input, el('label', { for: `roster-${key}` }, text));
  }

  /** `inert` marks an action that would change nothing now (a microphone already off): it stays focusable. */
  private button(key: string, text: string, onClick: () => Promise<void>, inert = false, kind = ''): HTMLButtonElement {
    const disabled = inert || this.busy.has(key);
    const button = el('button', { type: 'button', 'data-key': key, class: kind || false, 'aria-disabled': disabled ? 'true' : false }, text);
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') === 'true') return;
      void onClick();
    });
    return button;
  }

  /** A destructive action takes two clicks on the same button (no window.confirm, which blocks and cannot be styled). */
  private confirmed(key: string, text: string, confirmText: string, onConfirm: () => Promise<void>, kind = 'danger'): HTMLElement {
    if (this.confirming !== key) {
      return this.button(key, text, async () => {
        this.confirming = key;
        this.rerender();
      });
    }
    const cancel = this.button(`${key}:cancel`, 'Cancel', async () => {
      this.confirming = null;
      this.rerender();
    });
    const confirm = this.button(key, confirmText, () => {
      this.confirming = null;
      return onConfirm();
    }, false, kind);
    return el('span', { class: 'confirm' }, confirm, cancel);
  }

  /** Sends a request; a refusal is said in the server's words (written for people), and the panel shows the view again. */
  private async act<E extends ClientEvent>(key: string, event: E, args: ClientParams<E>, onOk?: () => void): Promise<void> {
    this.busy.add(key);
    this.rerender();
    let ack: AckResponse<E> | null = null;
    try {
      ack = await this.actions.request(event, ...args);
    } catch (error) {
      this.actions.say(error instanceof Error ? error.message : String(error));
    } finally {
      this.busy.delete(key);
    }
    // A switched option shows its new value until the view has it: the ack may overtake the call-options event.
    if (!ack?.ok) this.switching.delete(key);
    if (ack && !ack.ok) this.actions.say(ack.error.message);
    if (ack?.ok) onOk?.();
    // Someone who left the lobby meanwhile is not waiting any more: the entry goes with the refusal.
    if (ack && !ack.ok && ack.error.code === 'NOT_FOUND' && (event === 'admit' || event === 'deny')) onOk?.();
    this.rerender();
  }

  private rerender(): void {
    if (this.view) this.render(this.view);
  }
}
