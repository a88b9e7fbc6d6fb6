import type { MeetingRepository } from '../../../application/ports/meeting-repository';
import { meetingCodeTaken, type Meeting } from '../../../domain/meeting';
import { storedMediaMode } from '../../../domain/media-path';
import type { SqliteDatabase } from './sqlite-database';

interface MeetingRow {
  code: string;
  title: string;
  owner_id: string;
  lobby: number;
  media: string;
  created_at: number;
}

export class SqliteMeetingRepository implements MeetingRepository {
  private readonly insert;
  private readonly selectByCode;
  private readonly selectByOwner;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      'INSERT INTO meetings (code, title, owner_id, lobby, media, created_at) VALUES (@code, @title, @ownerId, @lobby, @media, @createdAt)',
    );
    this.selectByCode = db.prepare<[string], MeetingRow>('SELECT * FROM meetings WHERE code = ?');
    this.selectByOwner = db.prepare<[string, number], MeetingRow>(
      'SELECT * FROM meetings WHERE owner_id = ? ORDER BY created_at DESC, code DESC LIMIT ?',
    );
  }

  async add(meeting: Meeting): Promise<void> {
    try {
      this.insert.run({
        code: meeting.code,
        title: meeting.title,
        ownerId: meeting.ownerId,
        lobby: meeting.lobby ? 1 : 0,
        media: meeting.media,
        createdAt: meeting.createdAt.getTime(),
      });
    } catch (error) {
      if (isPrimaryKeyViolation(error)) throw meetingCodeTaken();
      throw error;
    }
  }

  async findByCode(code: string): Promise<Meeting | null> {
    const row = this.selectByCode.get(code);
    return row ? toMeeting(row) : null;
  }

  async listByOwner(ownerId: string, limit: number): Promise<Meeting[]> {
    return this.selectByOwner.all(ownerId, limit).map(toMeeting);
  }
}

function toMeeting(row: MeetingRow): Meeting {
  return { code: row.code, title: row.title, ownerId: row.owner_id, lobby: row.lobby === 1, media: storedMediaMode(row.media), createdAt: new Date(row.created_at) };
}

function isPrimaryKeyViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
