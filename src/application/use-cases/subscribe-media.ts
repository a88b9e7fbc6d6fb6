import type { SubscriptionOffer } from '../ports/media-server';
import type { CallMedia } from '../ports/call-store';
import type { CallNotifier } from '../ports/call-notifier';
import type { MediaServerPool } from '../ports/media-server';
import { isDomainError } from '../../domain/errors';
import { roomOf } from './media-room';

/** How often a subscription is tried again when a publisher listed a moment ago stopped meanwhile. */
const ATTEMPTS = 3;

/**
 * A participant of a call on the SFU receives everyone else who publishes in it now, on one subscription that
 * replaces its last one; nobody publishing yet answers no offer. The participant subscribes again when told that
 * someone started publishing (sfu-publisher). It hears who is talking at that moment, since the server tells of talking
 * only when it changes (AnnounceSpeaking).
 */
export class SubscribeMedia {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly pool: MediaServerPool,
    private readonly notifier: Pick<CallNotifier, 'toParticipant'>,
  ) {}

  async execute(input: { participantId: string }): Promise<{ offer: { sdp: string } | null; streams: SubscriptionOffer['streams'] }> {
    const media = await this.calls.mediaOf(input.participantId);
    // Not placed yet (a room comes with the first publish) or not again yet (after a loss): nobody publishes in it.
    if (media?.path === 'sfu' && media.room === null) return { offer: null, streams: [] };
    const { server, room } = roomOf(this.pool, media);
    for (let attempt = 1; ; attempt += 1) {
      const publishers = (await server.publishers(room)).filter((publisher) => publisher.participantId !== input.participantId);
      if (publishers.length === 0) return { offer: null, streams: [] };
      try {
        const { sdp, streams } = await server.subscribe(
          room,
          input.participantId,
          publishers.map((publisher) => publisher.participantId),
        );
        for (const { participantId, talking } of publishers) {
          if (talking) this.notifier.toParticipant(input.participantId, { type: 'speaking', id: participantId, talking });
        }
        return { offer: { sdp }, streams };
      } catch (error) {
        // A publisher that left between the listing and the subscription: the next listing no longer has it.
        if (attempt >= ATTEMPTS || !isDomainError(error) || error.code !== 'NOT_FOUND') throw error;
      }
    }
  }
}
