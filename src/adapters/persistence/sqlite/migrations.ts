/** Schema migrations, applied in order; entry N brings the database to user_version N+1. Never edit a released one. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX sessions_expires_at ON sessions (expires_at);
  CREATE TABLE meeting_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    meeting_code TEXT NOT NULL,
    date INTEGER NOT NULL
  );
  CREATE INDEX meeting_history_user_date ON meeting_history (user_id, date DESC, seq DESC);
  `,
  `
  CREATE TABLE meetings (
    code TEXT NOT NULL PRIMARY KEY,
    title TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    lobby INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX meetings_owner_created ON meetings (owner_id, created_at DESC, code DESC);
  `,
  `
  CREATE TABLE attendance (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    meeting_code TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    left_at INTEGER NOT NULL
  );
  CREATE INDEX attendance_user_joined ON attendance (user_id, joined_at DESC, left_at DESC, seq DESC);
  `,
  `
  ALTER TABLE meetings ADD COLUMN media TEXT NOT NULL DEFAULT 'auto';
  `,
  // A user's history answered from the index alone: without the columns it returns, each row cost a table lookup.
  `
  CREATE INDEX meeting_history_user_date_covering ON meeting_history (user_id, date DESC, seq DESC, meeting_code, id);
  DROP INDEX meeting_history_user_date;
  `,
];
