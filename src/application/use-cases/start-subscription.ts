import type { CallMedia } from '../ports/call-store';
import type { MediaServerPool } from '../ports/media-server';
import { roomOf } from './media-room';

/** The participant's browser answers its subscription's offer: the server starts sending. */
export class StartSubscription {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: { participantId: string; sdp: string }): Promise<void> {
    const { server, room } = roomOf(this.pool, await this.calls.mediaOf(input.participantId));
    await server.startSubscription(room, input.participantId, { sdp: input.sdp });
  }
}
