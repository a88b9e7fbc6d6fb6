import { createHmac } from 'node:crypto';
import type { Clock } from '../../application/ports/clock';
import type { TurnCredential, TurnCredentialIssuer } from '../../application/ports/turn-credential-issuer';

/**
 * coturn's TURN REST scheme (`use-auth-secret`): the username is `<unix expiry>:<subject>` and the password is
 * base64(HMAC-SHA1(shared secret, username)), so the TURN server checks both without asking this service.
 */
export class HmacTurnCredentialIssuer implements TurnCredentialIssuer {
  constructor(
    private readonly options: { secret: string; ttlSeconds: number },
    private readonly clock: Clock,
  ) {}

  async issue(subject: string): Promise<TurnCredential> {
    const expiry = Math.floor(this.clock.now().getTime() / 1000) + this.options.ttlSeconds;
    const username = `${expiry}:${subject}`;
    const credential = createHmac('sha1', this.options.secret).update(username).digest('base64');
    return { username, credential };
  }
}
