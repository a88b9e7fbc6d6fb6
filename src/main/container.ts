import 'reflect-metadata';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import type { Logger } from 'pino';
import { BcryptPasswordHasher, bcryptConcurrency } from '../adapters/security/bcrypt-password-hasher';
import { JoseTokenService } from '../adapters/security/jose-token-service';
import { RateLimiterFlexibleLoginThrottle } from '../adapters/security/rate-limiter-login-throttle';
import { CryptoIdGenerator } from '../adapters/system/crypto-id-generator';
import { SystemClock } from '../adapters/system/system-clock';
import { AddHistory } from '../application/use-cases/add-history';
import { Authenticate } from '../application/use-cases/authenticate';
import { GetCurrentUser } from '../application/use-cases/get-current-user';
import { GetHistory } from '../application/use-cases/get-history';
import { Login } from '../application/use-cases/login';
import { Logout } from '../application/use-cases/logout';
import { RegisterUser } from '../application/use-cases/register-user';
import { InMemoryRoomStore } from '../adapters/persistence/memory/in-memory-room-store';
import { SocketIoCallNotifier } from '../adapters/realtime/socket-io-call-notifier';
import { JoinCall } from '../application/use-cases/join-call';
import { LeaveCall } from '../application/use-cases/leave-call';
import { PostChat } from '../application/use-cases/post-chat';
import { RelaySignal } from '../application/use-cases/relay-signal';
import { UpdateMediaState } from '../application/use-cases/update-media-state';
import type { Config } from '../config/env';
import { resolveJwtSecret } from './jwt-secret';
import { openPersistence, type Persistence } from './persistence';
import { TOKENS } from './tokens';

export const JWT_ISSUER = 'meet-backend';
export const JWT_AUDIENCE = 'meet-clients';

/** Registers every adapter and use case for this config in a fresh child container. */
export function buildContainer(config: Config, logger: Logger): DependencyContainer {
  const c = rootContainer.createChildContainer();
  const cached = <T>(make: (c: DependencyContainer) => T) => ({ useFactory: instanceCachingFactory(make) });

  c.register(TOKENS.Config, { useValue: config });
  c.register(TOKENS.Logger, { useValue: logger });
  c.register(TOKENS.Clock, { useValue: new SystemClock() });
  c.register(TOKENS.IdGenerator, { useValue: new CryptoIdGenerator() });

  c.register(TOKENS.Persistence, cached(() => openPersistence(config, logger)));
  c.register(TOKENS.UserRepository, cached((r) => r.resolve<Persistence>(TOKENS.Persistence).users));
  c.register(TOKENS.SessionRepository, cached((r) => r.resolve<Persistence>(TOKENS.Persistence).sessions));
  c.register(TOKENS.MeetingHistoryRepository, cached((r) => r.resolve<Persistence>(TOKENS.Persistence).history));
  c.register(TOKENS.DatabaseHealth, cached((r) => r.resolve<Persistence>(TOKENS.Persistence).health));

  c.register(TOKENS.PasswordHasher, cached(() => new BcryptPasswordHasher(config.bcryptRounds, bcryptConcurrency(config.threadPoolSize))));
  c.register(
    TOKENS.TokenService,
    cached(
      (r) =>
        new JoseTokenService(
          { secret: resolveJwtSecret(config), issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
          r.resolve(TOKENS.Clock),
        ),
    ),
  );
  c.register(
    TOKENS.LoginThrottle,
    cached(
      () =>
        new RateLimiterFlexibleLoginThrottle({
          perAccount: new RateLimiterMemory({ keyPrefix: 'login-account', points: config.loginMaxFailures, duration: config.loginWindowSeconds }),
          perAddress: new RateLimiterMemory({ keyPrefix: 'login-address', points: config.loginMaxFailuresPerAddress, duration: config.loginWindowSeconds }),
        }),
    ),
  );

  c.register(
    TOKENS.RegisterUser,
    cached((r) => new RegisterUser(r.resolve(TOKENS.UserRepository), r.resolve(TOKENS.PasswordHasher), r.resolve(TOKENS.IdGenerator), r.resolve(TOKENS.Clock))),
  );
  c.register(
    TOKENS.Login,
    cached(
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
    ),
  );
  c.register(TOKENS.Logout, cached((r) => new Logout(r.resolve(TOKENS.SessionRepository), r.resolve(TOKENS.Clock))));
  c.register(
    TOKENS.Authenticate,
    cached((r) => new Authenticate(r.resolve(TOKENS.TokenService), r.resolve(TOKENS.SessionRepository), r.resolve(TOKENS.Clock))),
  );
  c.register(TOKENS.GetCurrentUser, cached((r) => new GetCurrentUser(r.resolve(TOKENS.UserRepository))));
  c.register(
    TOKENS.AddHistory,
    cached((r) => new AddHistory(r.resolve(TOKENS.MeetingHistoryRepository), r.resolve(TOKENS.IdGenerator), r.resolve(TOKENS.Clock))),
  );
  c.register(TOKENS.GetHistory, cached((r) => new GetHistory(r.resolve(TOKENS.MeetingHistoryRepository))));

  const calls = config.calls;
  c.register(TOKENS.RoomStore, cached(() => new InMemoryRoomStore(calls.chatHistoryTtlSeconds * 1000)));
  c.register(TOKENS.CallNotifier, cached(() => new SocketIoCallNotifier()));
  c.register(
    TOKENS.LeaveCall,
    cached((r) => new LeaveCall(r.resolve(TOKENS.RoomStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.Clock))),
  );
  c.register(
    TOKENS.JoinCall,
    cached(
      (r) =>
        new JoinCall(
          r.resolve(TOKENS.RoomStore),
          r.resolve(TOKENS.CallNotifier),
          r.resolve(TOKENS.Clock),
          r.resolve(TOKENS.LeaveCall),
          calls.maxParticipants,
        ),
    ),
  );
  c.register(TOKENS.RelaySignal, cached((r) => new RelaySignal(r.resolve(TOKENS.RoomStore), r.resolve(TOKENS.CallNotifier))));
  c.register(
    TOKENS.PostChat,
    cached(
      (r) =>
        new PostChat(r.resolve(TOKENS.RoomStore), r.resolve(TOKENS.CallNotifier), r.resolve(TOKENS.IdGenerator), r.resolve(TOKENS.Clock), {
          historyLimit: calls.chatHistoryLimit,
          echoToSender: calls.chatEchoSender,
        }),
    ),
  );
  c.register(
    TOKENS.UpdateMediaState,
    cached((r) => new UpdateMediaState(r.resolve(TOKENS.RoomStore), r.resolve(TOKENS.CallNotifier))),
  );
  return c;
}
