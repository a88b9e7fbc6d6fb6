import { AckFailure } from '../../src/web/ack-failure';
import type { CallSnapshot } from '../../src/web/call-line';
import { CallSession, type CallSessionEvents } from '../../src/web/call-session';
import { FakeCallLine, joined, snapshot } from './fake-call-line';

/** Lets the session's awaited answers run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function start() {
  const line = new FakeCallLine();
  const heard: string[] = [];
  const entered: Array<{ snapshot: CallSnapshot; resumed: boolean }> = [];
  const events: CallSessionEvents = {
    entered: (snap, resumed) => {
      entered.push({ snapshot: snap, resumed });
      heard.push(`entered ${snap.self.id}${resumed ? ' resumed' : ''}`);
    },
    waiting: (text) => heard.push(`waiting: ${text}`),
    restarted: () => heard.push('restarted'),
    alert: (text) => heard.push(`alert: ${text ?? 'none'}`),
    ended: (reason) => heard.push(`ended: ${reason ?? 'left'}`),
  };
  const session = new CallSession({ code: 'abc-defg-hij', name: 'Ann', open: () => line, retryMs: 2000 }, events);
  return { line, session, heard, entered };
}

async function inCall(selfId = 'p1') {
  const started = start();
  const joining = started.session.join();
  expect(started.session.phase).toEqual({ name: 'joining' });
  started.line.nextJoin().answer(joined(selfId, false));
  await joining;
  started.heard.length = 0;
  return started;
}

async function inLobby() {
  const started = start();
  const joining = started.session.join();
  started.line.nextJoin().answer({ ok: true, waiting: true });
  await joining;
  return started;
}

describe('the call session', () => {
  it('goes from joining to in-call when the join is answered', async () => {
    const { session, heard } = await inCall('p1');
    expect(session.phase).toEqual({ name: 'in-call', selfId: 'p1' });
    expect(session.selfId).toBe('p1');
    expect(heard).toEqual([]);
  });

  it('throws the refusal of a join in the server words', async () => {
    const { line, session } = start();
    const joining = session.join();
    line.nextJoin().answer({ ok: false, error: { code: 'FORBIDDEN', message: 'You are banned from this call.' } });
    await expect(joining).rejects.toEqual(new AckFailure({ code: 'FORBIDDEN', message: 'You are banned from this call.' }));
  });

  it('waits in the lobby, then enters when admitted', async () => {
    const { line, session, heard } = await inLobby();
    expect(session.phase).toEqual({ name: 'waiting', selfId: null });
    expect(heard).toEqual(['waiting: Waiting for the host to let you in…']);
    line.hear({ type: 'admitted', snapshot: snapshot('p2', { resumeToken: 'token-p2' }) });
    expect(session.phase).toEqual({ name: 'in-call', selfId: 'p2' });
    expect(heard).toEqual(['waiting: Waiting for the host to let you in…', 'entered p2']);
    line.reconnected();
    expect(line.nextJoin().opts).toEqual({ name: 'Ann', resume: 'token-p2' });
  });

  it('ends when the host denies it entry', async () => {
    const { line, session, heard } = await inLobby();
    line.hear({ type: 'denied' });
    expect(session.phase).toEqual({ name: 'ended', reason: 'The host did not let you in.' });
    expect(heard).toContain('ended: The host did not let you in.');
    expect(line.log).toEqual(['join-call', 'leave-call', 'close']);
  });

  it('resumes as the same participant after a drop', async () => {
    const { line, session, heard } = await inCall('p1');
    line.connected = false;
    line.hear({ type: 'disconnect', reason: 'transport close' });
    expect(session.phase).toEqual({ name: 'reconnecting', selfId: 'p1' });
    line.connected = true;
    line.hear({ type: 'connect' });
    const resume = line.nextJoin();
    expect(resume.opts).toEqual({ name: 'Ann', resume: 'token-p1' });
    resume.answer(joined('p1', true));
    await settle();
    expect(session.phase).toEqual({ name: 'in-call', selfId: 'p1' });
    expect(heard).toEqual(['alert: Connection lost. Reconnecting…', 'entered p1 resumed', 'alert: none']);
  });

  it('starts over as a new participant when the server no longer holds the old one', async () => {
    const { line, session, heard } = await inCall('p1');
    line.reconnected();
    line.nextJoin().answer(joined('p9', false));
    await settle();
    expect(session.phase).toEqual({ name: 'in-call', selfId: 'p9' });
    expect(heard).toEqual(['alert: Connection lost. Reconnecting…', 'restarted', 'entered p9', 'alert: none']);
    line.reconnected();
    expect(line.nextJoin().opts).toEqual({ name: 'Ann', resume: 'token-p9' });
  });

  it('knocks again when the connection drops in the lobby, and waits again', async () => {
    const { line, session, heard } = await inLobby();
    line.connected = false;
    line.hear({ type: 'disconnect', reason: 'transport close' });
    expect(session.phase).toEqual({ name: 'reconnecting', selfId: null });
    line.connected = true;
    line.hear({ type: 'connect' });
    const knock = line.nextJoin();
    expect(knock.opts).toEqual({ name: 'Ann' });
    knock.answer({ ok: true, waiting: true });
    await settle();
    expect(session.phase).toEqual({ name: 'waiting', selfId: null });
    expect(heard.slice(1)).toEqual(['alert: Connection lost. Reconnecting…', 'restarted', 'alert: none', 'waiting: Waiting for the host to let you in again…']);
  });

  it('waits in the lobby when a resume lands there, keeping who it was for the grid', async () => {
    const { line, session } = await inCall('p1');
    line.reconnected();
    line.nextJoin().answer({ ok: true, waiting: true });
    await settle();
    expect(session.phase).toEqual({ name: 'waiting', selfId: 'p1' });
  });

  it('rejoins when the server lost the call', async () => {
    const { line, session, heard } = await inCall('p1');
    line.hear({ type: 'call-reset' });
    expect(session.phase).toEqual({ name: 'reconnecting', selfId: 'p1' });
    const rejoin = line.nextJoin();
    expect(rejoin.opts).toEqual({ name: 'Ann', resume: 'token-p1' });
    rejoin.answer(joined('p5', false));
    await settle();
    expect(session.phase).toEqual({ name: 'in-call', selfId: 'p5' });
    expect(heard).toEqual(['alert: The call was interrupted by a server problem. Rejoining…', 'restarted', 'entered p5', 'alert: none']);
  });

  it('ignores a call reset before it is in the call', async () => {
    const { line, session } = await inLobby();
    line.hear({ type: 'call-reset' });
    expect(session.phase).toEqual({ name: 'waiting', selfId: null });
    expect(line.unansweredJoins).toBe(0);
  });

  it('ends without reconnecting when the call went on elsewhere', async () => {
    const { line, session, heard } = await inCall('p1');
    line.hear({ type: 'connection-replaced' });
    expect(session.phase).toEqual({ name: 'ended', reason: 'This call went on in another tab or window, so it ended here.' });
    line.reconnected();
    expect(line.unansweredJoins).toBe(0);
    expect(heard).toEqual(['ended: This call went on in another tab or window, so it ended here.']);
  });

  it.each([
    [{ type: 'kicked', banned: false } as const, 'The host removed you from the call.'],
    [{ type: 'kicked', banned: true } as const, 'The host removed you from the call and banned you from rejoining it.'],
    [{ type: 'call-ended' } as const, 'The host ended the call for everyone.'],
    [{ type: 'session-ended' } as const, 'Your session ended; sign in again.'],
  ])('ends on %j', async (event, reason) => {
    const { line, session, heard } = await inCall('p1');
    line.hear(event);
    expect(session.phase).toEqual({ name: 'ended', reason });
    expect(heard).toEqual([`ended: ${reason}`]);
    expect(line.log.slice(-2)).toEqual(['leave-call', 'close']);
  });

  it('leaves once', async () => {
    const { session, heard } = await inCall('p1');
    session.leave(null);
    session.leave('again');
    expect(session.phase).toEqual({ name: 'ended', reason: null });
    expect(heard).toEqual(['ended: left']);
  });

  it('asks again after a while when the server cannot serve a resume yet', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { line, session } = await inCall('p1');
      line.reconnected();
      line.nextJoin().answer({ ok: false, error: { code: 'SERVICE_UNAVAILABLE', message: 'Try again.' } });
      await settle();
      expect(line.unansweredJoins).toBe(0);
      jest.advanceTimersByTime(2000);
      line.nextJoin().answer(joined('p1', true));
      await settle();
      expect(session.phase).toEqual({ name: 'in-call', selfId: 'p1' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks again when a resume gets no answer on a connection that is still up', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    try {
      const { line } = await inCall('p1');
      line.reconnected();
      line.nextJoin().fail();
      await settle();
      jest.advanceTimersByTime(2000);
      expect(line.unansweredJoins).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('ends when a resume is refused for good', async () => {
    const { line, session } = await inCall('p1');
    line.reconnected();
    line.nextJoin().answer({ ok: false, error: { code: 'FORBIDDEN', message: 'The call is locked.' } });
    await settle();
    expect(session.phase).toEqual({ name: 'ended', reason: 'Could not rejoin the call: The call is locked.' });
  });

  it('reconnects by itself when the server closed the connection on purpose', async () => {
    const { line } = await inCall('p1');
    line.hear({ type: 'disconnect', reason: 'io server disconnect' });
    expect(line.log).toContain('reconnect');
  });

  it('ends when the server refuses the connection, and says it retries otherwise', async () => {
    const { line, session, heard } = await inCall('p1');
    line.hear({ type: 'connect-error', message: 'xhr poll error' });
    expect(heard).toEqual(['alert: Cannot reach the server (xhr poll error). Retrying…']);
    line.active = false;
    line.hear({ type: 'connect-error', message: 'session ended' });
    expect(session.phase).toEqual({ name: 'ended', reason: 'Could not connect: session ended' });
  });

  it('sends signals at once in the call, and holds them out of it for those still there', async () => {
    const { line, session } = await inCall('p1');
    session.signal('p2', { candidate: null });
    expect(line.signals).toEqual([['p2', { candidate: null }]]);
    line.reconnected();
    session.signal('p2', { candidate: null });
    session.signal('p3', { candidate: null });
    expect(line.signals).toHaveLength(1);
    session.flushOutbox((id) => id === 'p3');
    expect(line.signals).toEqual([
      ['p2', { candidate: null }],
      ['p3', { candidate: null }],
    ]);
  });

  it('refuses requests out of the call and makes them in it', async () => {
    const { line, session } = await inCall('p1');
    await expect(session.ask('chat-message', 'hi', 'Ann')).resolves.toMatchObject({ ok: true });
    line.reconnected();
    await expect(session.ask('chat-message', 'hi', 'Ann')).resolves.toEqual({
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'You are not in the call right now: wait until it reconnects.' },
    });
  });
});
