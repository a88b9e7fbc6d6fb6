import { api, startTestServer, type TestServer } from '../support/test-server';

const USERS = '/api/v1/users';
const PASSWORD = 'correct horse battery';

async function register(server: TestServer, username: string): Promise<void> {
  expect((await api(server.url, 'POST', `${USERS}/register`, { json: { name: username, username, password: PASSWORD } })).status).toBe(201);
}

const login = (server: TestServer, username: string, password: string) =>
  api(server.url, 'POST', `${USERS}/login`, { json: { username, password } });

describe('login throttling over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A comparison slow enough that all 30 requests arrive while the first ones are still being compared.
    server = await startTestServer({ LOGIN_MAX_FAILURES: '3', BCRYPT_ROUNDS: '10' });
  });
  afterAll(() => server.destroy());

  it('30 concurrent wrong passwords get at most 3 answers of 401, the rest 429, and the right one after them 429', async () => {
    await register(server, 'target');
    const guesses = await Promise.all(Array.from({ length: 30 }, (_, i) => login(server, 'target', `wrong guess ${i}`)));
    const statuses = guesses.map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    const right = await login(server, 'target', PASSWORD);
    expect(right).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('login throttling per address over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '5' });
  });
  afterAll(() => server.destroy());

  it('after 5 failures on different usernames the address gets 429 with Retry-After, even for a right password', async () => {
    await register(server, 'victim');
    expect((await login(server, 'victim', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i += 1) {
      expect((await login(server, `someone${i}`, 'wrong password')).status).toBe(401);
    }
    const limited = await login(server, 'victim', PASSWORD);
    expect(limited).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
  });
});
