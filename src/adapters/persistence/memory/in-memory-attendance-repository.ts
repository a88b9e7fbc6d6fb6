import type { AttendanceRepository } from '../../../application/ports/attendance-repository';
import type { AttendanceRecord } from '../../../domain/attendance';

export class InMemoryAttendanceRepository implements AttendanceRepository {
  private readonly byUser = new Map<string, AttendanceRecord[]>();

  async add(record: AttendanceRecord): Promise<void> {
    const records = this.byUser.get(record.userId) ?? [];
    records.push(copy(record));
    this.byUser.set(record.userId, records);
  }

  async listForUser(userId: string, limit: number): Promise<AttendanceRecord[]> {
    return (this.byUser.get(userId) ?? [])
      .map((record, index) => ({ record, index }))
      .sort(
        (a, b) =>
          b.record.joinedAt.getTime() - a.record.joinedAt.getTime() ||
          b.record.leftAt.getTime() - a.record.leftAt.getTime() ||
          b.index - a.index,
      )
      .slice(0, limit)
      .map(({ record }) => copy(record));
  }
}

function copy(record: AttendanceRecord): AttendanceRecord {
  return { ...record, joinedAt: new Date(record.joinedAt), leftAt: new Date(record.leftAt) };
}
