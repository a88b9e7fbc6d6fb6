import { InMemoryAttendanceRepository } from '../../../src/adapters/persistence/memory/in-memory-attendance-repository';
import { GetAttendance } from '../../../src/application/use-cases/get-attendance';
import { Attendance } from '../../../src/domain/attendance';
import { expectCode } from '../../support/errors';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
const stay = (meetingCode: string, joined: number, left: number, userId = 'u1') => ({ userId, meetingCode, joinedAt: at(joined), leftAt: at(left) });

describe('Attendance', () => {
  it('counts whole seconds from join to leave', () => {
    expect(Attendance.durationSeconds({ ...stay('c', 0, 0), leftAt: new Date(at(90).getTime() + 999) })).toBe(90);
    expect(Attendance.durationSeconds(stay('c', 5, 5))).toBe(0);
  });

  it('never puts a leave before its join (two nodes’ clocks may disagree), and keeps one that is not', () => {
    expect(Attendance.of(stay('c', 10, 9))).toEqual(stay('c', 10, 10));
    expect(Attendance.of(stay('c', 10, 12))).toEqual(stay('c', 10, 12));
  });
});

describe('GetAttendance', () => {
  async function withRecords(count: number) {
    const repository = new InMemoryAttendanceRepository();
    for (let i = 0; i < count; i += 1) await repository.add(stay(`m${i}`, i * 10, i * 10 + 5));
    await repository.add(stay('theirs', 10_000, 10_001, 'u2'));
    return new GetAttendance(repository);
  }

  it('lists a user’s own records newest first, 20 unless asked for fewer or more', async () => {
    const get = await withRecords(25);
    const all = await get.execute({ userId: 'u1' });
    expect(all).toHaveLength(20);
    expect(all.slice(0, 2)).toEqual([stay('m24', 240, 245), stay('m23', 230, 235)]);
    expect((await get.execute({ userId: 'u1', limit: 2 })).map((r) => r.meetingCode)).toEqual(['m24', 'm23']);
    expect(await get.execute({ userId: 'u1', limit: 100 })).toHaveLength(25);
  });

  it('refuses a limit outside 1..100', async () => {
    const get = await withRecords(1);
    await expectCode(get.execute({ userId: 'u1', limit: 0 }), 'VALIDATION_FAILED');
    await expectCode(get.execute({ userId: 'u1', limit: 101 }), 'VALIDATION_FAILED');
    await expectCode(get.execute({ userId: 'u1', limit: 1.5 }), 'VALIDATION_FAILED');
  });
});
