import { describeWithRedis } from '../support/redis-server';
import { closeAll, connect, failed, idOf, next, ok, record, request, settle, type CallClient, type Recording } from '../support/socket-client';
import { until } from '../support/until';
import { accountToken, startTwoNodes, type TestServer, type TwoNodes } from '../support/test-server';

/*
 * A cross-node signal is one publish carrying the sender's call, as the sender's node knows it; the target's node
 * delivers it only if the target is in that call there. Its ack means "accepted for delivery": a target on the other
 * node that is not in the call is dropped there silently (docs/protocol.md). Each test fences what it expects not to
 * arrive with a signal that must arrive after it (same sending node, same target node: Redis keeps their order).
 */
describeWithRedis('signals across two nodes on one Redis', (redis) => {
  let nodes: TwoNodes;
  let nodeA: TestServer;
  let nodeB: TestServer;
  const sockets: CallClient[] = [];
  const open = async (node: TestServer, token?: string) => {
    const socket = await connect(node.url, token === undefined ? {} : { token });
    sockets.push(socket);
    return socket;
  };
  const signalsOf = (seen: Recording) => (seen.get('signal') ?? []).map(([fromId, message]) => [fromId, message]);

  beforeAll(async () => {
    nodes = await startTwoNodes(redis());
    ({ nodeA, nodeB } = nodes);
  });
  afterEach(() => closeAll(sockets.splice(0)));
  afterAll(() => nodes?.close());

  it('arrive both ways, in order, each acked', async () => {
    const [ann, bob] = [await open(nodeA), await open(nodeB)];
    ok(await request(ann, 'join-call', 'sig-both'));
    ok(await request(bob, 'join-call', 'sig-both'));
    const [seenAnn, seenBob] = [record(ann), record(bob)];
    for (let i = 0; i < 20; i++) {
      expect(await request(ann, 'signal', idOf(bob), { n: i })).toEqual({ ok: true });
      expect(await request(bob, 'signal', idOf(ann), { n: i })).toEqual({ ok: true });
    }
    await until('all 40 signals', () => signalsOf(seenBob).length >= 20 && signalsOf(seenAnn).length >= 20);
    await settle(ann, bob);
    expect(signalsOf(seenBob)).toEqual(Array.from({ length: 20 }, (_, n) => [idOf(ann), { n }]));
    expect(signalsOf(seenAnn)).toEqual(Array.from({ length: 20 }, (_, n) => [idOf(bob), { n }]));
  });

  // A node sends the publishes of one turn of its event loop to Redis together (auto-pipelining): a burst sent
  // without waiting for acks goes out in such batches, and must still arrive whole and in order.
  it('sent in a burst without waiting, arrive whole and in order', async () => {
    const [ann, bob] = [await open(nodeA), await open(nodeB)];
    ok(await request(ann, 'join-call', 'sig-burst'));
    ok(await request(bob, 'join-call', 'sig-burst'));
    const seenBob = record(bob);
    const acks = Array.from({ length: 100 }, (_, n) => request(ann, 'signal', idOf(bob), { n }));
    expect(await Promise.all(acks)).toEqual(Array.from({ length: 100 }, () => ({ ok: true })));
    await until('all 100 signals', () => signalsOf(seenBob).length >= 100);
    await settle(bob);
    expect(signalsOf(seenBob)).toEqual(Array.from({ length: 100 }, (_, n) => [idOf(ann), { n }]));
  });

  it('never reach someone in another call: dropped on the far node, refused on the same node', async () => {
    const [ann, cy] = [await open(nodeA), await open(nodeA)];
    const [bob, dee] = [await open(nodeB), await open(nodeB)];
    ok(await request(ann, 'join-call', 'sig-one'));
    ok(await request(bob, 'join-call', 'sig-one'));
    ok(await request(cy, 'join-call', 'sig-two'));
    ok(await request(dee, 'join-call', 'sig-two'));
    const [seenAnn, seenDee] = [record(ann), record(dee)];
    // Ann's node does not know where Dee is: accepted, then dropped by Dee's node, which knows Dee is in sig-two.
    expect(await request(ann, 'signal', idOf(dee), 'sneak')).toEqual({ ok: true });
    expect(failed(await request(bob, 'signal', idOf(dee), 'sneak')).code).toBe('NOT_IN_SAME_CALL');
    expect(failed(await request(cy, 'signal', idOf(ann), 'sneak')).code).toBe('NOT_IN_SAME_CALL');
    ok(await request(cy, 'signal', idOf(dee), 'fence'));
    await until('the fence', () => signalsOf(seenDee).length > 0);
    await settle(dee, ann);
    expect(signalsOf(seenDee)).toEqual([[idOf(cy), 'fence']]);
    expect(signalsOf(seenAnn)).toEqual([]);
  });

  it('never reach one who left, nor leave from one who left or moved calls', async () => {
    const [ann, bob, cy] = [await open(nodeA), await open(nodeB), await open(nodeB)];
    for (const socket of [ann, bob, cy]) ok(await request(socket, 'join-call', 'sig-left'));
    const [seenBob, seenCy] = [record(bob), record(cy)];
    expect(ok(await request(bob, 'leave-call')).left).toBe(true);
    expect(await request(ann, 'signal', idOf(bob), 'after leave')).toEqual({ ok: true });
    ok(await request(ann, 'signal', idOf(cy), 'fence'));
    expect(failed(await request(bob, 'signal', idOf(ann), 'from one who left')).code).toBe('NOT_IN_CALL');
    // Ann moves to another call: her old call's people are out of reach at once, both ways.
    ok(await request(ann, 'join-call', 'sig-elsewhere'));
    expect(await request(ann, 'signal', idOf(cy), 'from the old call')).toEqual({ ok: true });
    expect(await request(cy, 'signal', idOf(ann), 'to one who moved')).toEqual({ ok: true });
    await until('the fence', () => signalsOf(seenCy).length > 0);
    await settle(bob, cy, ann);
    expect(signalsOf(seenBob)).toEqual([]);
    expect(signalsOf(seenCy)).toEqual([[idOf(ann), 'fence']]);
    expect(record(ann).get('signal') ?? []).toEqual([]);
  });

  it('never reach one kicked a moment ago, and the kicked one reaches no one once told', async () => {
    // The host on node A, the target and a bystander on node B, another member on node A.
    const [host, ann] = [await open(nodeA, await accountToken(nodeA.url, 'sig-host', 'Hana')), await open(nodeA)];
    const [kicked, bob] = [await open(nodeB), await open(nodeB)];
    for (const socket of [host, ann, kicked, bob]) ok(await request(socket, 'join-call', 'sig-kick'));
    const [seenKicked, seenBob] = [record(kicked), record(bob)];
    const told = next(kicked, 'kicked');
    const bobTold = next(bob, 'user-left');
    ok(await request(host, 'kick', idOf(kicked)));
    // Straight after the kick's ack, from the host's node: published after the detach, so dropped on node B.
    expect(await request(ann, 'signal', idOf(kicked), 'a moment after')).toEqual({ ok: true });
    ok(await request(ann, 'signal', idOf(bob), 'fence'));
    // On the target's own node, once its neighbour has heard: refused there.
    await bobTold;
    expect(failed(await request(bob, 'signal', idOf(kicked), 'told')).code).toBe('NOT_IN_SAME_CALL');
    // The kicked one, the moment it is told, is in no call.
    await told;
    expect(failed(await request(kicked, 'signal', idOf(bob), 'still here?')).code).toBe('NOT_IN_CALL');
    expect(failed(await request(kicked, 'signal', idOf(ann), 'still here?')).code).toBe('NOT_IN_CALL');
    await until('the fence', () => signalsOf(seenBob).length > 0);
    await settle(kicked, bob);
    expect(signalsOf(seenKicked)).toEqual([]);
  });

  it('never reach those of a call that ended, nor come from them', async () => {
    const [host, ann, bob] = [await open(nodeA, await accountToken(nodeA.url, 'sig-ender', 'Ed')), await open(nodeB), await open(nodeB)];
    for (const socket of [host, ann, bob]) ok(await request(socket, 'join-call', 'sig-end'));
    const seenBob = record(bob);
    const told = next(ann, 'call-ended');
    ok(await request(host, 'end-call'));
    expect(await request(host, 'signal', idOf(bob), 'after end')).toMatchObject({ ok: false });
    await told;
    expect(failed(await request(ann, 'signal', idOf(bob), 'after end')).code).toBe('NOT_IN_CALL');
    await settle(bob);
    expect(signalsOf(seenBob)).toEqual([]);
  });
});
