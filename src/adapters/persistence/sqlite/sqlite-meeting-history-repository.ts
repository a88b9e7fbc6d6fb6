import type { MeetingHistoryRepository } from '../../../application/ports/meeting-history-repository';
import type { MeetingHistoryEntry } from '../../../domain/meeting-history';
import type { SqliteDatabase } from './sqlite-database';

interface HistoryRow {
  id: string;
  user_id: string;
  meeting_code: string;
  date: number;
}

export class SqliteMeetingHistoryRepository implements MeetingHistoryRepository {
  private readonly insert;
  private readonly selectByUser;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO meeting_history (id, user_id, meeting_code, date) VALUES (?, ?, ?, ?)');
    this.selectByUser = db.prepare<[string, number], HistoryRow>(
      'SELECT id, user_id, meeting_code, date FROM meeting_history WHERE user_id = ? ORDER BY date DESC, seq DESC LIMIT ?',
    );
  }

  async add(entry: MeetingHistoryEntry): Promise<void> {
    this.insert.run(entry.id, entry.userId, entry.meetingCode, entry.date.getTime());
  }

  async listByUser(userId: string, limit: number): Promise<MeetingHistoryEntry[]> {
    return this.selectByUser.all(userId, limit).map((row) => ({
      id: row.id,
      userId: row.user_id,
      meetingCode: row.meeting_code,
      date: new Date(row.date),
    }));
  }
}
