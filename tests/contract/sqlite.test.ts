import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabaseHealth } from '../../src/adapters/persistence/sqlite/sqlite-database-health';
import { openSqliteDatabase, type SqliteDatabase } from '../../src/adapters/persistence/sqlite/sqlite-database';
import { SqliteMeetingHistoryRepository } from '../../src/adapters/persistence/sqlite/sqlite-meeting-history-repository';
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
    expect(second.pragma('user_version', { simple: true })).toBe(1);
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((await new SqliteUserRepository(second).findByUsername('ANN'))?.id).toBe('u1');
    second.close();
  });

  it('reports unhealthy once the database is closed', async () => {
    const db = openSqliteDatabase(join(dir, 'closed.db'));
    db.close();
    expect(await new SqliteDatabaseHealth(db).isHealthy()).toBe(false);
  });
});
