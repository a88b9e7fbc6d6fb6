import { z } from 'zod';
import { closeAll, connect, ok, request, type CallClient } from '../support/socket-client';
import { accountToken, api, bodyAs, errorBody, loginBody, startTestServer, type TestServer } from '../support/test-server';

const MEETINGS = '/api/v1/meetings';
const meetingBody = z.strictObject({ code: z.string(), title: z.string(), ownerId: z.string(), lobby: z.boolean(), media: z.enum(['auto', 'mesh', 'sfu']), createdAt: z.iso.datetime() });
const meetingInfoBody = z.strictObject({ code: z.string(), title: z.string(), lobby: z.boolean(), live: z.boolean(), participants: z.number() });
const meetingListBody = z.array(meetingBody);
const meBody = z.object({ user: z.object({ id: z.string() }) });

describe('meetings over HTTP', () => {
  let server: TestServer;
  const sockets: CallClient[] = [];
  const call = (method: string, path: string, options?: Parameters<typeof api>[3]) => api(server.url, method, path, options);

  async function account(username: string): Promise<{ token: string; id: string }> {
    await call('POST', '/api/v1/users/register', { json: { name: `Name ${username}`, username, password: 'password123' } });
    const token = bodyAs(await call('POST', '/api/v1/users/login', { json: { username, password: 'password123' } }), loginBody).token;
    return { token, id: bodyAs(await call('GET', '/api/v1/users/me', { token }), meBody).user.id };
  }

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => server.destroy());

  it('creates a meeting with a chosen code, owned by the caller', async () => {
    const ann = await account('ann-owner');
    const before = Date.now();
    const res = await call('POST', MEETINGS, { token: ann.token, json: { code: 'team-standup', title: ' Daily standup ', lobby: true, media: 'sfu' } });
    const after = Date.now();
    expect(res.status).toBe(201);
    const meeting = bodyAs(res, meetingBody);
    expect(meeting).toEqual({ code: 'team-standup', title: 'Daily standup', ownerId: ann.id, lobby: true, media: 'sfu', createdAt: expect.any(String) });
    expect(bodyAs(await call('GET', MEETINGS, { token: ann.token }), meetingListBody)).toEqual([meeting]);
    expect(Date.parse(meeting.createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(meeting.createdAt)).toBeLessThanOrEqual(after);
  });

  it('generates an abc-defg-hij code when none is given, a different one each time', async () => {
    const { token } = await account('gen-owner');
    const first = bodyAs(await call('POST', MEETINGS, { token, json: {} }), meetingBody);
    const second = bodyAs(await call('POST', MEETINGS, { token, json: { title: 'Retro' } }), meetingBody);
    expect(first).toMatchObject({ title: '', lobby: false, media: 'auto' });
    for (const { code } of [first, second]) expect(code).toMatch(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(second.code).not.toBe(first.code);
  });

  it('answers 409 MEETING_CODE_TAKEN for a code someone already has, and keeps theirs', async () => {
    const [first, second] = [await account('first-taker'), await account('second-taker')];
    expect((await call('POST', MEETINGS, { token: first.token, json: { code: 'popular', title: 'Mine' } })).status).toBe(201);
    const res = await call('POST', MEETINGS, { token: second.token, json: { code: 'popular', title: 'Theirs' } });
    expect(res).toMatchObject({ status: 409, body: { code: 'MEETING_CODE_TAKEN', message: 'That meeting code is already taken' } });
    expect(bodyAs(await call('GET', `${MEETINGS}/popular`), meetingInfoBody).title).toBe('Mine');
  });

  it('answers 400 VALIDATION_FAILED for a code that is not link-safe, a bad title or lobby, naming the field', async () => {
    const { token } = await account('bad-input');
    const cases: Array<[unknown, string]> = [
      [{ code: 'Team Standup' }, 'code'],
      [{ code: 'ab' }, 'code'],
      [{ code: 'x/../y' }, 'code'],
      [{ code: 42 }, 'code'],
      [{ title: 't'.repeat(201) }, 'title'],
      [{ title: 'line\nbreak' }, 'title'],
      [{ lobby: 'yes' }, 'lobby'],
      [{ media: 'p2p' }, 'media'],
      [{ media: true }, 'media'],
    ];
    for (const [json, field] of cases) {
      const res = await call('POST', MEETINGS, { token, json });
      expect([json, res.status, bodyAs(res, errorBody).code, bodyAs(res, errorBody).details?.map((d) => d.field)]).toEqual([json, 400, 'VALIDATION_FAILED', [field]]);
    }
    const res = bodyAs(await call('POST', MEETINGS, { token, json: { code: 'Team Standup' } }), errorBody);
    expect(res.message).toBe('code must be 3-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit');
    expect(bodyAs(await call('GET', MEETINGS, { token }), meetingListBody)).toEqual([]);
  });

  it('answers 400 VALIDATION_FAILED naming a field it does not know, and creates nothing', async () => {
    const { token } = await account('unknown-fields');
    const res = await call('POST', MEETINGS, { token, json: { title: 'x', owner: 'y' } });
    expect([res.status, res.body]).toEqual([
      400,
      { code: 'VALIDATION_FAILED', message: 'request body has unknown field "owner"', details: [{ field: '(body)', message: 'has unknown field "owner"' }] },
    ]);
    const two = bodyAs(await call('POST', MEETINGS, { token, json: { ownerId: 'y', lobbby: true } }), errorBody);
    expect(two.details).toEqual([{ field: '(body)', message: 'has unknown fields "ownerId", "lobbby"' }]);
    expect(bodyAs(await call('POST', MEETINGS, { token, json: ['x'] }), errorBody).message).toBe('request body must be a JSON object');
    expect(bodyAs(await call('GET', MEETINGS, { token }), meetingListBody)).toEqual([]);
  });

  it('takes the session token in the JSON body too, as existing front ends send it', async () => {
    const { token, id } = await account('body-token');
    const res = await call('POST', MEETINGS, { json: { token, code: 'body-token-room' } });
    expect([res.status, bodyAs(res, meetingBody).ownerId]).toEqual([201, id]);
  });

  it('asks for a session to create or list meetings (401 UNAUTHENTICATED), not to look one up', async () => {
    expect(await call('POST', MEETINGS, { json: { code: 'anonymous' } })).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await call('GET', MEETINGS)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await call('GET', `${MEETINGS}/anonymous`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('shows a meeting by its code: not live, then live with a count once someone joins by the meeting link, never names', async () => {
    const { token } = await account('live-owner');
    await call('POST', MEETINGS, { token, json: { code: 'live-check', title: 'Live check' } });
    expect(bodyAs(await call('GET', `${MEETINGS}/live-check`), meetingInfoBody)).toEqual({
      code: 'live-check',
      title: 'Live check',
      lobby: false,
      live: false,
      participants: 0,
    });

    const guest = await connect(server.url);
    sockets.push(guest);
    expect(ok(await request(guest, 'join-call', `${server.url}/live-check`, { name: 'Zelda Secretname' })).callId).toBe('live-check');
    const live = await call('GET', `${MEETINGS}/live-check`);
    expect(bodyAs(live, meetingInfoBody)).toEqual({ code: 'live-check', title: 'Live check', lobby: false, live: true, participants: 1 });
    expect(live.text).not.toContain('Zelda');

    ok(await request(guest, 'leave-call'));
    expect(bodyAs(await call('GET', `${MEETINGS}/live-check`), meetingInfoBody)).toMatchObject({ live: false, participants: 0 });
  });

  it('answers 404 NOT_FOUND for a code nobody created, even while an ad-hoc call of that code is live', async () => {
    const guest = await connect(server.url);
    sockets.push(guest);
    ok(await request(guest, 'join-call', `${server.url}/ad-hoc-room`));
    expect(await call('GET', `${MEETINGS}/ad-hoc-room`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: 'No meeting has this code' } });
    expect(await call('GET', `${MEETINGS}/Not_A_Code`)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  // Created in code order, so newest first and (for creations within one millisecond) code descending agree.
  it('lists the caller’s own meetings, newest first, and not anyone else’s', async () => {
    const [mine, theirs] = [await account('lister'), await account('other-lister')];
    for (const code of ['list-a', 'list-b', 'list-c']) expect((await call('POST', MEETINGS, { token: mine.token, json: { code } })).status).toBe(201);
    await call('POST', MEETINGS, { token: theirs.token, json: { code: 'not-yours' } });
    const listed = bodyAs(await call('GET', MEETINGS, { token: mine.token }), meetingListBody);
    expect(listed.map((m) => m.code)).toEqual(['list-c', 'list-b', 'list-a']);
    expect(listed.every((m) => m.ownerId === mine.id)).toBe(true);
    expect(bodyAs(await call('GET', `${MEETINGS}?limit=1`, { token: mine.token }), meetingListBody).map((m) => m.code)).toEqual(['list-c']);
    expect(await call('GET', `${MEETINGS}?limit=0`, { token: mine.token })).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});

describe('meetings with REQUIRE_AUTH=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ REQUIRE_AUTH: 'true' });
  });
  afterAll(() => server.destroy());

  it('asks for a session to look a meeting up, as it does to join a call', async () => {
    expect(await api(server.url, 'GET', `${MEETINGS}/some-code`)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });
});

describe('meeting lookups per client address (RATE_LIMIT_MEETING_LOOKUP)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'true', RATE_LIMIT_MEETING_LOOKUP: '3' });
  });
  afterAll(() => server.destroy());
  const lookUp = (code: string, address: string) => api(server.url, 'GET', `${MEETINGS}/${code}`, { headers: { 'x-forwarded-for': address } });

  it('answers 429 RATE_LIMITED with Retry-After past the limit a minute, found or not, and counts each address apart', async () => {
    const token = await accountToken(server.url, 'lookup-owner', 'Lookup Owner');
    expect((await api(server.url, 'POST', MEETINGS, { token, json: { code: 'guess-me', title: 'Secret plans' } })).status).toBe(201);
    const guesser = '203.0.113.7';
    expect((await lookUp('guess-me', guesser)).status).toBe(200);
    for (const code of ['guess-you', 'guess-them']) expect((await lookUp(code, guesser)).status).toBe(404);
    const refused = await lookUp('guess-me', guesser);
    expect([refused.status, bodyAs(refused, errorBody).code]).toEqual([429, 'RATE_LIMITED']);
    expect(bodyAs(refused, errorBody).message).toBe('Too many meeting lookups; try again later');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.text).not.toContain('Secret plans');
    expect(bodyAs(await lookUp('guess-me', '203.0.113.8'), meetingInfoBody).title).toBe('Secret plans');
  });
});
