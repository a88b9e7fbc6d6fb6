import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteAttendanceRepository } from '../../src/adapters/persistence/sqlite/sqlite-attendance-repository';
import { SqliteDatabaseHealth } from '../../src/adapters/persistence/sqlite/sqlite-database-health';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/adapters/persistence/sqlite/sqlite-database';
import { MIGRATIONS } from '../../src/adapters/persistence/sqlite/migrations';
import { SqliteMeetingHistoryRepository } from '../../src/adapters/persistence/sqlite/sqlite-meeting-history-repository';
import { SqliteMeetingRepository } from '../../src/adapters/persistence/sqlite/sqlite-meeting-repository';
import { SqliteSessionRepository } from '../../src/adapters/persistence/sqlite/sqlite-session-repository';
import { SqliteUserRepository } from '../../src/adapters/persistence/sqlite/sqlite-user-repository';
import { persistenceContract } from './persistence.contract';

describe('SQLite persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meet-sqlite-'));
  const open: SqliteDatabase[] = [];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  persistenceContract(
    async () => {
      const db = openSqliteDatabase(join(dir, `${open.length}.db`));
      open.push(db);
      return {
        users: new SqliteUserRepository(db),
        sessions: new SqliteSessionRepository(db),
        history: new SqliteMeetingHistoryRepository(db),
        attendance: new SqliteAttendanceRepository(db),
        meetings: new SqliteMeetingRepository(db),
        health: new SqliteDatabaseHealth(db),
      };
    },
    async () => {
      open.at(-1)?.close();
    },
  );

  it('reopening a file keeps its data and does not re-run migrations', async () => {
    const file = join(dir, 'reopen.db');
    const first = openSqliteDatabase(file);
    await new SqliteUserRepository(first).add({ id: 'u1', name: 'A', username: 'ann', passwordHash: 'h', createdAt: new Date(0) });
    first.close();
    const second = openSqliteDatabase(file);
    expect(second.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((await new SqliteUserRepository(second).findByUsername('ANN'))?.id).toBe('u1');
    second.close();
  });

  it('upgrades a database of the first release in place: its users stay, meetings can be stored, attendance can be recorded', async () => {
    const file = join(dir, 'first-release.db');
    const old = new Database(file);
    old.exec(MIGRATIONS[0] ?? '');
    old.pragma('user_version = 1');
    await new SqliteUserRepository(old).add({ id: 'u1', name: 'A', username: 'ann', passwordHash: 'h', createdAt: new Date(0) });
    old.close();
    const upgraded = openSqliteDatabase(file);
    expect(upgraded.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect((await new SqliteUserRepository(upgraded).findById('u1'))?.username).toBe('ann');
    const meetings = new SqliteMeetingRepository(upgraded);
    await meetings.add({ code: 'standup', title: '', ownerId: 'u1', lobby: false, media: 'sfu', createdAt: new Date(0) });
    expect(await meetings.findByCode('standup')).toMatchObject({ ownerId: 'u1', media: 'sfu' });
    const stay = { userId: 'u1', meetingCode: 'c1', joinedAt: new Date(1000), leftAt: new Date(5000) };
    await new SqliteAttendanceRepository(upgraded).add(stay);
    expect(await new SqliteAttendanceRepository(upgraded).listForUser('u1', 1)).toEqual([stay]);
    upgraded.close();
  });

  it('reads the meetings of a database from before media modes as auto', async () => {
    const file = join(dir, 'before-media.db');
    const old = new Database(file);
    for (const migration of MIGRATIONS.slice(0, 3)) old.exec(migration);
    old.pragma('user_version = 3');
    old.prepare("INSERT INTO meetings (code, title, owner_id, lobby, created_at) VALUES ('standup', '', 'u1', 1, 0)").run();
    old.close();
    const upgraded = openSqliteDatabase(file);
    expect(await new SqliteMeetingRepository(upgraded).findByCode('standup')).toEqual({ code: 'standup', title: '', ownerId: 'u1', lobby: true, media: 'auto', createdAt: new Date(0) });
    upgraded.close();
  });

  it('reports unhealthy once the database is closed', async () => {
    const db = openSqliteDatabase(join(dir, 'closed.db'));
    db.close();
    expect(await new SqliteDatabaseHealth(db).isHealthy()).toBe(false);
  });
});
