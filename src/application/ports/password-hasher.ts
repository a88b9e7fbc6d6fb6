/**
 * One-way password hashing.
 * verify(plain, null) spends the same work as a real comparison and returns false,
 * so that an unknown username cannot be told apart by timing.
 */
export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(plain: string, hash: string | null): Promise<boolean>;
}
