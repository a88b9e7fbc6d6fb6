import type { UserRepository } from '../../../application/ports/user-repository';
import { DomainError } from '../../../domain/errors';
import type { User } from '../../../domain/user';
import { Username } from '../../../domain/username';

export class InMemoryUserRepository implements UserRepository {
  private readonly byId = new Map<string, User>();
  private readonly idByKey = new Map<string, string>();

  async add(user: User): Promise<void> {
    const key = Username.key(user.username);
    if (this.idByKey.has(key)) throw new DomainError('USERNAME_TAKEN', 'That username is already taken');
    this.byId.set(user.id, { ...user });
    this.idByKey.set(key, user.id);
  }

  async findById(id: string): Promise<User | null> {
    const user = this.byId.get(id);
    return user ? { ...user } : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const id = this.idByKey.get(Username.key(username));
    return id ? this.findById(id) : null;
  }
}
