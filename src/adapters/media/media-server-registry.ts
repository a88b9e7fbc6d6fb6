import type { MediaServer, MediaServerPool } from '../../application/ports/media-server';

export interface NamedMediaServer {
  name: string;
  server: MediaServer;
}

export interface MediaServerRegistryOptions {
  /** How often a lost server is asked whether it answers again. */
  recheckMs: number;
  /** Told once per loss, after the server is taken out of `usable()`. */
  onLost?: (name: string, reason: string) => void;
}

/**
 * The MediaServerPool over the servers a node was configured with. A server leaves `usable()` the moment it is
 * lost, and comes back once it answers again (checked every `recheckMs`): a restarted Janus at the same address
 * takes new calls without restarting this node.
 */
export class MediaServerRegistry implements MediaServerPool {
  private readonly lost = new Set<string>();
  private readonly byName: Map<string, MediaServer>;
  private readonly stops: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly servers: readonly NamedMediaServer[],
    private readonly options: MediaServerRegistryOptions = { recheckMs: 5_000 },
  ) {
    this.byName = new Map(servers.map(({ name, server }) => [name, server]));
    for (const { name, server } of servers) {
      this.stops.push(
        server.onLost(({ reason }) => {
          this.lost.add(name);
          this.arm();
          this.options.onLost?.(name, reason);
        }),
      );
    }
  }

  usable(): string[] {
    return this.servers.filter(({ name }) => !this.lost.has(name)).map(({ name }) => name);
  }

  get(name: string): MediaServer | undefined {
    return this.byName.get(name);
  }

  newRoomKey(): string {
    return this.servers[0]?.server.newRoomKey() ?? '';
  }

  /** Stops the rechecks and the loss listeners. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const stop of this.stops.splice(0)) stop();
  }

  private arm(): void {
    if (this.timer || this.stops.length === 0) return;
    this.timer = setTimeout(() => void this.recheck(), this.options.recheckMs);
    this.timer.unref();
  }

  private async recheck(): Promise<void> {
    this.timer = undefined;
    if (this.checking) return;
    this.checking = true;
    try {
      for (const name of [...this.lost]) {
        const server = this.byName.get(name);
        if (server && (await server.isHealthy())) this.lost.delete(name);
      }
    } finally {
      this.checking = false;
    }
    if (this.lost.size > 0) this.arm();
  }
}
