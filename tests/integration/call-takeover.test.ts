import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { spawned, startMain, type StartedMain } from '../support/main-process';
import { describeWithRedis } from '../support/redis-server';
import { closeAll, connect, failed, idOf, next, ok, record, request, type CallClient } from '../support/socket-client';
import { accountToken, api, bodyAs, errorBody, startTwoNodes, type TestServer, type TwoNodes } from '../support/test-server';

interface Node {
  url: string;
}

interface Setup {
  a: Node;
  b: Node;
  /** Cycles of the ghost test. */
  cycles: number;
  /** The resident memory of the server process, when it runs in one of its own. */
  rss?: () => number;
}

/** VmRSS of a process, in bytes, as Linux reports it. */
function residentBytes(pid: number): number {
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kilobytes === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kilobytes) * 1024;
}

/**
 * The holes an attacker found: taking over a live call by creating a meeting under its code, ghost participants left
 * behind by a socket that resumes someone else, a resume token that lets two sockets speak as one, and a banned
 * account coming straight back as a guest. Run on one node (memory store) and on two nodes of one Redis, where the
 * attacker's requests go to the other node.
 */
function holes(nodes: () => Setup): void {
  const sockets: CallClient[] = [];
  const open = async (node: Node, token?: string) => {
    const socket = await connect(node.url, token === undefined ? {} : { token });
    sockets.push(socket);
    return socket;
  };
  afterEach(() => closeAll(sockets.splice(0)));
  let counter = 0;
  const unique = (name: string) => `${name}-${++counter}-${Date.now().toString(36)}`;

  it('refuses a meeting under a live call’s code, and a meeting made anyway in a race grants nothing over the call', async () => {
    const { a, b } = nodes();
    const alice = await open(a, await accountToken(a.url, unique('alice'), 'Alice'));
    const malloryToken = await accountToken(b.url, unique('mallory'), 'Mallory');
    const code = unique('standup-x');
    expect(ok(await request(alice, 'join-call', `http://meet/${code}`)).self.role).toBe('host');
    ok(await request(alice, 'call-options', { locked: true, lobby: true }));

    const mallory = await open(b, malloryToken);
    expect(failed(await request(mallory, 'join-call', code)).code).toBe('CALL_LOCKED');
    const created = await api(b.url, 'POST', '/api/v1/meetings', { token: malloryToken, json: { code } });
    expect([created.status, bodyAs(created, errorBody).code]).toEqual([409, 'MEETING_CODE_TAKEN']);
    expect(failed(await request(mallory, 'join-call', code)).code).toBe('CALL_LOCKED');

    // Alice leaves: the code stays held, so Mallory cannot claim it for her next call either.
    ok(await request(alice, 'leave-call'));
    const later = await api(a.url, 'POST', '/api/v1/meetings', { token: malloryToken, json: { code } });
    expect(later.status).toBe(409);
  });

  it('never makes the creator of a meeting host over an ad-hoc call that its first join started in the same instant', async () => {
    const { a, b } = nodes();
    const malloryToken = await accountToken(b.url, unique('mallory'), 'Mallory');
    const aliceToken = await accountToken(a.url, unique('alice'), 'Alice');
    for (let round = 0; round < 10; round++) {
      const code = unique('race');
      const alice = await open(a, aliceToken);
      const [created, joined] = await Promise.all([
        api(b.url, 'POST', '/api/v1/meetings', { token: malloryToken, json: { code } }),
        request(alice, 'join-call', code),
      ]);
      const aliceRole = ok(joined).self.role;
      if (created.status === 201 && aliceRole === 'host') {
        // Alice's join started an ad-hoc call before the meeting existed: it stays Alice's.
        const mallory = await open(b, malloryToken);
        expect(ok(await request(mallory, 'join-call', code)).self.role).toBe('member');
        expect(failed(await request(mallory, 'kick', idOf(alice), { ban: true })).code).toBe('FORBIDDEN');
      } else if (created.status === 201) {
        // The meeting came first and Alice joined Mallory's meeting: the owner's call, as it should be.
        expect(aliceRole).toBe('member');
      } else {
        expect(bodyAs(created, errorBody).code).toBe('MEETING_CODE_TAKEN');
      }
      alice.close();
    }
  });

  it('takes a socket that resumes someone else out of its own call: no ghost is left, the victim call stays joinable', async () => {
    const { a, b } = nodes();
    const [w, v] = [unique('w'), unique('v')];
    const keeper = await open(a);
    ok(await request(keeper, 'join-call', v, { name: 'Keeper' }));
    const seenByKeeper = record(keeper);
    const victim = await open(a);
    const token = ok(await request(victim, 'join-call', w, { name: 'Victim' })).resumeToken;
    const victimId = idOf(victim);

    const attacker = await open(b);
    ok(await request(attacker, 'join-call', v, { name: 'Ghost' }));
    const attackerId = idOf(attacker);
    const left = next(keeper, 'user-left');
    const replaced = next(victim, 'connection-replaced');
    const closed = new Promise<string>((resolve) => victim.once('disconnect', resolve));
    const taken = ok(await request(attacker, 'join-call', w, { resume: token }));
    expect(taken).toMatchObject({ resumed: true, self: { id: victimId } });
    expect(taken.resumeToken).not.toBe(token);
    expect(await left).toEqual([attackerId]);
    expect(await replaced).toEqual([{ reason: 'resumed-elsewhere' }]);
    expect(await closed).toBe('io server disconnect');
    // The spent token resumes no more.
    const late = await open(a);
    expect(ok(await request(late, 'join-call', w, { resume: token })).resumed).toBe(false);

    // The replaced socket's disconnect did not take the participant out: it is in w, on the attacker's socket.
    const probe = await open(b);
    const roster = ok(await request(probe, 'join-call', w)).participants;
    expect(attacker.connected).toBe(true);
    expect(roster.filter((p) => p.id === victimId)).toEqual([expect.objectContaining({ connected: true })]);
    expect(seenByKeeper.violations).toEqual([]);
  });

  it('leaves nothing behind over many join-then-resume-elsewhere cycles: the call stays joinable and memory flat', async () => {
    const { a, b, cycles, rss } = nodes();
    const [w, v] = [unique('w'), unique('v')];
    const holder = await open(a);
    let token = ok(await request(holder, 'join-call', w)).resumeToken;
    const run = async (count: number) => {
      for (let cycle = 0; cycle < count; cycle++) {
        // Each socket is replaced (and closed by the server) by the next one's resume.
        const socket = await connect((cycle % 2 === 0 ? a : b).url);
        ok(await request(socket, 'join-call', v));
        token = ok(await request(socket, 'join-call', w, { resume: token })).resumeToken;
        if (cycle === count - 1) sockets.push(socket);
      }
    };
    // A warm-up first, so that what the process grows by afterwards is what the cycles leave behind.
    await run(200);
    const before = rss?.();
    await run(cycles);
    if (before !== undefined && rss) {
      // 1,000 ghosts used to add about 22 MB on top of the ~8 MB the heap grows by under this churn anyway.
      expect(rss() - before).toBeLessThan(16 * 1024 * 1024);
    }
    const newcomer = await open(b);
    const joined = ok(await request(newcomer, 'join-call', v));
    expect(joined.participants.map((p) => p.id)).toEqual([idOf(newcomer)]);
    const count = await api(a.url, 'GET', `/api/v1/meetings/${v}`);
    expect(count.status).toBe(404);
  }, 60_000);

  it('keeps a banned account out when it comes back as a guest from the same address; another account may join; unban lifts both', async () => {
    const { a, b } = nodes();
    const hostToken = await accountToken(a.url, unique('host'), 'Hana');
    const bobUser = unique('bob');
    const bobToken = await accountToken(a.url, bobUser, 'Bob');
    const created = await api(a.url, 'POST', '/api/v1/meetings', { token: hostToken, json: {} });
    const { code } = bodyAs(created, z.object({ code: z.string() }));
    const host = await open(a, hostToken);
    ok(await request(host, 'join-call', code));
    const bob = await open(b, bobToken);
    const bobJoined = ok(await request(bob, 'join-call', code));
    ok(await request(host, 'kick', bobJoined.self.id, { ban: true }));

    const bobAsGuest = await open(b);
    expect(failed(await request(bobAsGuest, 'join-call', code, { name: 'Not Bob' })).code).toBe('BANNED');
    const colleague = await open(b, await accountToken(b.url, unique('carol'), 'Carol'));
    expect(ok(await request(colleague, 'join-call', code)).self.role).toBe('member');

    const userId = bobJoined.self.userId;
    if (userId === undefined) throw new Error('Bob joined without his account');
    expect(ok(await request(host, 'unban', userId)).lifted).toBe(true);
    expect(ok(await request(bobAsGuest, 'join-call', code, { name: 'Bob again' })).self.name).toBe('Bob again');
  });
}

describe('call holes, on one node (its own process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'meet-holes-'));
  let node: StartedMain;
  beforeAll(async () => {
    node = await startMain({ NODE_ENV: 'test', DATA_DIR: dataDir, BCRYPT_ROUNDS: '4', MAX_PARTICIPANTS: '4' });
  });
  afterAll(async () => {
    spawned.forEach((child) => child.kill('SIGKILL'));
    rmSync(dataDir, { recursive: true, force: true });
  });
  holes(() => {
    const { pid } = node.child;
    if (pid === undefined) throw new Error('the server process has no pid');
    return { a: node, b: node, cycles: 1000, rss: () => residentBytes(pid) };
  });
});

describeWithRedis('call holes, on two nodes of one Redis', (redis) => {
  let nodes: TwoNodes;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    nodes = await startTwoNodes(redis(), { MAX_PARTICIPANTS: '4' });
    ({ nodeA: a, nodeB: b } = nodes);
  });
  afterAll(() => nodes?.close());
  holes(() => ({ a, b, cycles: 300 }));
});
