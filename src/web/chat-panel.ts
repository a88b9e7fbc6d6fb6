import type { ChatMessageDto } from '../adapters/realtime/protocol';
import { chatTokens } from './chat-links';
import { el } from './dom';

export type ChatLine = Pick<ChatMessageDto, 'id' | 'data' | 'sender' | 'senderId' | 'ts'>;

export interface ChatActions {
  /** Sends a message; true once the server took it. */
  send(text: string): Promise<boolean>;
}

/** A message's text as text nodes, its http(s) links as links: never parsed as HTML. */
function messageBody(data: string): HTMLElement {
  const body = el('p', {});
  for (const token of chatTokens(data)) {
    if (token.kind === 'text') body.append(token.text);
    else body.append(el('a', { href: token.href, rel: 'noopener noreferrer', target: '_blank' }, token.text));
  }
  return body;
}

/**
 * The call's chat: its messages, each shown once (history and live events overlap), and the form to write one.
 * It can close; its button then counts the messages from others that came meanwhile.
 */
export class ChatPanel {
  readonly root: HTMLElement;
  readonly button: HTMLButtonElement;
  private readonly log = el('ol', { class: 'chat-log', 'aria-live': 'polite', 'aria-label': 'Chat messages' });
  private readonly input = el('input', { id: 'chat-text', name: 'chat', maxlength: '2000', autocomplete: 'off', required: true });
  private readonly count = el('span', { class: 'unread', hidden: true });
  private readonly seen = new Set<string>();
  private unread = 0;

  constructor(actions: ChatActions) {
    const input = this.input;
    const form = el('form', { class: 'chat-form' }, el('label', { for: 'chat-text' }, 'Message'), input, el('button', { type: 'submit' }, 'Send'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = input.value;
      if (!data.trim()) return;
      void actions.send(data).then((sent) => {
        // Typed on while it was sent: that is the next message, not this one.
        if (sent && input.value === data) input.value = '';
      });
    });
    const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, '×');
    close.addEventListener('click', () => {
      this.toggle(false);
      this.button.focus();
    });
    this.root = el('section', { class: 'chat', id: 'chat', 'aria-label': 'Chat' }, el('div', { class: 'chat-head' }, el('h2', {}, 'Chat'), close), this.log, form);
    this.button = el('button', { type: 'button', 'aria-expanded': 'true', 'aria-controls': 'chat' }, 'Chat', ' ', this.count);
    this.button.addEventListener('click', () => this.toggle());
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  /** Opens or closes the panel (the other state without an argument); opening reads what came and moves to the field. */
  toggle(open = !this.open): void {
    this.root.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (!open) return;
    this.unread = 0;
    this.drawCount();
    this.log.scrollTop = this.log.scrollHeight;
    this.input.focus();
  }

  show(message: ChatLine, selfId: string | null): void {
    if (this.seen.has(message.id)) return;
    this.seen.add(message.id);
    const time = new Date(message.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const mine = message.senderId === selfId;
    const who = mine ? 'You' : message.sender;
    this.log.append(el('li', {}, el('strong', {}, who), ' ', el('time', { datetime: message.ts }, time), messageBody(message.data)));
    this.log.scrollTop = this.log.scrollHeight;
    if (!this.open && !mine) {
      this.unread += 1;
      this.drawCount();
    }
  }

  private drawCount(): void {
    this.count.textContent = `${this.unread} unread`;
    this.count.hidden = this.unread === 0;
  }
}
