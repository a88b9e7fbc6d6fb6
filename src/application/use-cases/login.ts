import { DomainError } from '../../domain/errors';
import { Password } from '../../domain/password';
import { toPublicUser, type PublicUser } from '../../domain/user';
import { Username } from '../../domain/username';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { LoginThrottle } from '../ports/login-throttle';
import type { PasswordHasher } from '../ports/password-hasher';
import type { SessionRepository } from '../ports/session-repository';
import type { TokenService } from '../ports/token-service';
import type { UserRepository } from '../ports/user-repository';

export interface LoginInput {
  username: string;
  password: string;
  /** Who is trying (the client address); attempts are throttled per client and username, and per client. */
  clientKey: string;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: PublicUser;
}

export class Login {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly sessionTtlSeconds: number,
  ) {}

  async execute(input: LoginInput): Promise<LoginResult> {
    const keys = { address: input.clientKey, account: `${input.clientKey}|${Username.key(input.username)}` };
    // Charged before the comparison, so however many attempts arrive at once, no more than the budget are compared.
    const waitSeconds = await this.throttle.charge(keys);
    if (waitSeconds !== null) {
      throw new DomainError('RATE_LIMITED', 'Too many failed logins; try again later', undefined, waitSeconds);
    }

    const user = await this.users.findByUsername(input.username);
    const acceptable = Password.problem(input.password) === null;
    // Always one bcrypt comparison, whether or not the user exists.
    const matches = await this.hasher.verify(input.password, user && acceptable ? user.passwordHash : null);
    if (!user || !matches) throw new DomainError('INVALID_CREDENTIALS', 'Invalid username or password');
    await this.throttle.succeeded(keys);

    const issuedAt = this.clock.now();
    const expiresAt = new Date(issuedAt.getTime() + this.sessionTtlSeconds * 1000);
    const session = { id: this.ids.next(), userId: user.id, createdAt: issuedAt, expiresAt, revokedAt: null };
    await this.sessions.add(session);
    const token = await this.tokens.issue({ userId: user.id, sessionId: session.id, issuedAt, expiresAt });
    return { token, expiresAt, user: toPublicUser(user) };
  }
}
