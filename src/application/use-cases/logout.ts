import type { Clock } from '../ports/clock';
import type { SessionRepository } from '../ports/session-repository';

export interface LogoutInput {
  sessionId: string;
}

export class Logout {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: LogoutInput): Promise<void> {
    await this.sessions.revoke(input.sessionId, this.clock.now());
  }
}
