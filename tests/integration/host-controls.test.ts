import { z } from 'zod';
import { accountToken, api, bodyAs, startTestServer, type TestServer } from '../support/test-server';
import { closeAll, connect, failed, idOf, next, ok, record, request, requestUnchecked, settle, type CallClient } from '../support/socket-client';

const ROOM = 'http://localhost:3000/host-room';

describe('hosts over Socket.IO', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  const open = async (auth: { token?: unknown } = {}) => {
    const socket = await connect(server.url, auth);
    sockets.push(socket);
    return socket;
  };
  let userCount = 0;
  /** A fresh account's session token. */
  const account = async (name: string) => accountToken(server.url, `user${++userCount}`, name);
  /** A fresh account's logged-in socket. */
  const member = async (name: string) => open({ token: await account(name) });
  /** Host, a logged-in member and a guest in ROOM-<n>, in that order. */
  const call = async (room: string) => {
    const [host, ann, guest] = [await member('Hana'), await member('Ann'), await open()];
    ok(await request(host, 'join-call', room));
    ok(await request(ann, 'join-call', room));
    ok(await request(guest, 'join-call', room, { name: 'Gus' }));
    return { host, ann, guest };
  };

  beforeAll(async () => {
    server = await startTestServer({ MAX_PARTICIPANTS: '6' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  it('makes the first logged-in joiner host, says so in rosters, and passes the role on when it leaves', async () => {
    const guest = await open();
    const joined = ok(await request(guest, 'join-call', `${ROOM}-roles`));
    expect(joined.self.role).toBe('member');
    const host = await member('Hana');
    expect(ok(await request(host, 'join-call', `${ROOM}-roles`)).self.role).toBe('host');
    const ann = await member('Ann');
    const seen = record(ann);
    expect(ok(await request(ann, 'join-call', `${ROOM}-roles`)).participants.map((p) => p.role)).toEqual(['member', 'host', 'member']);
    const changed = next(guest, 'role-changed');
    host.close();
    expect(await changed).toEqual([idOf(ann), 'host']);
    await settle(ann);
    expect(seen.get('role-changed')).toEqual([[idOf(ann), 'host']]);
  });

  it('makes the owner of an owned meeting its host whenever present; nobody else becomes host by joining first', async () => {
    const ownerToken = await account('Olga');
    expect((await api(server.url, 'POST', '/api/v1/meetings', { token: ownerToken, json: { code: 'owned-room' } })).status).toBe(201);
    const earlyToken = await account('Early');
    const early = await open({ token: earlyToken });
    const earlyUser = bodyAs(await api(server.url, 'GET', '/api/v1/users/me', { token: earlyToken }), z.object({ user: z.object({ id: z.string() }) })).user;
    expect(ok(await request(early, 'join-call', 'http://localhost:3000/owned-room')).self.role).toBe('member');
    const owner = await open({ token: ownerToken });
    const joined = ok(await request(owner, 'join-call', 'http://localhost:3000/owned-room/'));
    expect(joined.participants.map((p) => [p.name, p.role])).toEqual([['Early', 'member'], ['Olga', 'host']]);
    ok(await request(owner, 'kick', idOf(early), { ban: true }));
    owner.close();
    const again = await open({ token: ownerToken });
    ok(await request(again, 'join-call', 'owned-room'));
    expect(failed(await request(early, 'join-call', 'owned-room')).code).toBe('BANNED');
    expect(await request(again, 'unban', earlyUser.id)).toEqual({ ok: true, lifted: true });
    expect(ok(await request(early, 'join-call', 'owned-room')).self.role).toBe('member');
  });

  it('refuses every host action from a member with FORBIDDEN, and a target outside the call with NOT_FOUND', async () => {
    const { host, ann, guest } = await call(`${ROOM}-forbidden`);
    const hostId = idOf(host);
    expect(failed(await request(ann, 'kick', hostId)).code).toBe('FORBIDDEN');
    expect(failed(await request(ann, 'mute', hostId, 'audio')).code).toBe('FORBIDDEN');
    expect(failed(await request(ann, 'call-options', { locked: true }))).toMatchObject({ code: 'FORBIDDEN', message: 'Only the host can change the call options' });
    expect(failed(await request(guest, 'transfer-host', idOf(guest))).code).toBe('FORBIDDEN');
    expect(failed(await request(ann, 'end-call')).code).toBe('FORBIDDEN');
    expect(failed(await request(ann, 'unban', 'someone')).code).toBe('FORBIDDEN');
    expect(failed(await request(host, 'kick', 'not-a-participant')).code).toBe('NOT_FOUND');
    expect(await requestUnchecked(host, 'mute', idOf(ann), 'smell')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'kind must be "audio" or "video"' } });
  });

  it('kicks: the target is told and leaves; banned, it cannot rejoin while the call lasts', async () => {
    const { host, ann, guest } = await call(`${ROOM}-kick`);
    const guestKicked = next(guest, 'kicked');
    ok(await request(host, 'kick', idOf(guest)));
    expect(await guestKicked).toEqual([{ by: idOf(host), banned: false }]);
    expect(ok(await request(guest, 'join-call', `${ROOM}-kick`)).participants).toHaveLength(3);

    const annId = idOf(ann);
    const kicked = next(ann, 'kicked');
    const left = next(guest, 'user-left');
    expect(await request(host, 'kick', annId, { ban: true })).toEqual({ ok: true });
    expect(await kicked).toEqual([{ by: idOf(host), banned: true }]);
    expect(await left).toEqual([annId]);
    expect(failed(await request(ann, 'chat-message', 'let me back'))).toMatchObject({ code: 'NOT_IN_CALL' });
    expect(failed(await request(ann, 'join-call', `${ROOM}-kick`))).toMatchObject({ code: 'BANNED' });
  });

  it('mutes: everyone sees it; forced, the target cannot unmute until the host allows it', async () => {
    const { host, ann, guest } = await call(`${ROOM}-mute`);
    ok(await request(ann, 'media-state', { audio: true, video: true }));
    const told = next(ann, 'muted');
    const seenByGuest = next(guest, 'media-state');
    expect(ok(await request(host, 'mute', idOf(ann), 'audio', { force: true })).state).toMatchObject({ audio: false, video: true });
    expect(await told).toEqual([{ by: idOf(host), kind: 'audio', force: true }]);
    expect(await seenByGuest).toEqual([idOf(ann), { audio: false, video: true, screen: false, hand: false }]);
    expect(failed(await request(ann, 'media-state', { audio: true }))).toMatchObject({ code: 'FORBIDDEN', message: 'The host turned your microphone off' });
    ok(await request(host, 'mute', idOf(ann), 'audio', { force: false }));
    expect(ok(await request(ann, 'media-state', { audio: true })).state.audio).toBe(true);
  });

  it('locks the call against newcomers and tells everyone', async () => {
    const { host, ann } = await call(`${ROOM}-lock`);
    const told = next(ann, 'call-options');
    expect(ok(await request(host, 'call-options', { locked: true })).options).toEqual({ locked: true, lobby: false });
    expect(await told).toEqual([{ locked: true, lobby: false }]);
    const late = await open();
    expect(failed(await request(late, 'join-call', `${ROOM}-lock`))).toMatchObject({ code: 'CALL_LOCKED' });
    ok(await request(host, 'call-options', { locked: false }));
    ok(await request(late, 'join-call', `${ROOM}-lock`));
  });

  it('hands the host role over to a logged-in participant, and the new host has the powers', async () => {
    const { host, ann, guest } = await call(`${ROOM}-transfer`);
    expect(failed(await request(host, 'transfer-host', idOf(guest))).code).toBe('FORBIDDEN');
    const changes = record(guest);
    ok(await request(host, 'transfer-host', idOf(ann)));
    await settle(guest);
    expect(changes.get('role-changed')).toEqual([
      [idOf(ann), 'host'],
      [idOf(host), 'member'],
    ]);
    expect(failed(await request(host, 'kick', idOf(guest))).code).toBe('FORBIDDEN');
    ok(await request(ann, 'kick', idOf(host)));
  });

  it('ends the call for everyone and drops its chat', async () => {
    const { host, ann, guest } = await call(`${ROOM}-end`);
    ok(await request(ann, 'chat-message', 'bye'));
    const ended = [next(ann, 'call-ended'), next(guest, 'call-ended')];
    expect(await request(host, 'end-call')).toEqual({ ok: true });
    expect(await Promise.all(ended)).toEqual([[{ by: idOf(host) }], [{ by: idOf(host) }]]);
    expect(failed(await request(guest, 'chat-message', 'anyone?')).code).toBe('NOT_IN_CALL');
    expect(ok(await request(guest, 'join-call', `${ROOM}-end`)).history).toEqual([]);
  });
});
