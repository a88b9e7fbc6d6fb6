import { jwtVerify, SignJWT } from 'jose';
import type { TokenClaims, TokenService } from '../../application/ports/token-service';
import type { Clock } from '../../application/ports/clock';

export interface JoseTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
}

export class JoseTokenService implements TokenService {
  private readonly key: Uint8Array;

  constructor(
    private readonly options: JoseTokenOptions,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(options.secret);
  }

  issue(claims: TokenClaims): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setJti(claims.sessionId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(toSeconds(claims.issuedAt))
      .setExpirationTime(toSeconds(claims.expiresAt))
      .sign(this.key);
  }

  async verify(token: string): Promise<{ userId: string; sessionId: string } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        currentDate: this.clock.now(),
      });
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string') return null;
      return { userId: payload.sub, sessionId: payload.jti };
    } catch {
      return null;
    }
  }
}

function toSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
