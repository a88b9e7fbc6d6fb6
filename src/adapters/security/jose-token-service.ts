import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { TokenClaims, TokenService } from '../../application/ports/token-service';
import type { Clock } from '../../application/ports/clock';

export interface JoseTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
  /** How many verified tokens are remembered, most recently used first; 0 remembers none. */
  cachedTokens?: number;
}

/** A token this service verified: its claims, good until its `exp` by the service's clock. */
interface Verified {
  userId: string;
  sessionId: string;
  expiresAtMs: number;
}

const DEFAULT_CACHED_TOKENS = 10_000;

/**
 * HS256 tokens. A token's signature is checked once: the claims of a verified token are remembered (a bounded LRU
 * keyed by the whole token, so a changed byte is another key) until its `exp`, never longer. Verifying is nearly all
 * the cost of an authenticated request, and the same token comes back with every request of its session; revocation
 * does not depend on this cache, since the session is still looked up on each request (Authenticate).
 */
export class JoseTokenService implements TokenService {
  private readonly key: Uint8Array;
  private readonly verified: LRUCache<string, Verified> | null;

  constructor(
    private readonly options: JoseTokenOptions,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(options.secret);
    const max = options.cachedTokens ?? DEFAULT_CACHED_TOKENS;
    this.verified = max > 0 ? new LRUCache<string, Verified>({ max }) : null;
  }

  /** How many verified tokens are remembered now. */
  get cachedTokens(): number {
    return this.verified?.size ?? 0;
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
    const nowMs = this.clock.now().getTime();
    const known = this.verified?.get(token);
    if (known) {
      if (known.expiresAtMs > nowMs) return { userId: known.userId, sessionId: known.sessionId };
      this.verified?.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        currentDate: this.clock.now(),
      });
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return null;
      this.verified?.set(token, { userId: payload.sub, sessionId: payload.jti, expiresAtMs: payload.exp * 1000 });
      return { userId: payload.sub, sessionId: payload.jti };
    } catch {
      return null;
    }
  }
}

function toSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
