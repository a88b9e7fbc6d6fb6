import { JanusMediaServer } from '../../src/adapters/media/janus-media-server';
import type { MediaRoom, Publisher } from '../../src/application/ports/media-server';
import { expectCode } from '../support/errors';
import { icePeer, type IcePeer } from '../support/ice-peer';
import { hostAddress, startJanus, type RunningJanus } from '../support/janus-process';
import { describeWithJanus } from '../support/janus-server';
import { LOUD, SILENT, sendAudio, type AudioSender } from '../support/rtp';
import { publisherOffer } from '../support/sdp';
import { closeAll, connect, failed, idOf, next, ok, record, request, type CallClient } from '../support/socket-client';
import { accountToken, startTestServer, type TestServer } from '../support/test-server';
import { until } from '../support/until';

/*
 * Calls on the SFU end to end: real sockets, a real node, real Janus processes; each publisher is the ICE half of a
 * browser (tests/support/ice-peer.ts), which Janus counts as publishing once ICE connects (test Janus: no DTLS).
 * The rooms' keys never reach a client: the test learns them by watching the node's adapter open them, and asks Janus
 * through an adapter of its own what a room holds.
 */
describeWithJanus('calls on the SFU (real Janus, real sockets)', (janus) => {
  let server: TestServer;
  let spare: RunningJanus | undefined;
  const sockets: CallClient[] = [];
  const peers: IcePeer[] = [];
  const probes: JanusMediaServer[] = [];
  const opened: MediaRoom[] = [];
  const sounds: AudioSender[] = [];
  let users = 0;

  const start = async (env: Record<string, string>) => {
    server = await startTestServer({ MEDIA_MODE: 'sfu', JANUS_REQUEST_TIMEOUT: '2s', ...env });
  };
  const open = async (token?: string) => {
    const socket = await connect(server.url, token ? { token } : {});
    sockets.push(socket);
    return socket;
  };
  const member = async (name: string) => open(await accountToken(server.url, `sfu${++users}`, name));
  /** What Janus itself says of a room, through a connection of the test's own. */
  const probe = (url: string) => {
    const adapter = new JanusMediaServer({ url, requestTimeoutMs: 2_000, maxPublishers: 100 });
    probes.push(adapter);
    return adapter;
  };
  /** The room the node opened for a call (the last one, when it opened several). */
  const roomOf = async (callId: string) => {
    await until(`a room for ${callId}`, () => opened.some((room) => room.callId === callId));
    const room = opened.filter((candidate) => candidate.callId === callId).at(-1);
    if (!room) throw new Error(`no room for ${callId}`);
    return room;
  };
  /** Publishes an ICE-only peer through the socket, connected; answers what its audio needs (rtp.ts sendAudio). */
  const publish = async (socket: CallClient, restart = false) => {
    const ice = await icePeer();
    peers.push(ice);
    const offer = publisherOffer(ice.credentials);
    const answer = ok(await request(socket, 'sfu-publish', { sdp: offer, ...(restart ? { restart } : {}) }));
    await ice.connect(answer.sdp, async (candidate) => {
      ok(await request(socket, 'sfu-candidate', 'publisher', candidate));
    });
    return { ice, offer, answer: answer.sdp };
  };
  /** Janus's listing of the room once `check` holds (polled every 50 ms, at most 10 s). */
  const listed = async (url: string, room: MediaRoom, check: (publishers: Publisher[]) => boolean, what: string) => {
    const janusProbe = probe(url);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const publishers = await janusProbe.publishers(room);
      if (check(publishers)) return publishers;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; Janus lists ${JSON.stringify(publishers)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeEach(() => {
    jest.spyOn(JanusMediaServer.prototype, 'openRoom').mockImplementation(async function (this: JanusMediaServer, room: MediaRoom) {
      opened.push(room);
      return openRoom.call(this, room);
    });
  });
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called above with the adapter as `this`
  const openRoom = JanusMediaServer.prototype.openRoom;
  afterEach(async () => {
    jest.restoreAllMocks();
    for (const audio of sounds.splice(0)) audio.stop();
    closeAll(sockets.splice(0));
    for (const peer of peers.splice(0)) peer.close();
    await Promise.all(probes.splice(0).map((adapter) => adapter.close()));
    opened.length = 0;
    await server?.destroy();
    await spare?.stop();
    spare = undefined;
  });

  it('lets only participants of the call publish and subscribe: not a stranger, not another call, not a kicked guest', async () => {
    await start({ JANUS_URLS: janus.url() });
    const host = await member('Hana');
    const guest = await open();
    const elsewhere = await open();
    const stranger = await open();
    expect(ok(await request(host, 'join-call', 'sfu-guarded')).media).toEqual({ path: 'sfu' });
    ok(await request(guest, 'join-call', 'sfu-guarded', { name: 'Gus' }));
    ok(await request(elsewhere, 'join-call', 'sfu-elsewhere'));
    await publish(host);
    await publish(guest);
    const room = await roomOf('sfu-guarded');
    await listed(janus.url(), room, (publishers) => publishers.length === 2, 'both to publish');

    expect(failed(await request(stranger, 'sfu-publish', { sdp: publisherOffer() })).code).toBe('NOT_IN_CALL');
    expect(failed(await request(stranger, 'sfu-subscribe')).code).toBe('NOT_IN_CALL');
    expect(failed(await request(stranger, 'sfu-candidate', 'publisher', null)).code).toBe('NOT_IN_CALL');
    // Another call's participant reaches its own call's room only: nobody publishes there.
    expect(ok(await request(elsewhere, 'sfu-subscribe'))).toMatchObject({ offer: null, streams: [] });

    const subscribed = ok(await request(guest, 'sfu-subscribe'));
    expect(subscribed.streams.map((stream) => [stream.participantId, stream.kind])).toEqual([
      [idOf(host), 'audio'],
      [idOf(host), 'video'],
    ]);
    expect(subscribed.offer?.sdp).not.toContain(room.key.split('.')[1]);

    const kicked = next(guest, 'kicked');
    ok(await request(host, 'kick', idOf(guest)));
    await kicked;
    expect(failed(await request(guest, 'sfu-publish', { sdp: publisherOffer() })).code).toBe('NOT_IN_CALL');
    expect(failed(await request(guest, 'sfu-subscribe')).code).toBe('NOT_IN_CALL');
    const left = await listed(janus.url(), room, (publishers) => publishers.length === 1, 'the kicked guest to be gone from Janus');
    expect(left.map((publisher) => publisher.participantId)).toEqual([idOf(host)]);
  });

  it('a front end without acks keeps an auto call peer to peer; one joining a call on the SFU is told in words', async () => {
    await start({ JANUS_URLS: janus.url(), MEDIA_MODE: 'auto' });
    const tutorial = await open();
    const errors = record(tutorial);
    const joined = next(tutorial, 'user-joined');
    tutorial.emit('join-call', 'http://localhost:3000/sfu-mixed');
    await joined;
    const [a, b] = [await open(), await open()];
    expect(ok(await request(a, 'join-call', 'sfu-mixed')).media).toEqual({ path: 'mesh' });
    expect(ok(await request(b, 'join-call', 'sfu-mixed')).media).toEqual({ path: 'mesh' });

    const [c, d, e] = [await open(), await open(), await open()];
    ok(await request(c, 'join-call', 'sfu-only'));
    ok(await request(d, 'join-call', 'sfu-only'));
    const moved = next(c, 'media-path');
    expect(ok(await request(e, 'join-call', 'sfu-only')).media).toEqual({ path: 'sfu' });
    expect(await moved).toEqual([{ path: 'sfu', reason: 'grew' }]);
    const refused = next(tutorial, 'call-error');
    tutorial.emit('join-call', 'http://localhost:3000/sfu-only');
    const [error] = await refused;
    expect(error).toMatchObject({ code: 'UNSUPPORTED_CLIENT', event: 'join-call' });
    expect(error.message).toMatch(/open the meeting link in a web browser/);
    expect(errors.violations).toEqual([]);
  });

  it('tells the whole call who Janus hears start and stop talking', async () => {
    await start({ JANUS_URLS: janus.url() });
    const host = await member('Hana');
    const ann = await member('Ann');
    ok(await request(host, 'join-call', 'sfu-speaking'));
    ok(await request(ann, 'join-call', 'sfu-speaking'));
    await publish(host);
    const published = await publish(ann);
    await listed(janus.url(), await roomOf('sfu-speaking'), (publishers) => publishers.length === 2, 'both to publish');

    const heard = [next(host, 'speaking'), next(ann, 'speaking')];
    const audio = sendAudio(published.offer, published.answer, (packet) => published.ice.send(packet), LOUD);
    sounds.push(audio);
    expect(await Promise.all(heard)).toEqual([
      [idOf(ann), true],
      [idOf(ann), true],
    ]);
    const quiet = next(host, 'speaking');
    audio.level(SILENT);
    expect(await quiet).toEqual([idOf(ann), false]);
  });

  it('a forced mute is applied at Janus, lifted there too; end-call destroys the room', async () => {
    await start({ JANUS_URLS: janus.url() });
    const host = await member('Hana');
    const ann = await member('Ann');
    ok(await request(host, 'join-call', 'sfu-muted'));
    ok(await request(ann, 'join-call', 'sfu-muted'));
    await publish(host);
    await publish(ann);
    const room = await roomOf('sfu-muted');
    const audioOf = (publishers: Publisher[]) => publishers.find((publisher) => publisher.participantId === idOf(ann))?.streams.find((s) => s.kind === 'audio')?.forcedOff;
    await listed(janus.url(), room, (publishers) => publishers.length === 2, 'both to publish');

    ok(await request(host, 'mute', idOf(ann), 'audio', { force: true }));
    await listed(janus.url(), room, (publishers) => audioOf(publishers) === true, "ann's audio dropped at Janus");
    ok(await request(host, 'mute', idOf(ann), 'audio', { force: false }));
    await listed(janus.url(), room, (publishers) => audioOf(publishers) === false, "ann's audio let through again");

    const ended = next(ann, 'call-ended');
    ok(await request(host, 'end-call'));
    await ended;
    await expectCode(probe(janus.url()).publishers(room), 'NOT_FOUND');
  });

  it('moves a call whose Janus is killed to another within 10 s, nobody leaving', async () => {
    spare = await startJanus({ iceEnforceList: hostAddress(), webrtcEncryption: false, debugLevel: 3 });
    await start({ JANUS_URLS: `${janus.url()},${spare.url}` });
    const hana = await member('Hana');
    const people = [hana, await member('Ann'), await open()];
    const seen = people.map((socket) => record(socket));
    for (const socket of people) ok(await request(socket, 'join-call', 'sfu-moved'));
    for (const socket of people) await publish(socket);
    const first = await roomOf('sfu-moved');
    await listed(janus.url(), first, (publishers) => publishers.length === 3, 'all three to publish on janus-1');

    const told = people.map((socket) => next(socket, 'media-path'));
    const killed = Date.now();
    await janus.kill();
    expect(await Promise.all(told)).toEqual(people.map(() => [{ path: 'sfu', reason: 'media-server-lost' }]));
    for (const socket of people) await publish(socket, true);
    const moved = await roomOf('sfu-moved');
    expect(moved.key).not.toBe(first.key);
    await listed(spare.url, moved, (publishers) => publishers.length === 3, 'all three to publish on janus-2');
    expect(Date.now() - killed).toBeLessThan(10_000);
    const offer = ok(await request(hana, 'sfu-subscribe'));
    expect(new Set(offer.streams.map((stream) => stream.participantId)).size).toBe(2);
    for (const recording of seen) expect(recording.get('user-left')).toBeUndefined();
  });
});
