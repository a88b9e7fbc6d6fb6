import { refusal } from '../../domain/host-rules';
import type { Reaction } from '../../domain/reaction';
import type { CallMedia } from '../ports/call-store';
import type { CallNotifier } from '../ports/call-notifier';

export interface SendReactionInput {
  participantId: string;
  reaction: Reaction;
}

/**
 * A participant's reaction, shown briefly on its tile: everyone in its call gets it, the sender too, so that every
 * page shows it from the same event. Nothing is stored: a reaction is gone once shown.
 */
export class SendReaction {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: SendReactionInput): Promise<void> {
    const membership = await this.calls.mediaOf(input.participantId);
    if (!membership) throw refusal('not-in-call');
    this.notifier.toCall(membership.callId, { type: 'reaction', id: input.participantId, reaction: input.reaction });
  }
}
