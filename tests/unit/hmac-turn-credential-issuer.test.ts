import { HmacTurnCredentialIssuer } from '../../src/adapters/turn/hmac-turn-credential-issuer';
import { FakeClock } from '../support/fakes';

// FakeClock starts at 2026-01-01T00:00:00Z = 1767225600 s.
const NOW = 1767225600;

describe('HmacTurnCredentialIssuer (coturn use-auth-secret)', () => {
  it('issues `<unix expiry>:<subject>` with base64(HMAC-SHA1(secret, username)), as computed by openssl', async () => {
    const issuer = new HmacTurnCredentialIssuer({ secret: 's3cret', ttlSeconds: 3600 }, new FakeClock());
    // printf %s "1767229200:alice" | openssl dgst -sha1 -hmac s3cret -binary | base64
    expect(await issuer.issue('alice')).toEqual({ username: `${NOW + 3600}:alice`, credential: '0nAicpAnjcC6fTPKxhHd9BXdpto=' });
  });

  it('counts the lifetime from the clock’s now, rounded down to whole seconds', async () => {
    const clock = new FakeClock();
    const issuer = new HmacTurnCredentialIssuer({ secret: 'north-secret', ttlSeconds: 7200 }, clock);
    clock.advance(1999);
    // printf %s "1767232800:user-1" | openssl dgst -sha1 -hmac north-secret -binary | base64
    expect(await issuer.issue('user-1')).toEqual({ username: `${NOW + 1 + 7200}:user-1`, credential: expect.any(String) });
    clock.advance(-1000);
    expect(await issuer.issue('user-1')).toEqual({ username: `${NOW + 7200}:user-1`, credential: 'QZs2kqRqZN9Z6TGGjOjVzjrZgbk=' });
  });

  it('gives another secret another credential for the same username', async () => {
    const clock = new FakeClock();
    const mine = await new HmacTurnCredentialIssuer({ secret: 's3cret', ttlSeconds: 3600 }, clock).issue('alice');
    const theirs = await new HmacTurnCredentialIssuer({ secret: 's3cret!', ttlSeconds: 3600 }, clock).issue('alice');
    expect(theirs.username).toBe(mine.username);
    expect(theirs.credential).not.toBe(mine.credential);
  });
});
