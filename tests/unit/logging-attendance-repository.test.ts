import { InMemoryAttendanceRepository } from '../../src/adapters/persistence/memory/in-memory-attendance-repository';
import { LoggingAttendanceRepository } from '../../src/adapters/persistence/logging-attendance-repository';
import type { AttendanceRepository } from '../../src/application/ports/attendance-repository';
import type { AttendanceRecord } from '../../src/domain/attendance';

const record: AttendanceRecord = { userId: 'u1', meetingCode: 'c1', joinedAt: new Date(1000), leftAt: new Date(2000) };

class FailingRepository implements AttendanceRepository {
  async add(): Promise<void> {
    throw new Error('database is away');
  }
  async listForUser(): Promise<AttendanceRecord[]> {
    throw new Error('database is away');
  }
}

function logged(inner: AttendanceRepository) {
  const errors: Array<{ obj: object; msg: string }> = [];
  return { errors, repository: new LoggingAttendanceRepository(inner, { error: (obj, msg) => errors.push({ obj, msg }) }) };
}

describe('LoggingAttendanceRepository', () => {
  it('logs a failed write with its record instead of throwing it', async () => {
    const { errors, repository } = logged(new FailingRepository());
    await expect(repository.add(record)).resolves.toBeUndefined();
    expect(errors).toEqual([{ obj: { err: new Error('database is away'), attendance: record }, msg: 'attendance not recorded' }]);
  });

  it('passes writes and reads through, and lets a failed read fail', async () => {
    const { errors, repository } = logged(new InMemoryAttendanceRepository());
    await repository.add(record);
    expect(await repository.listForUser('u1', 5)).toEqual([record]);
    expect(errors).toEqual([]);
    await expect(logged(new FailingRepository()).repository.listForUser('u1', 5)).rejects.toThrow('database is away');
  });
});
