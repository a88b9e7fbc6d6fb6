import type { UserRepository } from '../../../application/ports/user-repository';
import { DomainError } from '../../../domain/errors';
import type { User } from '../../../domain/user';
import { Username } from '../../../domain/username';
import type { SqliteDatabase } from './sqlite-database';

interface UserRow {
  id: string;
  name: string;
  username: string;
  password_hash: string;
  created_at: number;
}

export class SqliteUserRepository implements UserRepository {
  private readonly insert;
  private readonly selectById;
  private readonly selectByKey;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO users (id, name, username, username_key, password_hash, created_at)
       VALUES (@id, @name, @username, @usernameKey, @passwordHash, @createdAt)`,
    );
    this.selectById = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
    this.selectByKey = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username_key = ?');
  }

  async add(user: User): Promise<void> {
    try {
      this.insert.run({
        id: user.id,
        name: user.name,
        username: user.username,
        usernameKey: Username.key(user.username),
        passwordHash: user.passwordHash,
        createdAt: user.createdAt.getTime(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('USERNAME_TAKEN', 'That username is already taken');
      throw error;
    }
  }

  async findById(id: string): Promise<User | null> {
    return toUser(this.selectById.get(id));
  }

  async findByUsername(username: string): Promise<User | null> {
    return toUser(this.selectByKey.get(Username.key(username)));
  }
}

function toUser(row: UserRow | undefined): User | null {
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    passwordHash: row.password_hash,
    createdAt: new Date(row.created_at),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') === true;
}
