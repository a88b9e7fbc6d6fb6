import type { AckResponse } from '../adapters/realtime/protocol';
import type { Reaction } from '../domain/reaction';
import { el } from './dom';

/** The server's closed list (src/domain/reaction.ts), repeated here: the bundle takes only types from server code. */
const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮', '🤔', '🙏'] as const satisfies readonly Reaction[];
/** How long a reaction shows on a tile. */
const SHOWN_MS = 4000;

export interface ReactionActions {
  send(reaction: Reaction): Promise<AckResponse<'reaction'>>;
  say(text: string): void;
}

/** The reactions button and the emoji it opens; a reaction shows only when the server's event comes back. */
export class ReactionPicker {
  readonly root = el('div', { class: 'reactions' });
  private readonly button = el('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'reaction-list' }, 'Reactions');
  private readonly list = el('div', { class: 'reaction-list', id: 'reaction-list', role: 'group', 'aria-label': 'Send a reaction', hidden: true });

  constructor(actions: ReactionActions) {
    for (const reaction of REACTIONS) {
      const choice = el('button', { type: 'button', 'aria-label': `React ${reaction}` }, reaction);
      choice.addEventListener('click', () => {
        void actions.send(reaction).then((ack) => {
          if (!ack.ok) actions.say(ack.error.message);
        });
      });
      this.list.append(choice);
    }
    this.button.addEventListener('click', () => this.toggle(this.list.hidden));
    this.list.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      this.toggle(false);
      this.button.focus();
    });
    this.root.addEventListener('focusout', (event) => {
      if (!(event.relatedTarget instanceof Node && this.root.contains(event.relatedTarget))) this.toggle(false);
    });
    this.root.append(this.button, this.list);
  }

  private toggle(open: boolean): void {
    this.list.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) this.list.querySelector('button')?.focus();
  }
}

/** Shows a reaction for a few seconds on the tile of whoever sent it (the tile whose video carries their id). */
export function showReaction(grid: ParentNode, participantId: string, reaction: string, who: string): void {
  const tile = grid.querySelector(`video[data-participant="${CSS.escape(participantId)}"]`)?.closest('figure');
  if (!tile) return;
  const mark = el('span', { class: 'reaction', role: 'img', 'aria-label': `${who} reacted ${reaction}` }, reaction);
  tile.append(mark);
  setTimeout(() => mark.remove(), SHOWN_MS);
}
