/** One stay of a logged-in user in a call, recorded by the server when they left it. */
export interface AttendanceRecord {
  userId: string;
  /** The call's id. */
  meetingCode: string;
  joinedAt: Date;
  leftAt: Date;
}

export const ATTENDANCE_PAGE = { defaultLimit: 20, maxLimit: 100 };

export const Attendance = {
  /**
   * The record of a stay. Join and leave may be stamped by the clocks of two nodes (a dead node's participant is
   * taken out by another one), which can disagree a little: a leave is never put before its join.
   */
  of(input: AttendanceRecord): AttendanceRecord {
    const joinedAt = input.joinedAt.getTime();
    return { ...input, joinedAt: new Date(joinedAt), leftAt: new Date(Math.max(joinedAt, input.leftAt.getTime())) };
  },
  /** Whole seconds from join to leave. */
  durationSeconds(record: AttendanceRecord): number {
    return Math.max(0, Math.floor((record.leftAt.getTime() - record.joinedAt.getTime()) / 1000));
  },
};
