import type { SessionRepository } from '../../../application/ports/session-repository';
import { isSessionActive, type Session } from '../../../domain/session';

export class InMemorySessionRepository implements SessionRepository {
  private readonly sessions = new Map<string, Session>();

  async add(session: Session): Promise<void> {
    this.sessions.set(session.id, { ...session });
  }

  async findActive(id: string, now: Date): Promise<Session | null> {
    const session = this.sessions.get(id);
    return session && isSessionActive(session, now) ? { ...session } : null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    const session = this.sessions.get(id);
    if (session && session.revokedAt === null) session.revokedAt = at;
  }

  async deleteExpired(now: Date): Promise<number> {
    let deleted = 0;
    for (const [id, session] of this.sessions) {
      if (session.expiresAt.getTime() <= now.getTime()) {
        this.sessions.delete(id);
        deleted += 1;
      }
    }
    return deleted;
  }
}
