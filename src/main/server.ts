import { openFilesLimit, socketCapacity } from './open-files';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { SessionRepository } from '../application/ports/session-repository';
import type { Clock } from '../application/ports/clock';
import type { Config } from '../config/env';
import { buildContainer } from './container';
import { createApp, type App } from './create-app';
import { NODE_HEARTBEAT_MS } from './live-state';
import { scheduleNodeSweep } from './node-sweep';
import { TOKENS } from './tokens';

export interface RunningServer {
  app: App;
  url: string;
  port: number;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 9000;
const REDIS_CLOSE_WAIT_MS = 2000;

/** Wires everything for `config`, listens, and returns a handle that shuts it all down. */
export async function startServer(config: Config, baseLogger: Logger): Promise<RunningServer> {
  const logger = baseLogger.child({ node: config.nodeId });
  const c = buildContainer(config, logger);
  const persistence = c.resolve(TOKENS.Persistence);
  const live = c.resolve(TOKENS.LiveState);
  const media = c.resolve(TOKENS.MediaServers);
  if (live.kind === 'redis' && persistence.kind === 'sqlite') {
    logger.warn({}, 'REDIS_URL is set with SQLite: nodes share data only on one machine (one DATA_DIR); use MONGODB_URI across machines');
  }
  const app = createApp({
    http: {
      useCases: {
        registerUser: c.resolve(TOKENS.RegisterUser),
        login: c.resolve(TOKENS.Login),
        logout: c.resolve(TOKENS.Logout),
        authenticate: c.resolve(TOKENS.Authenticate),
        getCurrentUser: c.resolve(TOKENS.GetCurrentUser),
        addHistory: c.resolve(TOKENS.AddHistory),
        getHistory: c.resolve(TOKENS.GetHistory),
        getAttendance: c.resolve(TOKENS.GetAttendance),
      },
      readiness: { database: c.resolve(TOKENS.DatabaseHealth), ...live.health, ...media.health },
      logger,
      origins: c.resolve(TOKENS.OriginPolicy),
      trustProxy: config.trustProxy,
      iceServers: {
        getIceServers: c.resolve(TOKENS.GetIceServers),
        authenticate: c.resolve(TOKENS.Authenticate),
        requireAuth: config.calls.requireAuth,
        limiter: c.resolve(TOKENS.IceServersLimiter),
      },
      meetings: {
        createMeeting: c.resolve(TOKENS.CreateMeeting),
        getMeeting: c.resolve(TOKENS.GetMeeting),
        listMyMeetings: c.resolve(TOKENS.ListMyMeetings),
        requireAuth: config.calls.requireAuth,
        lookupLimiter: c.resolve(TOKENS.MeetingLookupLimiter),
      },
    },
    realtime: {
      io: c.resolve(TOKENS.SocketServer),
      useCases: c.resolve(TOKENS.RealtimeUseCases),
      logger,
      requireAuth: config.calls.requireAuth,
      chatEcho: config.calls.chatEcho,
      maxSocketsPerAddress: config.calls.maxSocketsPerAddress,
      maxSockets: socketCapacity(config.calls.maxSockets, openFilesLimit()),
      trustProxy: config.trustProxy,
      handOverOnShutdown: live.kind === 'redis',
      rateLimits: {
        chatPerSecond: config.calls.rateLimitChatPerSecond,
        signalPerSecond: config.calls.rateLimitSignalPerSecond,
      },
    },
    metrics: c.resolve(TOKENS.Metrics),
  });

  const cleanup = scheduleSessionCleanup(
    c.resolve(TOKENS.SessionRepository),
    c.resolve(TOKENS.Clock),
    config.sessionCleanupIntervalSeconds,
    logger,
  );

  const sweep = scheduleNodeSweep(c.resolve(TOKENS.SweepDeadNodes), NODE_HEARTBEAT_MS, logger, {
    onEvicted: () => app.gateway.reconnectCallers(),
    onReset: () => app.gateway.resetCallers(),
  });

  const serverLost = c.resolve(TOKENS.MediaServerLost);
  const announcePublishing = c.resolve(TOKENS.AnnouncePublishing);
  const announceSpeaking = c.resolve(TOKENS.AnnounceSpeaking);
  const mediaReactions = media.react({
    lost: (server) => serverLost.execute({ server }),
    publishing: (started) => announcePublishing.execute(started),
    talking: (event) => announceSpeaking.execute(event),
  });

  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = app.httpServer.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(cleanup);
      sweep.stop();
      mediaReactions();
      // Closing Socket.IO disconnects every socket at once; this node's people then leave their calls in the shared
      // store before Redis is let go, so nobody elsewhere keeps a ghost. Closing also unsubscribes from Redis, which
      // during an outage waits for Redis: the wait is bounded.
      const stopped = stopListening(app);
      const left = app.gateway.leavesSettled();
      await Promise.race([Promise.all([stopped, left]), new Promise((resolve) => setTimeout(resolve, REDIS_CLOSE_WAIT_MS).unref())]);
      try {
        await live.close();
      } finally {
        await media.close();
        await stopped;
        await persistence.close();
      }
    })());

  return { app, url: `http://${shownHost}:${port}`, port, close };
}

/**
 * Tells every socket the server is going, then closes the Socket.IO transports (clients see "transport close"
 * and reconnect by themselves, not "io server disconnect", after which they would stay away), which also leaves
 * each call cleanly; stops accepting; lets in-flight requests finish, each ending its keep-alive connection, while
 * idle connections are closed at once; and cuts what is still open after the grace period.
 */
async function stopListening(app: App): Promise<void> {
  const force = setTimeout(() => app.httpServer.closeAllConnections(), SHUTDOWN_GRACE_MS);
  force.unref();
  app.io.emit('server-shutdown', { reconnect: true });
  app.keepAlive.drain();
  await app.io.close();
  clearTimeout(force);
}

function scheduleSessionCleanup(sessions: SessionRepository, clock: Clock, everySeconds: number, logger: Logger) {
  const timer = setInterval(() => {
    sessions
      .deleteExpired(clock.now())
      .then((deleted) => deleted > 0 && logger.info({ deleted }, 'expired sessions deleted'))
      .catch((error: Error) => logger.error({ err: error.message }, 'session cleanup failed'));
  }, everySeconds * 1000);
  timer.unref();
  return timer;
}
