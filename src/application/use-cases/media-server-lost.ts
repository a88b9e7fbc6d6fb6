import type { CallMedia } from '../ports/call-store';
import type { CallNotifier } from '../ports/call-notifier';
import type { MediaServerPool } from '../ports/media-server';

/**
 * A media server was lost with every room on it. Each of its calls is placed again on another server by its first
 * publish (its participants are told to publish and subscribe anew), or, with none left, falls back to a mesh when
 * small enough; a call too big for a mesh waits for a server, its publishes answered SERVICE_UNAVAILABLE in words.
 * Nobody leaves the call. Every node that sees the loss runs this; the store hands each call to one of them.
 */
export class MediaServerLost {
  constructor(
    private readonly calls: Pick<CallMedia, 'loseServer'>,
    private readonly notifier: CallNotifier,
    private readonly pool: Pick<MediaServerPool, 'usable'>,
    private readonly meshCapacity: number,
  ) {}

  async execute(input: { server: string }): Promise<void> {
    const displaced = await this.calls.loseServer({ server: input.server, sfuLeft: this.pool.usable().length > 0, meshCapacity: this.meshCapacity });
    for (const { callId, path } of displaced) {
      this.notifier.toCall(callId, { type: 'media-path', path, reason: path === 'mesh' ? 'fallback' : 'media-server-lost' });
    }
  }
}
