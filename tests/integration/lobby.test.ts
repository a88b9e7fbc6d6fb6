import { accountToken, api, startTestServer, type TestServer } from '../support/test-server';
import { closeAll, connect, failed, idOf, next, ok, record, request, settle, waiting, type CallClient } from '../support/socket-client';

describe('the lobby over Socket.IO', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  const open = async (auth: { token?: unknown } = {}) => {
    const socket = await connect(server.url, auth);
    sockets.push(socket);
    return socket;
  };
  let userCount = 0;
  const account = async (name: string) => accountToken(server.url, `lobby${++userCount}`, name);
  /** An owned meeting with the lobby on, and its owner's token. */
  const lobbyMeeting = async (code: string) => {
    const ownerToken = await account('Olga');
    expect((await api(server.url, 'POST', '/api/v1/meetings', { token: ownerToken, json: { code, lobby: true } })).status).toBe(201);
    return ownerToken;
  };

  beforeAll(async () => {
    server = await startTestServer({ MAX_PARTICIPANTS: '3' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  it('holds a newcomer back, knocks at the host, and admit lets it in with what a join answers', async () => {
    const ownerToken = await lobbyMeeting('lobby-admit');
    const host = await open({ token: ownerToken });
    const joined = ok(await request(host, 'join-call', 'http://localhost:3000/lobby-admit'));
    expect(joined).toMatchObject({ options: { locked: false, lobby: true }, lobby: [] });
    ok(await request(host, 'chat-message', 'welcome'));
    const guest = await open();
    const seenByHost = record(host);
    const knock = next(host, 'lobby-knock');
    waiting(await request(guest, 'join-call', 'lobby-admit', { name: 'Gus' }));
    expect(await knock).toEqual([{ id: idOf(guest), name: 'Gus', guest: true }]);
    await settle(host);
    expect(seenByHost.get('user-joined')).toBeUndefined();

    const admitted = next(guest, 'admitted');
    const shown = next(host, 'user-joined');
    expect(await request(host, 'admit', idOf(guest))).toEqual({ ok: true });
    const [snapshot] = await admitted;
    expect(snapshot).toMatchObject({ callId: 'lobby-admit', self: { id: idOf(guest), name: 'Gus', role: 'member' }, options: { locked: false, lobby: true } });
    expect(snapshot.participants.map((p) => p.name)).toEqual(['Olga', 'Gus']);
    expect(snapshot.history.map((m) => m.data)).toEqual(['welcome']);
    expect((await shown)[0]).toBe(idOf(guest));
    ok(await request(guest, 'signal', idOf(host), 'hello'));
    expect(failed(await request(host, 'admit', idOf(guest))).code).toBe('NOT_FOUND');
  });

  it('keeps a waiting newcomer from signalling, chatting or seeing anyone, and deny turns it away', async () => {
    const host = await open({ token: await lobbyMeeting('lobby-deny') });
    ok(await request(host, 'join-call', 'lobby-deny'));
    const guest = await open();
    const seen = record(guest);
    waiting(await request(guest, 'join-call', 'lobby-deny'));
    expect(failed(await request(guest, 'signal', idOf(host), 'hello')).code).toBe('NOT_IN_CALL');
    expect(failed(await request(guest, 'chat-message', 'let me in')).code).toBe('NOT_IN_CALL');
    expect(failed(await request(guest, 'media-state', { audio: true })).code).toBe('NOT_IN_CALL');
    ok(await request(host, 'chat-message', 'members only'));
    const denied = next(guest, 'denied');
    expect(await request(host, 'deny', idOf(guest))).toEqual({ ok: true });
    expect(await denied).toEqual([]);
    expect(seen.size).toBe(1);
    expect(failed(await request(host, 'deny', idOf(guest))).code).toBe('NOT_FOUND');
    expect(ok(await request(guest, 'join-call', 'elsewhere')).participants).toHaveLength(1);
  });

  it('holds newcomers arriving before the host; the host gets the waiting list when it joins, and a member cannot decide', async () => {
    const ownerToken = await lobbyMeeting('lobby-late');
    const early = await open({ token: await account('Early') });
    const guest = await open();
    waiting(await request(early, 'join-call', 'lobby-late'));
    waiting(await request(guest, 'join-call', 'lobby-late', { name: 'Gus' }));
    const host = await open({ token: ownerToken });
    const joined = ok(await request(host, 'join-call', 'lobby-late'));
    expect(joined.participants.map((p) => p.name)).toEqual(['Olga']);
    expect(joined.lobby?.map((entry) => [entry.id, entry.name])).toEqual([
      [idOf(early), 'Early'],
      [idOf(guest), 'Gus'],
    ]);
    const admitted = next(early, 'admitted');
    ok(await request(host, 'admit', idOf(early)));
    await admitted;
    expect(failed(await request(early, 'admit', idOf(guest)))).toMatchObject({ code: 'FORBIDDEN', message: 'Only the host can let people in' });
    expect(failed(await request(early, 'deny', idOf(guest))).code).toBe('FORBIDDEN');
  });

  it('gives an admitted newcomer a resume token: dropped, it stays in the call and resumes with its id', async () => {
    const host = await open({ token: await lobbyMeeting('lobby-resume') });
    ok(await request(host, 'join-call', 'lobby-resume'));
    const guest = await open();
    const knock = next(host, 'lobby-knock');
    waiting(await request(guest, 'join-call', 'lobby-resume', { name: 'Gus' }));
    await knock;
    const guestId = idOf(guest);
    const admitted = next(guest, 'admitted');
    ok(await request(host, 'admit', guestId));
    const [snapshot] = await admitted;
    expect(snapshot.resumeToken).toMatch(/^[\w-]{32}$/);

    const reconnecting = next(host, 'participant-reconnecting');
    guest.io.engine.close();
    expect(await reconnecting).toEqual([guestId]);
    const back = await open();
    const reconnected = next(host, 'participant-reconnected');
    const resumed = ok(await request(back, 'join-call', 'lobby-resume', { resume: snapshot.resumeToken }));
    expect(resumed).toMatchObject({ resumed: true, self: { id: guestId, name: 'Gus', role: 'member' } });
    expect(await reconnected).toEqual([guestId]);
    ok(await request(host, 'signal', guestId, 'still there?'));
  });

  it('tells whoever becomes host of everyone waiting, and the old host no longer decides', async () => {
    const host = await open({ token: await account('Hal') });
    const member = await open({ token: await account('Mia') });
    ok(await request(host, 'join-call', 'lobby-handover'));
    ok(await request(member, 'join-call', 'lobby-handover'));
    ok(await request(host, 'call-options', { lobby: true }));
    const guest = await open();
    waiting(await request(guest, 'join-call', 'lobby-handover', { name: 'Gus' }));
    const seenByMember = record(member);
    const knock = next(member, 'lobby-knock');
    ok(await request(host, 'transfer-host', idOf(member)));
    expect(await knock).toEqual([{ id: idOf(guest), name: 'Gus', guest: true }]);
    expect(seenByMember.get('role-changed')?.[0]).toEqual([idOf(member), 'host']);
    expect(failed(await request(host, 'admit', idOf(guest))).code).toBe('FORBIDDEN');
    const admitted = next(guest, 'admitted');
    ok(await request(member, 'admit', idOf(guest)));
    expect((await admitted)[0].self.id).toBe(idOf(guest));
  });

  it('drops a newcomer who leaves while waiting off the list (as a disconnect does)', async () => {
    const host = await open({ token: await lobbyMeeting('lobby-gone') });
    ok(await request(host, 'join-call', 'lobby-gone'));
    const guest = await open();
    waiting(await request(guest, 'join-call', 'lobby-gone'));
    const guestId = idOf(guest);
    expect(await request(guest, 'leave-call')).toEqual({ ok: true, left: false });
    const later = await open();
    waiting(await request(later, 'join-call', 'lobby-gone'));
    expect(failed(await request(host, 'admit', guestId)).code).toBe('NOT_FOUND');
    ok(await request(host, 'admit', idOf(later)));
  });

  it('lets a front end that sends no acks wait silently, then sees it in the call through user-joined', async () => {
    const host = await open({ token: await lobbyMeeting('lobby-legacy') });
    ok(await request(host, 'join-call', 'lobby-legacy'));
    const legacy = await open();
    const knock = next(host, 'lobby-knock');
    legacy.emit('join-call', 'http://localhost:3000/lobby-legacy');
    await knock;
    const shown = next(legacy, 'user-joined');
    ok(await request(host, 'admit', idOf(legacy)));
    const [id, clients] = await shown;
    expect(id).toBe(idOf(legacy));
    expect(clients).toEqual([idOf(host), idOf(legacy)]);
  });

  it('checks capacity again at admission', async () => {
    const host = await open({ token: await lobbyMeeting('lobby-full') });
    ok(await request(host, 'join-call', 'lobby-full'));
    const [a, b, c] = [await open(), await open(), await open()];
    for (const socket of [a, b, c]) waiting(await request(socket, 'join-call', 'lobby-full'));
    ok(await request(host, 'admit', idOf(a)));
    ok(await request(host, 'admit', idOf(b)));
    expect(failed(await request(host, 'admit', idOf(c))).code).toBe('ROOM_FULL');
  });

  it('turns the lobby on in an ad-hoc call with call-options, telling everyone', async () => {
    const host = await open({ token: await account('Hana') });
    const member = await open();
    ok(await request(host, 'join-call', 'adhoc-lobby'));
    ok(await request(member, 'join-call', 'adhoc-lobby'));
    const told = next(member, 'call-options');
    expect(ok(await request(host, 'call-options', { lobby: true })).options).toEqual({ locked: false, lobby: true });
    expect(await told).toEqual([{ locked: false, lobby: true }]);
    const late = await open();
    const knock = next(host, 'lobby-knock');
    waiting(await request(late, 'join-call', 'adhoc-lobby'));
    expect((await knock)[0].id).toBe(idOf(late));
    ok(await request(host, 'call-options', { lobby: false }));
    ok(await request(await open(), 'join-call', 'adhoc-lobby'));
  });
});
