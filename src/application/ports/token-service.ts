export interface TokenClaims {
  userId: string;
  sessionId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * Signs and checks bearer tokens.
 * verify: null for any token that is malformed, tampered, expired, unsigned or
 * signed for another issuer/audience; never throws for bad input.
 */
export interface TokenService {
  issue(claims: TokenClaims): Promise<string>;
  verify(token: string): Promise<{ userId: string; sessionId: string } | null>;
}
