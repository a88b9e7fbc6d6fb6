import { InMemorySessionRepository } from '../../../src/adapters/persistence/memory/in-memory-session-repository';
import { InMemoryUserRepository } from '../../../src/adapters/persistence/memory/in-memory-user-repository';
import { Authenticate } from '../../../src/application/use-cases/authenticate';
import { GetCurrentUser } from '../../../src/application/use-cases/get-current-user';
import { Login } from '../../../src/application/use-cases/login';
import { Logout } from '../../../src/application/use-cases/logout';
import { RegisterUser } from '../../../src/application/use-cases/register-user';
import { DomainError } from '../../../src/domain/errors';
import { expectCode } from '../../support/errors';
import { FakeClock, FakeHasher, FakeThrottle, FakeTokens, RecordingSessionNotifier, SequentialIds } from '../../support/fakes';

const TTL_SECONDS = 3600;

function setup(limits: { perAccount: number; perAddress: number } = { perAccount: 3, perAddress: 100 }) {
  const users = new InMemoryUserRepository();
  const sessions = new InMemorySessionRepository();
  const hasher = new FakeHasher();
  const tokens = new FakeTokens();
  const throttle = new FakeThrottle(limits.perAccount, limits.perAddress);
  const ids = new SequentialIds();
  const clock = new FakeClock();
  const live = new RecordingSessionNotifier();
  return {
    live,
    users,
    sessions,
    hasher,
    throttle,
    clock,
    register: new RegisterUser(users, hasher, ids, clock),
    login: new Login(users, sessions, hasher, tokens, throttle, ids, clock, TTL_SECONDS),
    logout: new Logout(sessions, live, clock),
    authenticate: new Authenticate(tokens, sessions, clock),
    currentUser: new GetCurrentUser(users),
  };
}

const ann = { name: '  Ann Lee ', username: 'Ann', password: 'correct horse' };

describe('RegisterUser', () => {
  it('stores the user with a hashed password and returns only public fields', async () => {
    const s = setup();
    const user = await s.register.execute(ann);
    expect(user).toEqual({ id: 'id-1', name: 'Ann Lee', username: 'Ann' });
    const stored = await s.users.findById('id-1');
    expect(stored?.passwordHash).toBe('hashed:correct horse');
    expect(JSON.stringify(user)).not.toContain('correct horse');
  });

  it('refuses a username taken in another case', async () => {
    const s = setup();
    await s.register.execute(ann);
    await expectCode(s.register.execute({ ...ann, username: 'ANN' }), 'USERNAME_TAKEN');
  });

  it('lists every bad field at once', async () => {
    const s = setup();
    const error = await expectCode(s.register.execute({ name: '   ', username: 'a!', password: 'short' }), 'VALIDATION_FAILED');
    expect(error.details?.map((d) => d.field)).toEqual(['name', 'username', 'password']);
  });

  it('refuses passwords over 72 bytes instead of truncating them', async () => {
    const s = setup();
    const error = await expectCode(s.register.execute({ ...ann, password: 'é'.repeat(37) }), 'VALIDATION_FAILED');
    expect(error.details).toEqual([{ field: 'password', message: 'must be at most 72 bytes' }]);
    await expect(s.register.execute({ ...ann, password: 'a'.repeat(72) })).resolves.toMatchObject({ username: ann.username });
  });
});

describe('Login', () => {
  it('issues a token for a stored session that expires after the TTL', async () => {
    const s = setup();
    await s.register.execute(ann);
    const result = await s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip' });
    expect(result.user.username).toBe('Ann');
    expect(result.expiresAt.getTime() - s.clock.now().getTime()).toBe(TTL_SECONDS * 1000);
    const principal = await s.authenticate.execute({ token: result.token });
    expect(principal.userId).toBe(result.user.id);
  });

  it('answers an unknown user and a wrong password alike, each after one hash comparison', async () => {
    const s = setup();
    await s.register.execute(ann);
    const unknown = await expectCode(s.login.execute({ username: 'bob', password: 'whatever1', clientKey: 'ip' }), 'INVALID_CREDENTIALS');
    const wrong = await expectCode(s.login.execute({ username: 'ann', password: 'whatever1', clientKey: 'ip' }), 'INVALID_CREDENTIALS');
    expect(unknown.message).toBe(wrong.message);
    expect(s.hasher.comparisons).toEqual([null, 'hashed:correct horse']);
  });

  it('throttles repeated failures per client and username, then forgets them after a success elsewhere', async () => {
    const s = setup();
    await s.register.execute(ann);
    for (let i = 0; i < 3; i += 1) {
      await expectCode(s.login.execute({ username: 'ann', password: 'nope-nope', clientKey: 'ip1' }), 'INVALID_CREDENTIALS');
    }
    const limited = await expectCode(s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip1' }), 'RATE_LIMITED');
    expect(limited.retryAfterSeconds).toBe(60);
    await expect(s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip2' })).resolves.toMatchObject({
      user: { username: ann.username },
      token: expect.any(String),
    });
  });

  it('compares no more passwords than the budget allows when 50 wrong guesses arrive at once', async () => {
    const s = setup();
    await s.register.execute(ann);
    const guesses = Array.from({ length: 50 }, (_, i) => s.login.execute({ username: 'ann', password: `guess-${i}-x`, clientKey: 'ip' }));
    const codes = (await Promise.allSettled(guesses)).map((r) => (r.status === 'rejected' ? (r.reason instanceof DomainError ? r.reason.code : 'OTHER') : 'OK'));
    expect(s.hasher.comparisons).toHaveLength(3);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(3);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(47);
    await expectCode(s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip' }), 'RATE_LIMITED');
    expect(s.hasher.comparisons).toHaveLength(3);
  });

  it('charges unknown usernames too, each still costing one comparison', async () => {
    const s = setup();
    const guesses = Array.from({ length: 20 }, () => s.login.execute({ username: 'ghost', password: 'whatever1', clientKey: 'ip' }));
    await Promise.allSettled(guesses);
    expect(s.hasher.comparisons).toEqual([null, null, null]);
  });

  it('limits attempts per address across usernames', async () => {
    const s = setup({ perAccount: 3, perAddress: 5 });
    await s.register.execute(ann);
    for (const username of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      await expectCode(s.login.execute({ username, password: 'whatever1', clientKey: 'ip1' }), 'INVALID_CREDENTIALS');
    }
    const limited = await expectCode(s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip1' }), 'RATE_LIMITED');
    expect(limited.retryAfterSeconds).toBe(60);
    expect(s.hasher.comparisons).toHaveLength(5);
    await expect(s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip2' })).resolves.toBeDefined();
  });

  it('a success gives the address its attempt back and forgets the username\'s failures', async () => {
    const s = setup({ perAccount: 3, perAddress: 4 });
    await s.register.execute(ann);
    const attempt = (password: string) => s.login.execute({ username: 'ann', password, clientKey: 'ip' });
    await expectCode(attempt('nope-nope'), 'INVALID_CREDENTIALS');
    await expectCode(attempt('nope-nope'), 'INVALID_CREDENTIALS');
    for (let i = 0; i < 5; i += 1) await expect(attempt('correct horse')).resolves.toBeDefined();
    // Two failures left on the address budget of 4; the username's count restarted at zero.
    await expectCode(attempt('nope-nope'), 'INVALID_CREDENTIALS');
    await expectCode(attempt('nope-nope'), 'INVALID_CREDENTIALS');
    await expectCode(attempt('correct horse'), 'RATE_LIMITED');
  });
});

describe('Authenticate and Logout', () => {
  async function loggedIn() {
    const s = setup();
    await s.register.execute(ann);
    const { token } = await s.login.execute({ username: 'ann', password: 'correct horse', clientKey: 'ip' });
    return { ...s, token };
  }

  it('rejects a missing or unverifiable token', async () => {
    const s = setup();
    await expectCode(s.authenticate.execute({ token: undefined }), 'UNAUTHENTICATED');
    await expectCode(s.authenticate.execute({ token: 'garbage' }), 'UNAUTHENTICATED');
  });

  it('rejects the token once its session is revoked, and logout ends that session\'s live connections', async () => {
    const s = await loggedIn();
    const principal = await s.authenticate.execute({ token: s.token });
    expect(principal.expiresAt).toEqual(new Date(s.clock.now().getTime() + TTL_SECONDS * 1000));
    await s.logout.execute({ sessionId: principal.sessionId });
    await expectCode(s.authenticate.execute({ token: s.token }), 'UNAUTHENTICATED');
    expect(s.live.ended).toEqual([{ sessionId: principal.sessionId, reason: 'logout' }]);
  });

  it('rejects the token once its session has expired', async () => {
    const s = await loggedIn();
    s.clock.advance(TTL_SECONDS * 1000);
    await expectCode(s.authenticate.execute({ token: s.token }), 'UNAUTHENTICATED');
  });

  it('rejects a token whose subject does not own the session', async () => {
    const s = await loggedIn();
    const principal = await s.authenticate.execute({ token: s.token });
    await expectCode(s.authenticate.execute({ token: `token:someone-else:${principal.sessionId}` }), 'UNAUTHENTICATED');
  });
});

describe('GetCurrentUser', () => {
  it('returns the public user, or NOT_FOUND', async () => {
    const s = setup();
    const user = await s.register.execute(ann);
    await expect(s.currentUser.execute({ userId: user.id })).resolves.toEqual(user);
    await expectCode(s.currentUser.execute({ userId: 'missing' }), 'NOT_FOUND');
  });
});
