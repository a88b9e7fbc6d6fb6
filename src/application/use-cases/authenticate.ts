import { DomainError } from '../../domain/errors';
import type { Clock } from '../ports/clock';
import type { SessionRepository } from '../ports/session-repository';
import type { TokenService } from '../ports/token-service';

export interface AuthenticateInput {
  token: string | undefined;
}

export interface Principal {
  userId: string;
  sessionId: string;
  /** When the session stops being valid: a long-lived connection must end then. */
  expiresAt: Date;
}

/** A token is accepted only with a valid signature, unexpired, and a session still active. */
export class Authenticate {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: AuthenticateInput): Promise<Principal> {
    const claims = input.token ? await this.tokens.verify(input.token) : null;
    if (!claims) throw unauthenticated();
    const session = await this.sessions.findActive(claims.sessionId, this.clock.now());
    if (!session || session.userId !== claims.userId) throw unauthenticated();
    return { userId: session.userId, sessionId: session.id, expiresAt: session.expiresAt };
  }
}

function unauthenticated(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'A valid session token is required');
}
