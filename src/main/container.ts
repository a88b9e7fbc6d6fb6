import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { OriginPolicy } from '../adapters/origin-policy';
import { localCallCounts } from '../adapters/metrics/local-calls';
import { metricsAccess } from '../adapters/metrics/metrics-access';
import { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics';
import { LoggingAttendanceRepository } from '../adapters/persistence/logging-attendance-repository';
import { LruHistoryRepository, type HistoryCacheOptions } from '../adapters/persistence/lru-history-repository';
import { LruSessionRepository, type SessionCacheOptions } from '../adapters/persistence/lru-session-repository';
import { SocketIoCallNotifier } from '../adapters/realtime/socket-io-call-notifier';
import { SocketIoSessionNotifier } from '../adapters/realtime/socket-io-session-notifier';
import { createSocketServer } from '../adapters/realtime/socket-server';
import { BcryptPasswordHasher, bcryptConcurrency } from '../adapters/security/bcrypt-password-hasher';
import { JoseTokenService } from '../adapters/security/jose-token-service';
import { RateLimiterFlexibleLoginThrottle } from '../adapters/security/rate-limiter-login-throttle';
import { CryptoIdGenerator } from '../adapters/system/crypto-id-generator';
import { CryptoMeetingCodeGenerator } from '../adapters/system/crypto-meeting-code-generator';
import { SystemClock } from '../adapters/system/system-clock';
import { AddHistory } from '../application/use-cases/add-history';
import { Authenticate } from '../application/use-cases/authenticate';
import { GetAttendance } from '../application/use-cases/get-attendance';
import { GetCurrentUser } from '../application/use-cases/get-current-user';
import { GetHistory } from '../application/use-cases/get-history';
import { GetIceServers } from '../application/use-cases/get-ice-servers';
import { CreateMeeting } from '../application/use-cases/create-meeting';
import { GetMeeting } from '../application/use-cases/get-meeting';
import { ListMyMeetings } from '../application/use-cases/list-my-meetings';
import { JoinCall } from '../application/use-cases/join-call';
import { AdmitParticipant, DenyParticipant } from '../application/use-cases/lobby';
import { LeaveCall } from '../application/use-cases/leave-call';
import { SweepDeadNodes } from '../application/use-cases/sweep-dead-nodes';
import { SuspendParticipant } from '../application/use-cases/suspend-participant';
import { CryptoSecretGenerator } from '../adapters/system/crypto-secret-generator';
import { EndCall, KickParticipant, LiftBan, MuteParticipant, SetCallOptions, TransferHost } from '../application/use-cases/host-actions';
import { Login } from '../application/use-cases/login';
import { Logout } from '../application/use-cases/logout';
import { PostChat } from '../application/use-cases/post-chat';
import { RegisterUser } from '../application/use-cases/register-user';
import { RelaySignal } from '../application/use-cases/relay-signal';
import { UpdateMediaState } from '../application/use-cases/update-media-state';
import { AnnouncePublishing } from '../application/use-cases/announce-publishing';
import { AnnounceSpeaking } from '../application/use-cases/announce-speaking';
import { ChooseLayer } from '../application/use-cases/choose-layer';
import { SendReaction } from '../application/use-cases/send-reaction';
import { MediaServerLost } from '../application/use-cases/media-server-lost';
import { PublishMedia } from '../application/use-cases/publish-media';
import { StartSubscription } from '../application/use-cases/start-subscription';
import { SubscribeMedia } from '../application/use-cases/subscribe-media';
import { TrickleMedia } from '../application/use-cases/trickle-media';
import type { MediaSettings } from '../application/ports/media-server';
import type { Config } from '../config/env';
import { iceServerSettings } from './ice-servers';
import { resolveJwtSecret } from './jwt-secret';
import { openLiveState } from './live-state';
import { openMediaServers } from './media-servers';
import { openPersistence } from './persistence';
import { TOKENS } from './tokens';
import { TypedContainer } from './typed-container';

export const JWT_ISSUER = 'meet-backend';
export const JWT_AUDIENCE = 'meet-clients';

/**
 * Active sessions remembered per node (a few hundred bytes each). Revocations reach every node at once through
 * LiveState; the age bound only limits what a revocation lost without the subscription noticing could cost.
 */
const SESSION_CACHE: SessionCacheOptions = { max: 10_000, maxAgeMs: 60_000 };

/** Users' newest history entries remembered per node (about 200 bytes each); adds reach every node as revocations do. */
const HISTORY_CACHE: HistoryCacheOptions = { maxEntries: 50_000, maxAgeMs: 60_000 };

/** Registers every adapter and use case for this config in a fresh child container. */
export function buildContainer(config: Config, logger: Logger): TypedContainer {
  const c = new TypedContainer(rootContainer.createChildContainer());

  c.single(TOKENS.Clock, () => new SystemClock());
  c.single(TOKENS.IdGenerator, () => new CryptoIdGenerator());
  c.single(TOKENS.SecretGenerator, () => new CryptoSecretGenerator());
  c.single(TOKENS.OriginPolicy, () => OriginPolicy.fromConfig(config.env, config.clientOrigins));

  c.single(TOKENS.Persistence, () => openPersistence(config, logger));
  c.single(TOKENS.LiveState, (r) => openLiveState(config, r.resolve(TOKENS.Clock), logger));
  c.single(TOKENS.MediaServers, () => openMediaServers(config, logger));
  c.single(TOKENS.UserRepository, (r) => r.resolve(TOKENS.Persistence).users);
  c.single(
    TOKENS.SessionRepository,
    (r) => new LruSessionRepository(r.resolve(TOKENS.Persistence).sessions, r.resolve(TOKENS.LiveState).invalidations.sessions, SESSION_CACHE),
  );
  c.single(
    TOKENS.MeetingHistoryRepository,
    (r) =>
      new LruHistoryRepository(
        r.resolve(TOKENS.Persistence).history,
        r.resolve(TOKENS.LiveState).invalidations.history,
        r.resolve(TOKENS.Clock),
        HISTORY_CACHE,
      ),
  );
  c.single(TOKENS.DatabaseHealth, (r) => r.resolve(TOKENS.Persistence).health);

  c.single(TOKENS.PasswordHasher, () => new BcryptPasswordHasher(config.bcryptRounds, bcryptConcurrency(config.threadPoolSize)));
  c.single(
    TOKENS.TokenService,
    (r) => new JoseTokenService({ secret: resolveJwtSecret(config), issuer: JWT_ISSUER, audience: JWT_AUDIENCE }, r.resolve(TOKENS.Clock)),
  );
  c.single(
    TOKENS.LoginThrottle,
    (r) => new RateLimiterFlexibleLoginThrottle(r.resolve(TOKENS.LiveState).loginLimiters),
  );

  c.single(
    TOKENS.RegisterUser,
    (r) => new RegisterUser(r.resolve(TOKENS.UserRepository), r.resolve(TOKENS.PasswordHasher), r.resolve(TOKENS.IdGenerator), r.resolve(TOKENS.Clock)),
  );
  c.single(
    TOKENS.Login,
    (r) =>
      new Login(
        r.resolve(TOKENS.UserRepository),
        r.resolve(TOKENS.SessionRepository),
        r.resolve(TOKENS.PasswordHasher),
        r.resolve(TOKENS.TokenService),
        r.resolve(TOKENS.LoginThrottle),
        r.resolve(TOKENS.IdGenerator),
        r.resolve(TOKENS.Clock),
        config.jwtTtlSeconds,
      ),
  );
  c.single(TOKENS.Logout, (r) => new Logout(r.resolve(TOKENS.SessionRepository), r.resolve(TOKENS.SessionNotifier), r.resolve(TOKENS.Clock)));
  c.single(
    TOKENS.Authenticate,
    (r) => new Authenticate(r.resolve(TOKENS.TokenService), r.resolve(TOKENS.SessionRepository), r.resolve(TOKENS.Clock)),
  );
  c.single(TOKENS.GetCurrentUser, (r) => new GetCurrentUser(r.resolve(TOKENS.UserRepository)));
  c.single(TOKENS.AddHistory, (r) => new AddHistory(r.resolve(TOKENS.MeetingHistoryRepository), r.resolve(TOKENS.IdGenerator), r.resolve(TOKENS.Clock)));
  c.single(TOKENS.GetHistory, (r) => new GetHistory(r.resolve(TOKENS.MeetingHistoryRepository)));
  // Stays are written as a side effect of leaving calls: a failed write is logged rather than failing the leave.
  c.single(TOKENS.AttendanceRepository, (r) => new LoggingAttendanceRepository(r.resolve(TOKENS.Persistence).attendance, logger));
  c.single(TOKENS.GetAttendance, (r) => new GetAttendance(r.resolve(TOKENS.AttendanceRepository)));

  const calls = config.calls;
  const media: MediaSettings = {
    mode: config.media.mode,
    sfuFrom: config.media.sfuFrom,
    capacity: { mesh: calls.maxParticipants, sfu: config.media.maxSfuParticipants },
  };
  c.single(TOKENS.MediaServerPool, (r) => r.resolve(TOKENS.MediaServers).pool);
  c.single(TOKENS.SocketServer, (r) => createSocketServer(r.resolve(TOKENS.OriginPolicy), r.resolve(TOKENS.LiveState).socketAdapter));
  c.single(TOKENS.CallStore, (r) => r.resolve(TOKENS.LiveState).rooms);
  // One object delivers call events and routes signals: both follow the same rooms.
  c.single(
    TOKENS.SocketIoCallNotifier,
    (r) => new SocketIoCallNotifier(r.resolve(TOKENS.SocketServer)),
  );
  c.single(TOKENS.CallNotifier, (r) => r.resolve(TOKENS.SocketIoCallNotifier));
  c.single(TOKENS.SignalRouter, (r) => r.resolve(TOKENS.SocketIoCallNotifier));
  c.single(TOKENS.SessionNotifier, (r) => new SocketIoSessionNotifier(r.resolve(TOKENS.SocketServer)));
  c.single(
    TOKENS.LeaveCall,
    (r) => new LeaveCall(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.AttendanceRepository), r.resolve(TOKENS.MediaServerPool)),
  );
  c.single(
    TOKENS.SweepDeadNodes,
    (r) => new SweepDeadNodes(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.AttendanceRepository), r.resolve(TOKENS.MediaServerPool)),
  );
  c.single(
    TOKENS.KickParticipant,
    (r) => new KickParticipant(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.AttendanceRepository), r.resolve(TOKENS.MediaServerPool)),
  );
  c.single(TOKENS.MuteParticipant, (r) => new MuteParticipant(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.MediaServerPool)));
  c.single(TOKENS.SetCallOptions, (r) => new SetCallOptions(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier)));
  c.single(TOKENS.TransferHost, (r) => new TransferHost(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier)));
  c.single(
    TOKENS.EndCall,
    (r) => new EndCall(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.AttendanceRepository), r.resolve(TOKENS.MediaServerPool)),
  );
  c.single(TOKENS.LiftBan, (r) => new LiftBan(r.resolve(TOKENS.CallStore)));
  c.single(
    TOKENS.AdmitParticipant,
    (r) =>
      new AdmitParticipant(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.GetIceServers), media, r.resolve(TOKENS.MediaServerPool)),
  );
  c.single(TOKENS.DenyParticipant, (r) => new DenyParticipant(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier)));
  c.single(
    TOKENS.JoinCall,
    (r) =>
      new JoinCall(
        r.resolve(TOKENS.CallStore),
        r.resolve(TOKENS.CallNotifier),
        r.resolve(TOKENS.MeetingRepository),
        r.resolve(TOKENS.AttendanceRepository),
        r.resolve(TOKENS.SecretGenerator),
        media,
        r.resolve(TOKENS.MediaServerPool),
      ),
  );
  c.single(TOKENS.PublishMedia, (r) => new PublishMedia(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.MediaServerPool)));
  c.single(TOKENS.SubscribeMedia, (r) => new SubscribeMedia(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.MediaServerPool), r.resolve(TOKENS.CallNotifier)));
  c.single(TOKENS.StartSubscription, (r) => new StartSubscription(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.MediaServerPool)));
  c.single(TOKENS.TrickleMedia, (r) => new TrickleMedia(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.MediaServerPool)));
  c.single(TOKENS.ChooseLayer, (r) => new ChooseLayer(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.MediaServerPool)));
  c.single(TOKENS.SendReaction, (r) => new SendReaction(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier)));
  c.single(
    TOKENS.AnnouncePublishing,
    (r) => new AnnouncePublishing(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.MediaServerPool)),
  );
  c.single(TOKENS.AnnounceSpeaking, (r) => new AnnounceSpeaking(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier)));
  c.single(
    TOKENS.MediaServerLost,
    (r) => new MediaServerLost(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.MediaServerPool), calls.maxParticipants),
  );
  c.single(
    TOKENS.SuspendParticipant,
    (r) => new SuspendParticipant(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), calls.reconnectGraceSeconds * 1000),
  );
  c.single(TOKENS.RelaySignal, (r) => new RelaySignal(r.resolve(TOKENS.SignalRouter)));
  c.single(
    TOKENS.PostChat,
    (r) =>
      new PostChat(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.IdGenerator), {
        historyLimit: calls.chatHistoryLimit,
      }),
  );
  c.single(TOKENS.UpdateMediaState, (r) => new UpdateMediaState(r.resolve(TOKENS.CallStore), r.resolve(TOKENS.CallNotifier)));
  c.single(TOKENS.GetIceServers, (r) => new GetIceServers(iceServerSettings(config.ice, r.resolve(TOKENS.Clock)), r.resolve(TOKENS.IdGenerator)));
  // In this process's memory even in cluster mode (src/main/live-state.ts could hand out a Redis one): a client whose
  // requests land on n nodes gets n budgets, enough of a bound for an answer that costs one HMAC.
  c.single(TOKENS.IceServersLimiter, () => new RateLimiterMemory({ keyPrefix: 'ice-servers', points: config.ice.rateLimitPerMinute, duration: 60 }));
  // Per node like the one above.
  c.single(
    TOKENS.MeetingLookupLimiter,
    () => new RateLimiterMemory({ keyPrefix: 'meeting-lookup', points: config.meetings.lookupRateLimitPerMinute, duration: 60 }),
  );

  c.single(TOKENS.MeetingRepository, (r) => r.resolve(TOKENS.Persistence).meetings);
  c.single(TOKENS.MeetingCodeGenerator, () => new CryptoMeetingCodeGenerator());
  c.single(
    TOKENS.CreateMeeting,
    (r) => new CreateMeeting(r.resolve(TOKENS.MeetingRepository), r.resolve(TOKENS.MeetingCodeGenerator), r.resolve(TOKENS.Clock), r.resolve(TOKENS.CallStore)),
  );
  c.single(TOKENS.GetMeeting, (r) => new GetMeeting(r.resolve(TOKENS.MeetingRepository), r.resolve(TOKENS.CallStore)));
  c.single(TOKENS.ListMyMeetings, (r) => new ListMyMeetings(r.resolve(TOKENS.MeetingRepository)));

  // What the Socket.IO gateway runs: one bundle, so a new socket event is one more entry here.
  c.single(TOKENS.RealtimeUseCases, (r) => ({
    authenticate: r.resolve(TOKENS.Authenticate),
    getCurrentUser: r.resolve(TOKENS.GetCurrentUser),
    joinCall: r.resolve(TOKENS.JoinCall),
    relaySignal: r.resolve(TOKENS.RelaySignal),
    postChat: r.resolve(TOKENS.PostChat),
    updateMediaState: r.resolve(TOKENS.UpdateMediaState),
    leaveCall: r.resolve(TOKENS.LeaveCall),
    suspendParticipant: r.resolve(TOKENS.SuspendParticipant),
    kickParticipant: r.resolve(TOKENS.KickParticipant),
    muteParticipant: r.resolve(TOKENS.MuteParticipant),
    setCallOptions: r.resolve(TOKENS.SetCallOptions),
    transferHost: r.resolve(TOKENS.TransferHost),
    endCall: r.resolve(TOKENS.EndCall),
    liftBan: r.resolve(TOKENS.LiftBan),
    getIceServers: r.resolve(TOKENS.GetIceServers),
    publishMedia: r.resolve(TOKENS.PublishMedia),
    subscribeMedia: r.resolve(TOKENS.SubscribeMedia),
    startSubscription: r.resolve(TOKENS.StartSubscription),
    trickleMedia: r.resolve(TOKENS.TrickleMedia),
    chooseLayer: r.resolve(TOKENS.ChooseLayer),
    sendReaction: r.resolve(TOKENS.SendReaction),
    admitParticipant: r.resolve(TOKENS.AdmitParticipant),
    denyParticipant: r.resolve(TOKENS.DenyParticipant),
  }));

  c.single(TOKENS.Metrics, (r) => {
    const access = metricsAccess({ ...config.metrics, production: config.env === 'production' });
    if (!access) return null;
    const io = r.resolve(TOKENS.SocketServer);
    return { metrics: new PrometheusMetrics(() => localCallCounts(io)), access };
  });
  return c;
}
