import type { AttendanceRepository } from '../../../application/ports/attendance-repository';
import type { AttendanceRecord } from '../../../domain/attendance';
import type { SqliteDatabase } from './sqlite-database';

interface AttendanceRow {
  user_id: string;
  meeting_code: string;
  joined_at: number;
  left_at: number;
}

export class SqliteAttendanceRepository implements AttendanceRepository {
  private readonly insert;
  private readonly selectForUser;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO attendance (user_id, meeting_code, joined_at, left_at) VALUES (?, ?, ?, ?)');
    this.selectForUser = db.prepare<[string, number], AttendanceRow>(
      'SELECT user_id, meeting_code, joined_at, left_at FROM attendance WHERE user_id = ? ORDER BY joined_at DESC, left_at DESC, seq DESC LIMIT ?',
    );
  }

  async add(record: AttendanceRecord): Promise<void> {
    this.insert.run(record.userId, record.meetingCode, record.joinedAt.getTime(), record.leftAt.getTime());
  }

  async listForUser(userId: string, limit: number): Promise<AttendanceRecord[]> {
    return this.selectForUser.all(userId, limit).map((row) => ({
      userId: row.user_id,
      meetingCode: row.meeting_code,
      joinedAt: new Date(row.joined_at),
      leftAt: new Date(row.left_at),
    }));
  }
}
