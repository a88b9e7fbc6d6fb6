import type { CallMedia } from '../ports/call-store';
import type { CallNotifier } from '../ports/call-notifier';
import type { MediaServerPool, PublishingStarted } from '../ports/media-server';
import { reachable } from './media-room';

/**
 * Someone's media began to flow into the call's room (told by the media server on the node holding its connection):
 * the others subscribe again to receive it. What a host forced off while that publisher was still connecting (when
 * there was nothing at the server to moderate yet) is applied first.
 */
export class AnnouncePublishing {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly notifier: CallNotifier,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: PublishingStarted): Promise<void> {
    const media = await this.calls.mediaOf(input.participantId);
    if (!media || media.callId !== input.callId || !media.room) return;
    const { forcedOff } = media.participant;
    if (forcedOff.audio || forcedOff.video) {
      const found = reachable(this.pool, media.callId, media.room);
      await found?.server.moderate(found.room, input.participantId, forcedOff);
    }
    this.notifier.toCall(input.callId, { type: 'sfu-publisher', id: input.participantId }, input.participantId);
  }
}
