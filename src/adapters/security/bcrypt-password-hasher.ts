import bcrypt from 'bcrypt';
import type { PasswordHasher } from '../../application/ports/password-hasher';
import { Semaphore } from './semaphore';

/**
 * bcrypt's share of libuv's thread pool. Token verification (jose → WebCrypto HMAC) runs on the same pool;
 * two threads kept out of bcrypt's reach mean a login storm cannot make every authenticated request wait.
 */
export function bcryptConcurrency(threadPoolSize: number): number {
  return Math.max(1, threadPoolSize - 2);
}

export class BcryptPasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | undefined;
  private readonly slots: Semaphore;

  constructor(
    private readonly rounds: number,
    maxConcurrent: number,
  ) {
    this.slots = new Semaphore(maxConcurrent);
  }

  hash(plain: string): Promise<string> {
    return this.slots.run(() => bcrypt.hash(plain, this.rounds));
  }

  async verify(plain: string, hash: string | null): Promise<boolean> {
    if (hash !== null) return this.slots.run(() => bcrypt.compare(plain, hash));
    // Same cost as a real comparison so a missing user is not revealed by timing.
    this.dummyHash ??= this.hash('timing-equaliser-not-a-password');
    const dummy = await this.dummyHash;
    await this.slots.run(() => bcrypt.compare(plain, dummy));
    return false;
  }
}
