import type { AttendanceRecord } from '../../domain/attendance';

/**
 * Stores the calls each logged-in user attended, one record per stay.
 * add: stores the record; records are never changed or removed.
 * listForUser: at most `limit` records of that user, newest first: by joinedAt, then by leftAt, both descending;
 *   [] when none.
 */
export interface AttendanceRepository {
  add(record: AttendanceRecord): Promise<void>;
  listForUser(userId: string, limit: number): Promise<AttendanceRecord[]>;
}
