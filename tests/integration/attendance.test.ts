import Database from 'better-sqlite3';
import { join } from 'node:path';
import { z } from 'zod';
import { closeAll, connect, idOf, next, ok, request, type CallClient } from '../support/socket-client';
import { api, attendanceBody, bodyAs, loginBody, startTestServer, type TestServer } from '../support/test-server';

const USERS = '/api/v1/users';

describe('attendance recorded by the server', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  const open = async (token?: string) => {
    const socket = await connect(server.url, token === undefined ? {} : { token });
    sockets.push(socket);
    return socket;
  };
  const attendanceOf = async (token: string, query = '') => {
    const res = await api(server.url, 'GET', `${USERS}/attendance${query}`, { token });
    expect(res.status).toBe(200);
    return bodyAs(res, attendanceBody).attendance;
  };
  /** Every record in the database, whoever it belongs to. */
  const storedRecords = () => {
    const db = new Database(join(server.dataDir, 'app.db'), { readonly: true });
    try {
      return z.array(z.object({ user_id: z.string(), meeting_code: z.string() })).parse(db.prepare('SELECT user_id, meeting_code FROM attendance ORDER BY seq').all());
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    // Room for the 22 calls one socket joins in a row below.
    server = await startTestServer({ RATE_LIMIT_CHAT: '100' });
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  async function login(username: string): Promise<{ token: string; userId: string }> {
    await api(server.url, 'POST', `${USERS}/register`, { json: { name: `Name ${username}`, username, password: 'password123' } });
    const res = await api(server.url, 'POST', `${USERS}/login`, { json: { username, password: 'password123' } });
    const body = bodyAs(res, loginBody.extend({ user: z.object({ id: z.string() }) }));
    return { token: body.token, userId: body.user.id };
  }

  it('lists a logged-in participant’s stay once they leave: the call, when they joined and left, and how long', async () => {
    const { token } = await login('att-leave');
    const socket = await open(token);
    const before = Date.now();
    ok(await request(socket, 'join-call', 'https://meet.example/att-room'));
    expect(await attendanceOf(token)).toEqual([]);
    expect(ok(await request(socket, 'leave-call'))).toEqual({ ok: true, left: true });
    const after = Date.now();

    const [stay, ...others] = await attendanceOf(token);
    expect(others).toEqual([]);
    expect(stay?.meetingCode).toBe('att-room');
    const [joinedAt, leftAt] = [Date.parse(stay?.joinedAt ?? ''), Date.parse(stay?.leftAt ?? '')];
    expect(before).toBeLessThanOrEqual(joinedAt);
    expect(joinedAt).toBeLessThanOrEqual(leftAt);
    expect(leftAt).toBeLessThanOrEqual(after);
    expect(stay?.durationSeconds).toBe(Math.floor((leftAt - joinedAt) / 1000));
    expect(stay?.durationSeconds).toBeGreaterThanOrEqual(0);
  });

  it('records the stay of a kicked participant, and the host’s when the host ends the call', async () => {
    const [host, member] = [await login('att-host'), await login('att-kicked')];
    const [hostSocket, memberSocket] = [await open(host.token), await open(member.token)];
    ok(await request(hostSocket, 'join-call', 'att-hosted'));
    ok(await request(memberSocket, 'join-call', 'att-hosted'));
    ok(await request(hostSocket, 'kick', idOf(memberSocket)));
    expect((await attendanceOf(member.token)).map((r) => r.meetingCode)).toEqual(['att-hosted']);
    expect(await attendanceOf(host.token)).toEqual([]);
    ok(await request(hostSocket, 'end-call'));
    expect((await attendanceOf(host.token)).map((r) => r.meetingCode)).toEqual(['att-hosted']);
  });

  it('records a stay ended by moving to another call and one ended by disconnecting, newest first', async () => {
    const { token } = await login('att-move');
    const [mover, witness] = [await open(token), await open()];
    ok(await request(witness, 'join-call', 'att-second'));
    ok(await request(mover, 'join-call', 'att-first'));
    ok(await request(mover, 'join-call', 'att-second'));
    expect((await attendanceOf(token)).map((r) => r.meetingCode)).toEqual(['att-first']);

    // The stay is recorded as the others are told, before the server reads any further request.
    const left = next(witness, 'user-left');
    mover.close();
    await left;
    const records = await attendanceOf(token);
    expect(records.map((r) => r.meetingCode)).toEqual(['att-second', 'att-first']);
    expect(Date.parse(records[1]?.leftAt ?? '')).toBeLessThanOrEqual(Date.parse(records[0]?.joinedAt ?? ''));
  });

  it('records nothing for a guest: of a call shared with one, only the logged-in participant’s stay is stored', async () => {
    const { token, userId } = await login('att-beside');
    const [guest, member] = [await open(), await open(token)];
    const before = storedRecords().length;
    ok(await request(guest, 'join-call', 'att-guests'));
    ok(await request(member, 'join-call', 'att-guests'));
    ok(await request(guest, 'leave-call'));
    ok(await request(guest, 'join-call', 'att-guest-alone'));
    ok(await request(guest, 'leave-call'));
    ok(await request(member, 'leave-call'));
    expect(storedRecords().slice(before)).toEqual([{ user_id: userId, meeting_code: 'att-guests' }]);
    expect((await attendanceOf(token)).map((r) => r.meetingCode)).toEqual(['att-guests']);
  });

  it('keeps add_to_activity and get_all_activity as they were: calls do not write to them', async () => {
    const { token } = await login('att-legacy');
    const socket = await open(token);
    ok(await request(socket, 'join-call', 'att-legacy-room'));
    ok(await request(socket, 'leave-call'));
    expect((await api(server.url, 'GET', `${USERS}/get_all_activity`, { token })).body).toEqual([]);
    expect((await api(server.url, 'POST', `${USERS}/add_to_activity`, { token, json: { meeting_code: 'standup' } })).status).toBe(201);
    expect((await attendanceOf(token)).map((r) => r.meetingCode)).toEqual(['att-legacy-room']);
  });

  it('honours ?limit= (1–100, 20 by default), needs a token, and refuses a bad limit with VALIDATION_FAILED', async () => {
    const { token } = await login('att-limit');
    const socket = await open(token);
    for (let i = 0; i < 22; i += 1) ok(await request(socket, 'join-call', `att-limit-${i}`));
    ok(await request(socket, 'leave-call'));
    expect(await attendanceOf(token)).toHaveLength(20);
    expect((await attendanceOf(token, '?limit=100')).map((r) => r.meetingCode)[0]).toBe('att-limit-21');
    expect(await attendanceOf(token, '?limit=3')).toHaveLength(3);
    for (const limit of ['0', '101', 'abc', '2.5']) {
      expect(await api(server.url, 'GET', `${USERS}/attendance?limit=${limit}`, { token })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    }
    expect(await api(server.url, 'GET', `${USERS}/attendance`)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });
});
