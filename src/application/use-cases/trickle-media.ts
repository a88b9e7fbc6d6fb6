import type { CallMedia } from '../ports/call-store';
import type { IceCandidate, MediaServerPool } from '../ports/media-server';
import { roomOf } from './media-room';

export interface TrickleMediaInput {
  participantId: string;
  connection: 'publisher' | 'subscriber';
  /** null: the browser has no more candidates. */
  candidate: IceCandidate | null;
}

/** One of the participant's ICE candidates, for its publishing or subscribing connection to the call's room. */
export class TrickleMedia {
  constructor(
    private readonly calls: Pick<CallMedia, 'mediaOf'>,
    private readonly pool: MediaServerPool,
  ) {}

  async execute(input: TrickleMediaInput): Promise<void> {
    const { server, room } = roomOf(this.pool, await this.calls.mediaOf(input.participantId));
    await server.trickle(room, input.participantId, input.connection, input.candidate);
  }
}
