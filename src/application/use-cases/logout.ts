import type { Clock } from '../ports/clock';
import type { SessionNotifier } from '../ports/session-notifier';
import type { SessionRepository } from '../ports/session-repository';

export interface LogoutInput {
  sessionId: string;
}

/** Revokes the session and ends its live connections, so a socket opened with the token stops working too. */
export class Logout {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly live: SessionNotifier,
    private readonly clock: Clock,
  ) {}

  async execute(input: LogoutInput): Promise<void> {
    await this.sessions.revoke(input.sessionId, this.clock.now());
    this.live.sessionEnded(input.sessionId, 'logout');
  }
}
