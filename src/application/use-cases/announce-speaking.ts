import type { CallMedia } from '../ports/call-store';
import type { CallNotifier } from '../ports/call-notifier';
import type { TalkingChanged } from '../ports/media-server';

/**
 * The media server heard a publisher start or stop talking (told on the node holding its connection, so once per
 * change): everyone in the call hears of it, the speaker included, while the speaker is still in that call on the SFU.
 */
export class AnnounceSpeaking {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly notifier: CallNotifier,
  ) {}

  async execute(input: TalkingChanged): Promise<void> {
    const media = await this.calls.mediaOf(input.participantId);
    if (!media || media.callId !== input.callId || media.path !== 'sfu') return;
    this.notifier.toCall(input.callId, { type: 'speaking', id: input.participantId, talking: input.talking });
  }
}
