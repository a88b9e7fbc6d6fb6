import { startTestServer, type TestServer } from '../support/test-server';
import { closeAll, connect, idOf, next, ok, record, request, settle, type CallClient } from '../support/socket-client';

/** Cuts the connection under the client, as a network drop does: the server sees "transport close". */
function drop(socket: CallClient): void {
  socket.io.engine.close();
}

describe('reconnecting without leaving', () => {
  let server: TestServer;
  let quick: TestServer;
  const sockets: CallClient[] = [];
  const open = async (on: TestServer = server) => {
    const socket = await connect(on.url);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer();
    quick = await startTestServer({ RECONNECT_GRACE: '1s' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(async () => {
    await server.destroy();
    await quick.destroy();
  });

  it('brings a dropped participant back within the grace with its id, role and media; signals reach the new connection', async () => {
    const [ann, bob] = [await open(), await open()];
    ok(await request(ann, 'join-call', 'resume-room'));
    const bobJoin = ok(await request(bob, 'join-call', 'resume-room'));
    expect(bobJoin).toMatchObject({ resumed: false, resumeToken: expect.stringMatching(/^[\w-]{32}$/) });
    ok(await request(bob, 'media-state', { video: true }));
    const bobId = idOf(bob);

    const reconnecting = next(ann, 'participant-reconnecting');
    drop(bob);
    expect(await reconnecting).toEqual([bobId]);
    const late = await open();
    const seen = ok(await request(late, 'join-call', 'resume-room'));
    expect(seen.participants.find((p) => p.id === bobId)).toMatchObject({ connected: false, media: { video: true } });
    ok(await request(ann, 'chat-message', 'while you were away'));
    // Accepted for delivery and dropped, as to Bob in his grace: no connection here holds either (docs/protocol.md).
    expect(await request(ann, 'signal', 'nobody-at-all', 'x')).toEqual({ ok: true });
    expect(await request(ann, 'signal', bobId, 'x')).toEqual({ ok: true });

    const seenByAnn = record(ann);
    const bobAgain = await open();
    const resumed = ok(await request(bobAgain, 'join-call', 'resume-room', { resume: bobJoin.resumeToken }));
    expect(resumed).toMatchObject({ resumed: true, self: { id: bobId, role: 'member', connected: true, media: { video: true } } });
    expect(resumed.history.map((m) => m.data)).toEqual(['while you were away']);
    await settle(ann);
    expect(seenByAnn.get('participant-reconnected')).toEqual([[bobId]]);
    expect(seenByAnn.get('user-left')).toBeUndefined();

    const signal = next(bobAgain, 'signal');
    ok(await request(ann, 'signal', bobId, { candidate: 'to the new connection' }));
    expect(await signal).toEqual([idOf(ann), { candidate: 'to the new connection' }]);
    const answer = next(ann, 'signal');
    ok(await request(bobAgain, 'signal', idOf(ann), { sdp: 'from the resumed Bob' }));
    expect(await answer).toEqual([bobId, { sdp: 'from the resumed Bob' }]);
  });

  it('takes the participant out after the grace; its token then joins anew with a new id', async () => {
    const [ann, bob] = [await open(quick), await open(quick)];
    ok(await request(ann, 'join-call', 'grace-room'));
    const bobJoin = ok(await request(bob, 'join-call', 'grace-room'));
    const bobId = idOf(bob);
    const left = next(ann, 'user-left');
    drop(bob);
    expect(await left).toEqual([bobId]);
    const bobAgain = await open(quick);
    const joined = ok(await request(bobAgain, 'join-call', 'grace-room', { resume: bobJoin.resumeToken }));
    expect(joined).toMatchObject({ resumed: false, self: { id: idOf(bobAgain) } });
    expect(joined.resumeToken).not.toBe(bobJoin.resumeToken);
  });

  it('refuses a resume the moment the grace has passed, before the sweep takes the participant out', async () => {
    const [ann, bob] = [await open(quick), await open(quick)];
    ok(await request(ann, 'join-call', 'deadline-room'));
    const bobJoin = ok(await request(bob, 'join-call', 'deadline-room'));
    const seenByAnn = record(ann);
    const reconnecting = next(ann, 'participant-reconnecting');
    drop(bob);
    await reconnecting;
    // The grace (1 s) began before Ann heard of the drop; the sweep runs every 3 s, so Bob is most likely still listed.
    const deadline = Date.now() + 1000;
    await new Promise((resolve) => setTimeout(resolve, deadline - Date.now()));
    const bobAgain = await open(quick);
    const joined = ok(await request(bobAgain, 'join-call', 'deadline-room', { resume: bobJoin.resumeToken }));
    expect(joined).toMatchObject({ resumed: false, self: { id: idOf(bobAgain) } });
    expect(seenByAnn.get('participant-reconnected')).toBeUndefined();
  });

  it('lets a client without acks leave at once, as before, and one that disconnects on purpose too', async () => {
    const [ann, legacy, leaving] = [await open(), await open(), await open()];
    ok(await request(ann, 'join-call', 'legacy-room'));
    const legacyJoined = next(ann, 'user-joined');
    legacy.emit('join-call', 'legacy-room');
    await legacyJoined;
    const legacyId = idOf(legacy);
    const legacyLeft = next(ann, 'user-left');
    drop(legacy);
    expect(await legacyLeft).toEqual([legacyId]);

    ok(await request(leaving, 'join-call', 'legacy-room'));
    const leavingId = idOf(leaving);
    const left = next(ann, 'user-left');
    leaving.disconnect();
    expect(await left).toEqual([leavingId]);
  });

  it('takes the participant out when the socket that resumed it disconnects in the same tick (found by npm run fuzz)', async () => {
    const [ann, bob] = [await open(), await open()];
    ok(await request(ann, 'join-call', 'resume-then-go'));
    const bobJoin = ok(await request(bob, 'join-call', 'resume-then-go'));
    const bobId = idOf(bob);
    const reconnecting = next(ann, 'participant-reconnecting');
    drop(bob);
    await reconnecting;
    const left = next(ann, 'user-left');
    const bobAgain = await open();
    bobAgain.emit('join-call', 'resume-then-go', { resume: bobJoin.resumeToken }, () => undefined);
    bobAgain.disconnect();
    expect(await left).toEqual([bobId]);
    const late = await open();
    expect(ok(await request(late, 'join-call', 'resume-then-go')).participants.map((p) => p.id)).toEqual([idOf(ann), idOf(late)]);
  });

  it('does not resume with a token of another call, nor with an unknown one', async () => {
    const [guest, other] = [await open(), await open()];
    const guestJoin = ok(await request(guest, 'join-call', 'token-room'));
    ok(await request(other, 'join-call', 'token-room'));
    drop(guest);
    const elsewhere = await open();
    expect(ok(await request(elsewhere, 'join-call', 'another-room', { resume: guestJoin.resumeToken }))).toMatchObject({
      resumed: false,
      self: { id: idOf(elsewhere) },
    });
    const again = await open();
    expect(ok(await request(again, 'join-call', 'token-room', { resume: 'not-a-token' })).resumed).toBe(false);
  });
});
