import { InMemorySessionRepository } from '../../../src/adapters/persistence/memory/in-memory-session-repository';
import { InMemoryUserRepository } from '../../../src/adapters/persistence/memory/in-memory-user-repository';
import { Authenticate } from '../../../src/application/use-cases/authenticate';
import { GetCurrentUser } from '../../../src/application/use-cases/get-current-user';
import { Login } from '../../../src/application/use-cases/login';
import { Logout } from '../../../src/application/use-cases/logout';
import { RegisterUser } from '../../../src/application/use-cases/register-user';
import { expectCode } from '../../support/errors';
import { FakeClock, FakeHasher, FakeThrottle, FakeTokens, RecordingSessionNotifier, SequentialIds } from '../../support/fakes';

const TTL_SECONDS = 3600;

function setup() {
  const users = new InMemoryUserRepository();
  const sessions = new InMemorySessionRepository();
  const hasher = new FakeHasher();
  const tokens = new FakeTokens();
  const throttle = new FakeThrottle(3);
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
