import type { AttendanceRepository } from '../../application/ports/attendance-repository';
import type { AttendanceRecord } from '../../domain/attendance';

export interface AttendanceFailureLog {
  error(obj: object, msg: string): void;
}

/**
 * Any AttendanceRepository, whose failed writes are logged instead of thrown. A stay is recorded as a side effect
 * of leaving a call, after the leave has happened and been announced: a database that is away must not turn a
 * join, a leave or a dead-node sweep that succeeded into a failure (nor lose the sweep's news that this node was
 * evicted). Reads fail as usual.
 */
export class LoggingAttendanceRepository implements AttendanceRepository {
  constructor(
    private readonly inner: AttendanceRepository,
    private readonly log: AttendanceFailureLog,
  ) {}

  async add(record: AttendanceRecord): Promise<void> {
    try {
      await this.inner.add(record);
    } catch (error) {
      this.log.error({ err: error, attendance: record }, 'attendance not recorded');
    }
  }

  listForUser(userId: string, limit: number): Promise<AttendanceRecord[]> {
    return this.inner.listForUser(userId, limit);
  }
}
