import type { CallMedia } from '../ports/call-store';
import type { MediaServerPool, VideoLayer } from '../ports/media-server';
import { roomOf } from './media-room';

/** Which simulcast layer of another participant's video the participant receives: the low one for a small tile. */
export class ChooseLayer {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: { participantId: string; publisherId: string; layer: VideoLayer }): Promise<void> {
    const { server, room } = roomOf(this.pool, await this.calls.mediaOf(input.participantId));
    await server.chooseLayer(room, input.participantId, input.publisherId, input.layer);
  }
}
