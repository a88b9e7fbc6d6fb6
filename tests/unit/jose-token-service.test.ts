import { SignJWT } from 'jose';
import { JoseTokenService } from '../../src/adapters/security/jose-token-service';
import { FakeClock } from '../support/fakes';

const options = { secret: 's'.repeat(40), issuer: 'meet-backend', audience: 'meet-clients' };
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('JoseTokenService', () => {
  const clock = new FakeClock(new Date());
  const service = new JoseTokenService(options, clock);
  const claims = () => ({
    userId: 'u1',
    sessionId: 's1',
    issuedAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + 60_000),
  });

  it('round-trips subject and session id', async () => {
    const token = await service.issue(claims());
    await expect(service.verify(token)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await service.issue(claims())).split('.');
    const forged = `${header}.${base64url({ sub: 'admin', jti: 's1', iss: options.issuer, aud: options.audience })}.${signature}`;
    await expect(service.verify(forged)).resolves.toBeNull();
  });

  it('rejects alg:none, another secret, another audience and garbage', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'u1', jti: 's1' })}.`;
    const otherSecret = await new JoseTokenService({ ...options, secret: 'x'.repeat(40) }, clock).issue(claims());
    const otherAudience = await new JoseTokenService({ ...options, audience: 'elsewhere' }, clock).issue(claims());
    for (const token of [unsigned, otherSecret, otherAudience, 'not.a.jwt', '']) {
      await expect(service.verify(token)).resolves.toBeNull();
    }
  });

  it('rejects an expired token', async () => {
    const token = await service.issue(claims());
    clock.advance(61_000);
    await expect(service.verify(token)).resolves.toBeNull();
  });

  it('rejects a token missing its session id', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(options.secret));
    await expect(new JoseTokenService(options, new FakeClock(new Date())).verify(token)).resolves.toBeNull();
  });

  describe('remembering verified tokens', () => {
    it('remembers a verified token, and refuses it past its exp all the same', async () => {
      const remembering = new JoseTokenService(options, clock);
      const token = await remembering.issue(claims());
      await expect(remembering.verify(token)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
      expect(remembering.cachedTokens).toBe(1);
      await expect(remembering.verify(token)).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
      clock.advance(60_000);
      await expect(remembering.verify(token)).resolves.toBeNull();
      expect(remembering.cachedTokens).toBe(0);
    });

    it('never takes a changed token for a remembered one', async () => {
      const remembering = new JoseTokenService(options, clock);
      const token = await remembering.issue(claims());
      await remembering.verify(token);
      const [header, , signature] = token.split('.');
      const forged = `${header}.${base64url({ sub: 'admin', jti: 's1', iss: options.issuer, aud: options.audience, exp: 9_999_999_999 })}.${signature}`;
      await expect(remembering.verify(forged)).resolves.toBeNull();
      await expect(remembering.verify(`${token}x`)).resolves.toBeNull();
      expect(remembering.cachedTokens).toBe(1);
    });

    it('remembers at most cachedTokens, the least recently used going first; 0 remembers none', async () => {
      const bounded = new JoseTokenService({ ...options, cachedTokens: 2 }, clock);
      const tokens = await Promise.all(['s1', 's2', 's3'].map((sessionId) => bounded.issue({ ...claims(), sessionId })));
      for (const token of tokens) await bounded.verify(token);
      expect(bounded.cachedTokens).toBe(2);
      const none = new JoseTokenService({ ...options, cachedTokens: 0 }, clock);
      await expect(none.verify(tokens[0] ?? '')).resolves.toEqual({ userId: 'u1', sessionId: 's1' });
      expect(none.cachedTokens).toBe(0);
    });
  });
});
