import type { Logger } from 'pino';
import { JanusMediaServer } from '../adapters/media/janus-media-server';
import { MediaServerRegistry } from '../adapters/media/media-server-registry';
import type { DatabaseHealth } from '../application/ports/database-health';
import type { PublishingStarted, TalkingChanged } from '../application/ports/media-server';
import { ConfigError, type Config } from '../config/env';

/** How often a lost Janus is asked whether it answers again. */
const RECHECK_MS = 5_000;

/** What reacts to the media servers' events: a loss, a participant's media starting to flow, and its talking. */
export interface MediaReactions {
  lost(server: string): Promise<void>;
  publishing(started: PublishingStarted): Promise<void>;
  talking(event: TalkingChanged): Promise<void>;
}

/** The SFUs calls can use (one per JANUS_URLS entry, in its order), what /ready checks of them, and their shutdown. */
export interface MediaServers {
  pool: MediaServerRegistry;
  /** janus-1, janus-2, … by position in JANUS_URLS: /ready names them without showing their (private) address. */
  health: Record<string, DatabaseHealth>;
  /** Starts reacting to losses, publishers and talkers (once the use cases exist); answers the removal. */
  react(reactions: MediaReactions): () => void;
  close(): Promise<void>;
}

/** Nothing without JANUS_URLS, so that a plain start needs nothing installed. */
export function openMediaServers(config: Config, logger: Logger): MediaServers {
  const { janusUrls, janusRequestTimeoutMs, maxSfuParticipants } = config.media;
  if (janusUrls.length > 0) {
    try {
      require.resolve('janode');
    } catch {
      throw new ConfigError(
        'Invalid configuration: JANUS_URLS is set but janode is not installed (npm installs it only where it can build its native part: install a C compiler, make and python3, then npm install)',
      );
    }
  }
  const named = janusUrls.map((url, i) => ({
    name: `janus-${i + 1}`,
    server: new JanusMediaServer({ url, requestTimeoutMs: janusRequestTimeoutMs, maxPublishers: maxSfuParticipants }),
  }));
  let onLost: (name: string) => void = () => {};
  const pool = new MediaServerRegistry(named, {
    recheckMs: RECHECK_MS,
    onLost: (name, reason) => {
      logger.warn({ janus: name, reason }, 'janus lost; its calls are placed again');
      onLost(name);
    },
  });
  return {
    pool,
    health: Object.fromEntries(named.map(({ name, server }) => [name, server])),
    react(reactions) {
      onLost = (name) => {
        reactions.lost(name).catch((error: unknown) => logger.error({ err: error, janus: name }, 'moving the calls of a lost janus failed'));
      };
      const stops = named.flatMap(({ name, server }) => [
        server.onPublishing((started) => {
          reactions.publishing(started).catch((error: unknown) => logger.warn({ err: error, janus: name }, 'announcing a publisher failed'));
        }),
        server.onTalking((event) => {
          reactions.talking(event).catch((error: unknown) => logger.warn({ err: error, janus: name }, 'announcing a speaker failed'));
        }),
      ]);
      return () => {
        onLost = () => {};
        for (const stop of stops) stop();
      };
    },
    close: async () => {
      pool.close();
      await Promise.all(named.map(({ server }) => server.close()));
    },
  };
}
