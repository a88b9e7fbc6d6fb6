import type { MediaState } from '../../domain/call';
import { DomainError } from '../../domain/errors';
import type { CallNotifier } from '../ports/call-notifier';
import type { RoomStore } from '../ports/room-store';

export interface UpdateMediaStateInput {
  participantId: string;
  change: Partial<MediaState>;
}

export class UpdateMediaState {
  constructor(
    private readonly rooms: RoomStore,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: UpdateMediaStateInput): Promise<MediaState> {
    const callId = await this.rooms.callOf(input.participantId);
    const participant = callId === null ? null : await this.rooms.setMedia(input.participantId, input.change);
    if (callId === null || participant === null) throw new DomainError('NOT_IN_CALL', 'Join a call first');
    this.notifier.toCall(callId, { type: 'media-state', id: participant.id, state: participant.media }, participant.id);
    return participant.media;
  }
}
