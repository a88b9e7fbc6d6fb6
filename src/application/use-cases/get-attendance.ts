import { ATTENDANCE_PAGE, type AttendanceRecord } from '../../domain/attendance';
import { assertValid } from '../../domain/errors';
import type { AttendanceRepository } from '../ports/attendance-repository';

export interface GetAttendanceInput {
  userId: string;
  limit?: number;
}

/** The calls a user attended, newest first, as the server recorded them when they left. */
export class GetAttendance {
  constructor(private readonly attendance: Pick<AttendanceRepository, 'listForUser'>) {}

  async execute(input: GetAttendanceInput): Promise<AttendanceRecord[]> {
    const limit = input.limit ?? ATTENDANCE_PAGE.defaultLimit;
    assertValid({
      limit:
        Number.isInteger(limit) && limit >= 1 && limit <= ATTENDANCE_PAGE.maxLimit
          ? null
          : `must be a whole number from 1 to ${ATTENDANCE_PAGE.maxLimit}`,
    });
    return this.attendance.listForUser(input.userId, limit);
  }
}
