import type { Logger } from 'pino';
import { JanusMediaServer } from '../adapters/media/janus-media-server';
import type { DatabaseHealth } from '../application/ports/database-health';
import type { MediaServer } from '../application/ports/media-server';
import { ConfigError, type Config } from '../config/env';

/** The SFUs calls can use (one per JANUS_URLS entry, in its order), what /ready checks of them, and their shutdown. */
export interface MediaServers {
  servers: readonly MediaServer[];
  /** janus-1, janus-2, … by position in JANUS_URLS: /ready names them without showing their (private) address. */
  health: Record<string, DatabaseHealth>;
  close(): Promise<void>;
}

/** Nothing without JANUS_URLS, so that a plain start needs nothing installed. */
export function openMediaServers(config: Config, logger: Logger): MediaServers {
  const { janusUrls, janusRequestTimeoutMs, maxSfuParticipants } = config.media;
  if (janusUrls.length === 0) return { servers: [], health: {}, close: async () => {} };
  try {
    require.resolve('janode');
  } catch {
    throw new ConfigError(
      'Invalid configuration: JANUS_URLS is set but janode is not installed (npm installs it only where it can build its native part: install a C compiler, make and python3, then npm install)',
    );
  }
  const servers = janusUrls.map((url) => new JanusMediaServer({ url, requestTimeoutMs: janusRequestTimeoutMs, maxPublishers: maxSfuParticipants }));
  servers.forEach((server, i) => server.onLost(({ reason }) => logger.warn({ janus: `janus-${i + 1}`, reason }, 'janus lost')));
  return {
    servers,
    health: Object.fromEntries(servers.map((server, i) => [`janus-${i + 1}`, server])),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
