import type { ChatMessageDto } from '../adapters/realtime/protocol';
import { el } from './dom';

export type ChatLine = Pick<ChatMessageDto, 'id' | 'data' | 'sender' | 'senderId' | 'ts'>;

export interface ChatActions {
  /** Sends a message; true once the server took it. */
  send(text: string): Promise<boolean>;
}

/** The call's chat: its messages, each shown once (history and live events overlap), and the form to write one. */
export class ChatPanel {
  readonly root: HTMLElement;
  private readonly log = el('ol', { class: 'chat-log', 'aria-live': 'polite', 'aria-label': 'Chat messages' });
  private readonly seen = new Set<string>();

  constructor(actions: ChatActions) {
    const input = el('input', { id: 'chat-text', name: 'chat', maxlength: '2000', autocomplete: 'off', required: true });
    const form = el('form', { class: 'chat-form' }, el('label', { for: 'chat-text' }, 'Message'), input, el('button', { type: 'submit' }, 'Send'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = input.value;
      if (!data.trim()) return;
      void actions.send(data).then((sent) => {
        if (sent) input.value = '';
      });
    });
    this.root = el('section', { class: 'chat', 'aria-label': 'Chat' }, el('h2', {}, 'Chat'), this.log, form);
  }

  show(message: ChatLine, selfId: string | null): void {
    if (this.seen.has(message.id)) return;
    this.seen.add(message.id);
    const time = new Date(message.ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const who = message.senderId === selfId ? 'You' : message.sender;
    this.log.append(el('li', {}, el('strong', {}, who), ' ', el('time', { datetime: message.ts }, time), el('p', {}, message.data)));
    this.log.scrollTop = this.log.scrollHeight;
  }
}
