import { GetIceServers } from '../../../src/application/use-cases/get-ice-servers';
import { RecordingTurnIssuer, SequentialIds } from '../../support/fakes';

const STUN = ['stun:stun.example.com:3478', 'stun:stun2.example.com'];
const TURN = ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349?transport=tcp'];

function withTurn(stunUrls = STUN) {
  const issuer = new RecordingTurnIssuer();
  return { issuer, getIceServers: new GetIceServers({ stunUrls, turn: { urls: TURN, issuer } }, new SequentialIds('rnd')) };
}

describe('GetIceServers', () => {
  it('hands out the STUN servers, then the TURN servers with a credential of their own', async () => {
    const { getIceServers } = withTurn();
    expect(await getIceServers.execute({ userId: null, participantId: 'sock-1' })).toEqual([
      { urls: STUN },
      { urls: TURN, username: 'user:sock-1', credential: 'secret-for:sock-1' },
    ]);
  });

  it('without TURN settings hands out the STUN servers only, and nothing when there are none', async () => {
    const stunOnly = new GetIceServers({ stunUrls: STUN, turn: null }, new SequentialIds());
    expect(await stunOnly.execute({ userId: 'u1', participantId: 'sock-1' })).toEqual([{ urls: STUN }]);
    const none = new GetIceServers({ stunUrls: [], turn: null }, new SequentialIds());
    expect(await none.execute({ userId: 'u1', participantId: null })).toEqual([]);
  });

  it('leaves out an empty STUN entry when only TURN is configured', async () => {
    const { getIceServers } = withTurn([]);
    expect(await getIceServers.execute({ userId: 'u1', participantId: null })).toEqual([
      { urls: TURN, username: 'user:u1', credential: 'secret-for:u1' },
    ]);
  });

  it('names the account in the credential when logged in, else the participant, else a fresh random id each time', async () => {
    const { issuer, getIceServers } = withTurn();
    await getIceServers.execute({ userId: 'u1', participantId: 'sock-1' });
    await getIceServers.execute({ userId: null, participantId: 'sock-2' });
    await getIceServers.execute({ userId: null, participantId: null });
    await getIceServers.execute({ userId: null, participantId: null });
    expect(issuer.subjects).toEqual(['u1', 'sock-2', 'anonymous-rnd-1', 'anonymous-rnd-2']);
  });

  it('hands out copies: a caller changing its list changes nobody else’s', async () => {
    const { getIceServers } = withTurn();
    const [first] = await getIceServers.execute({ userId: 'u1', participantId: null });
    if (!first || !Array.isArray(first.urls)) throw new Error('expected a STUN entry with a list of URLs');
    first.urls.push('stun:evil.example.com');
    expect((await getIceServers.execute({ userId: 'u1', participantId: null }))[0]).toEqual({ urls: STUN });
  });
});
