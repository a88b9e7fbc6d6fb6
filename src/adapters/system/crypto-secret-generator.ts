import { randomBytes } from 'node:crypto';
import type { SecretGenerator } from '../../application/ports/secret-generator';

/** 192 random bits as base64url (32 characters). */
export class CryptoSecretGenerator implements SecretGenerator {
  next(): string {
    return randomBytes(24).toString('base64url');
  }
}
