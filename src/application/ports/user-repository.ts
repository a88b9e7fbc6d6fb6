import type { User } from '../../domain/user';

/**
 * Stores accounts. Usernames are unique case-insensitively.
 * add: throws DomainError USERNAME_TAKEN when the username (any case) exists.
 * findById / findByUsername: null when missing; findByUsername ignores case.
 */
export interface UserRepository {
  add(user: User): Promise<void>;
  findById(id: string): Promise<User | null>;
  findByUsername(username: string): Promise<User | null>;
}
