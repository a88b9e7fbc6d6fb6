import type { MediaState } from '../../domain/call';
import { DomainError } from '../../domain/errors';
import type { CallNotifier } from '../ports/call-notifier';
import type { CallRoster } from '../ports/call-store';

export interface UpdateMediaStateInput {
  participantId: string;
  change: Partial<MediaState>;
}

export class UpdateMediaState {
  constructor(
    private readonly calls: Pick<CallRoster, 'setMedia'>,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: UpdateMediaStateInput): Promise<MediaState> {
    const updated = await this.calls.setMedia(input.participantId, input.change);
    if (!updated) throw new DomainError('NOT_IN_CALL', 'Join a call first');
    const { callId, participant } = updated;
    this.notifier.toCall(callId, { type: 'media-state', id: participant.id, state: participant.media }, participant.id);
    return participant.media;
  }
}
