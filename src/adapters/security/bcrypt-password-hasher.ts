import bcrypt from 'bcrypt';
import type { PasswordHasher } from '../../application/ports/password-hasher';

export class BcryptPasswordHasher implements PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly rounds: number) {}

  hash(plain: string): Promise<string> {
    return bcrypt.hash(plain, this.rounds);
  }

  async verify(plain: string, hash: string | null): Promise<boolean> {
    if (hash !== null) return bcrypt.compare(plain, hash);
    // Same cost as a real comparison so a missing user is not revealed by timing.
    this.dummyHash ??= bcrypt.hash('timing-equaliser-not-a-password', this.rounds);
    await bcrypt.compare(plain, await this.dummyHash);
    return false;
  }
}
