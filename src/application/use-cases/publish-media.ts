import { refusal } from '../../domain/host-rules';
import type { CallMedia } from '../ports/call-store';
import type { MediaServerPool } from '../ports/media-server';
import { roomOf } from './media-room';

export interface PublishMediaInput {
  participantId: string;
  /** The browser's offer for what it sends. */
  sdp: string;
  /** A new publishing connection (the browser's last one is gone): the server drops what it had of this participant first. */
  restart: boolean;
}

/**
 * A participant of a call on the SFU publishes its streams to the call's room, placing the call on the least loaded
 * media server when it has no room yet (the store keeps one room per call, whichever node asks first). What a host
 * forced off is dropped by the server from the first packet.
 */
export class PublishMedia {
  constructor(
    private readonly calls: Pick<CallMedia, 'placeRoom'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: PublishMediaInput): Promise<{ sdp: string }> {
    const placed = await this.calls.placeRoom(input.participantId, { servers: this.pool.usable(), key: this.pool.newRoomKey() });
    if (!placed) throw refusal('not-in-call');
    const { server, room } = roomOf(this.pool, placed);
    await server.openRoom(room);
    if (input.restart) await server.unpublish(room, input.participantId);
    return server.publish(room, input.participantId, { sdp: input.sdp, forcedOff: placed.participant.forcedOff });
  }
}
