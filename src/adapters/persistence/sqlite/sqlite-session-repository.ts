import type { SessionRepository } from '../../../application/ports/session-repository';
import type { Session } from '../../../domain/session';
import type { SqliteDatabase } from './sqlite-database';

interface SessionRow {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export class SqliteSessionRepository implements SessionRepository {
  private readonly insert;
  private readonly selectActive;
  private readonly revokeOne;
  private readonly deleteBefore;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectActive = db.prepare<[string, number], SessionRow>(
      'SELECT * FROM sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?',
    );
    this.revokeOne = db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.deleteBefore = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  }

  async add(session: Session): Promise<void> {
    this.insert.run(
      session.id,
      session.userId,
      session.createdAt.getTime(),
      session.expiresAt.getTime(),
      session.revokedAt?.getTime() ?? null,
    );
  }

  async findActive(id: string, now: Date): Promise<Session | null> {
    const row = this.selectActive.get(id, now.getTime());
    if (!row) return null;
    return {
      id: row.id,
      userId: row.user_id,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
      revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    };
  }

  async revoke(id: string, at: Date): Promise<void> {
    this.revokeOne.run(at.getTime(), id);
  }

  async deleteExpired(now: Date): Promise<number> {
    return this.deleteBefore.run(now.getTime()).changes;
  }
}
