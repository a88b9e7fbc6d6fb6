import { createHmac } from 'node:crypto';
import { HmacTurnCredentialIssuer } from '../../src/adapters/turn/hmac-turn-credential-issuer';
import { allocate, describeWithCoturn } from '../support/coturn-server';
import { FakeClock } from '../support/fakes';
import { getIceServers, turnEntry } from '../support/ice-servers';
import { connect, ok, request } from '../support/socket-client';
import { startTestServer, type TestServer } from '../support/test-server';

describeWithCoturn('TURN credentials against a real coturn (use-auth-secret)', (coturn) => {
  let server: TestServer;
  beforeAll(async () => {
    const { host, port, secret } = coturn();
    server = await startTestServer({ TURN_URLS: `turn:${host}:${port}?transport=tcp`, TURN_SECRET: secret, TURN_TTL: '1h' });
  });
  afterAll(() => server.destroy());

  const issuedByServer = async () => turnEntry((await getIceServers(server.url)).body().iceServers);

  it('allocates with the credentials of GET /api/v1/ice-servers and of a join ack', async () => {
    const socket = await connect(server.url);
    try {
      const joined = ok(await request(socket, 'join-call', 'http://localhost:3000/turn-room'));
      const outcomes = await Promise.all([allocate(coturn(), await issuedByServer()), allocate(coturn(), turnEntry(joined.iceServers))]);
      expect(outcomes).toEqual(['allocated', 'allocated']);
    } finally {
      socket.close();
    }
  });

  it('refuses a correctly signed credential whose expiry has passed', async () => {
    const hourAndAMinuteAgo = new FakeClock(new Date(Date.now() - 3660_000));
    const expired = await new HmacTurnCredentialIssuer({ secret: coturn().secret, ttlSeconds: 3600 }, hourAndAMinuteAgo).issue('late-guest');
    expect(await allocate(coturn(), expired)).toBe('refused');
  });

  it('refuses forged credentials: another secret, another subject, a later expiry', async () => {
    const issued = await issuedByServer();
    const [expiry = '', subject = ''] = issued.username.split(':');
    const otherSecret = { username: issued.username, credential: createHmac('sha1', 'guessed').update(issued.username).digest('base64') };
    const otherSubject = { username: `${expiry}:someone-else`, credential: issued.credential };
    const later = { username: `${Number(expiry) + 86400}:${subject}`, credential: issued.credential };
    expect(await Promise.all([otherSecret, otherSubject, later].map((login) => allocate(coturn(), login)))).toEqual(['refused', 'refused', 'refused']);
  });
});
