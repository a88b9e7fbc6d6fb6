import type { IceCandidate, MediaRoom, MediaServer, MediaServerLoss, Publisher, PublishingStarted, TalkingChanged } from '../../src/application/ports/media-server';
import type { ForcedKind } from '../../src/domain/call';
import { expectCode } from '../support/errors';
import { answerTo, publisherOffer, sdpSections } from '../support/sdp';

/** A browser's publishing side, as far as the server can tell. */
export interface ContractPeer {
  /** Its offer: opus audio (mid 0) and VP8 video (mid 1). */
  offer: string;
  /** Takes the server's answer, trickles its candidates through `trickle` and connects where the server needs that to count it as publishing. */
  connect(answer: string, trickle: (candidate: IceCandidate | null) => Promise<void>): Promise<void>;
  /** Once connected: sends audio from now on, a voice (true) or silence (false), until told otherwise or closed. */
  talk(talking: boolean): void;
  close(): void;
}

export interface MediaServerUnderTest {
  server: MediaServer;
  peer(): Promise<ContractPeer>;
  /** The server dies as a killed process does. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

export interface ContractOptions {
  maxPublishers: number;
}

/**
 * A peer that only trickles a candidate and the end of candidates: enough where nothing connects (the fake). Its
 * talking is whatever `talk` does with its offer (the fake: the publisher that sent that offer talks).
 */
export async function sdpOnlyPeer(talk: (offer: string, talking: boolean) => void = () => {}): Promise<ContractPeer> {
  const offer = publisherOffer();
  return {
    offer,
    connect: async (_answer, trickle) => {
      await trickle({ candidate: 'candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 });
      await trickle(null);
    },
    talk: (talking) => talk(offer, talking),
    close: () => {},
  };
}

/** Polls `read` (every 50 ms, at most `timeoutMs`) until `check` holds; answers the last reading. */
async function eventually<T>(what: string, read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Janus decides on each second of audio packets: a change is told within two of them. */
const TALK_TIMEOUT_MS = 5_000;

const streamsOf = (forcedOff: Partial<Record<ForcedKind, boolean>> = {}) => [
  { kind: 'audio', mid: '0', forcedOff: forcedOff.audio ?? false },
  { kind: 'video', mid: '1', forcedOff: forcedOff.video ?? false },
];

/**
 * Every MediaServer adapter must pass this unchanged. `open` returns a server with these options, on a media
 * server of its own or shared with earlier tests (each test opens rooms of its own).
 */
export function mediaServerContract(open: (options: ContractOptions) => Promise<MediaServerUnderTest>): void {
  let under: MediaServerUnderTest;
  let server: MediaServer;
  const opened: MediaServerUnderTest[] = [];
  const peers: ContractPeer[] = [];
  const another = async (options: ContractOptions = { maxPublishers: 10 }) => {
    const next = await open(options);
    opened.push(next);
    return next;
  };
  beforeEach(async () => {
    under = await another();
    server = under.server;
  });
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.close();
    await Promise.all(opened.splice(0).map((done) => done.close()));
  });

  /** `id` publishes audio and video, connected; answers its peer once the server lists `id`. */
  const publishing = async (room: MediaRoom, id: string, forcedOff?: Partial<Record<ForcedKind, boolean>>, on: MediaServerUnderTest = under) => {
    const peer = await on.peer();
    peers.push(peer);
    const answer = await on.server.publish(room, id, { sdp: peer.offer, ...(forcedOff ? { forcedOff } : {}) });
    await peer.connect(answer.sdp, (candidate) => on.server.trickle(room, id, 'publisher', candidate));
    await listing(room, (publishers) => publishers.some((publisher) => publisher.participantId === id), `${id} to publish`, on.server);
    return peer;
  };
  const listing = (room: MediaRoom, check: (publishers: Publisher[]) => boolean, what: string, on: MediaServer = server) =>
    eventually(what, () => on.publishers(room), check);
  /** A new room of the call, open on `on`. */
  const openedRoom = async (callId: string, on: MediaServer = server) => {
    const room = { callId, key: on.newRoomKey() };
    await on.openRoom(room);
    return room;
  };
  const publisherIds = (publishers: Publisher[]) => publishers.map((publisher) => publisher.participantId).sort();

  it('draws a new room each time, and opens the one a key names: again, at once and from another node, the same room', async () => {
    const room = { callId: 'c1', key: server.newRoomKey() };
        expect(server.newRoomKey()).not.toBe(room.key);
    const other = await another();
    await Promise.all([server.openRoom(room), server.openRoom(room), other.server.openRoom(room)]);
    await server.openRoom(room);
    await publishing(room, 'a');
    await publishing(room, 'b', undefined, other);
    expect(publisherIds(await server.publishers(room))).toEqual(['a', 'b']);
  });

  it('tells the node holding a publisher when its media starts to flow', async () => {
    const room = await openedRoom('c1');
    const started: PublishingStarted[] = [];
    server.onPublishing((event) => started.push(event));
    const removed: PublishingStarted[] = [];
    server.onPublishing((event) => removed.push(event))();
    await publishing(room, 'a');
    await eventually('the start', async () => started.length, (count) => count > 0);
    expect(started).toEqual([{ callId: 'c1', participantId: 'a' }]);
    expect(removed).toEqual([]);
  });

  it('tells that node again when a publisher renegotiates what it sends', async () => {
    const room = await openedRoom('c1');
    const started: PublishingStarted[] = [];
    server.onPublishing((event) => started.push(event));
    const peer = await under.peer();
    peers.push(peer);
    const answer = await server.publish(room, 'a', { sdp: peer.offer });
    await peer.connect(answer.sdp, (candidate) => server.trickle(room, 'a', 'publisher', candidate));
    await eventually('the start', async () => started.length, (count) => count > 0);
    const before = started.length;
    await server.publish(room, 'a', { sdp: peer.offer });
    await eventually('the renegotiation', async () => started.length, (count) => count > before);
    expect(started.at(-1)).toEqual({ callId: 'c1', participantId: 'a' });
  });

  it('tells the node holding a publisher when it starts and stops talking, once each, and no other node', async () => {
    const room = await openedRoom('c1');
    const other = await another();
    const told: TalkingChanged[] = [];
    server.onTalking((event) => told.push(event));
    const removed: TalkingChanged[] = [];
    server.onTalking((event) => removed.push(event))();
    const elsewhere: TalkingChanged[] = [];
    other.server.onTalking((event) => elsewhere.push(event));
    const a = await publishing(room, 'a');
    // b's node is in the room too (Janus tells every publisher in it), and b stays quiet.
    await publishing(room, 'b', undefined, other);
    const started = Date.now();
    a.talk(true);
    await eventually('a to talk', async () => told.length, (count) => count > 0, TALK_TIMEOUT_MS);
    // Someone arriving now learns who talks from the listing: no event comes until it changes.
    const talkingNow = async () => (await server.publishers(room)).filter((publisher) => publisher.talking).map((publisher) => publisher.participantId);
    expect(await talkingNow()).toEqual(['a']);
    // Talking on for about two seconds in all: a voice that goes on is told once.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 2_000 - Date.now())));
    a.talk(false);
    await eventually('a to stop talking', async () => told.length, (count) => count > 1, TALK_TIMEOUT_MS);
    expect(await talkingNow()).toEqual([]);
    expect(told).toEqual([
      { callId: 'c1', participantId: 'a', talking: true },
      { callId: 'c1', participantId: 'a', talking: false },
    ]);
    expect(elsewhere).toEqual([]);
    expect(removed).toEqual([]);
  });

  it('chooses the layer of a publisher’s video a subscription receives; NOT_FOUND for one it does not receive', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await publishing(room, 'b');
    await expectCode(server.chooseLayer(room, 'c', 'a', 'low'), 'NOT_FOUND');
    await server.subscribe(room, 'c', ['a']);
    await server.chooseLayer(room, 'c', 'a', 'low');
    await server.chooseLayer(room, 'c', 'a', 'high');
    await expectCode(server.chooseLayer(room, 'c', 'b', 'low'), 'NOT_FOUND');
  });

  it('answers a publisher’s offer with an answer that receives its audio and its video', async () => {
    const room = await openedRoom('c1');
    const peer = await under.peer();
    peers.push(peer);
    const answer = await server.publish(room, 'a', { sdp: peer.offer });
    expect(sdpSections(answer.sdp).map(({ kind, mid, direction }) => ({ kind, mid, direction }))).toEqual([
      { kind: 'audio', mid: '0', direction: 'recvonly' },
      { kind: 'video', mid: '1', direction: 'recvonly' },
    ]);
  });

  it('lists a connected publisher with its streams, nothing forced off', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    expect(await server.publishers(room)).toEqual([{ participantId: 'a', streams: streamsOf(), talking: false }]);
  });

  it('renegotiates a publisher’s next offer: one publisher still, what was forced off still off', async () => {
    const room = await openedRoom('c1');
    const peer = await under.peer();
    peers.push(peer);
    const first = await server.publish(room, 'a', { sdp: peer.offer });
    await peer.connect(first.sdp, (candidate) => server.trickle(room, 'a', 'publisher', candidate));
    await listing(room, (publishers) => publishers.length === 1, 'a to publish');
    await server.moderate(room, 'a', { audio: true });
    const again = await server.publish(room, 'a', { sdp: peer.offer });
    expect(sdpSections(again.sdp).map(({ kind, mid }) => ({ kind, mid }))).toEqual([
      { kind: 'audio', mid: '0' },
      { kind: 'video', mid: '1' },
    ]);
    expect(await server.publishers(room)).toEqual([{ participantId: 'a', streams: streamsOf({ audio: true }), talking: false }]);
  });

  it('subscribes to publishers: an offer sending their streams, which says whose stream each media id carries', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await publishing(room, 'b');
    const offer = await server.subscribe(room, 'c', ['a', 'b']);
    expect(offer.streams.map(({ participantId, kind }) => ({ participantId, kind }))).toEqual([
      { participantId: 'a', kind: 'audio' },
      { participantId: 'a', kind: 'video' },
      { participantId: 'b', kind: 'audio' },
      { participantId: 'b', kind: 'video' },
    ]);
    const sections = sdpSections(offer.sdp);
    for (const stream of offer.streams) {
      expect(sections.find((section) => section.mid === stream.mid)).toMatchObject({ kind: stream.kind, direction: 'sendonly' });
    }
    await server.startSubscription(room, 'c', { sdp: answerTo(offer.sdp) });
  });

  it('replaces a subscription: the new offer carries the publishers asked for now', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await publishing(room, 'b');
    await server.subscribe(room, 'c', ['a', 'b']);
    const offer = await server.subscribe(room, 'c', ['b']);
    expect(offer.streams.map(({ participantId, kind }) => ({ participantId, kind }))).toEqual([
      { participantId: 'b', kind: 'audio' },
      { participantId: 'b', kind: 'video' },
    ]);
    await server.startSubscription(room, 'c', { sdp: answerTo(offer.sdp) });
  });

  it('refuses to subscribe to who does not publish (NOT_FOUND, naming them) or to nobody (VALIDATION_FAILED)', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    const refused = await expectCode(server.subscribe(room, 'c', ['a', 'nobody']), 'NOT_FOUND');
    expect(refused.message).toContain('nobody');
    await expectCode(server.subscribe(room, 'c', []), 'VALIDATION_FAILED');
    await expectCode(server.startSubscription(room, 'c', { sdp: answerTo(publisherOffer()) }), 'NOT_FOUND');
  });

  it('takes only an SDP it can use: VALIDATION_FAILED for anything else', async () => {
    const room = await openedRoom('c1');
    const refused = await expectCode(server.publish(room, 'a', { sdp: 'v=0\r\nthis is not a session description\r\n' }), 'VALIDATION_FAILED');
    expect(refused.details).toEqual([{ field: 'sdp', message: expect.any(String) }]);
    await publishing(room, 'a');
  });

  it('unpublishes: gone from the listing and for new subscriptions, its own subscription kept; again is no error', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await publishing(room, 'b');
    const offer = await server.subscribe(room, 'a', ['b']);
    await server.unpublish(room, 'a');
    expect(publisherIds(await listing(room, (publishers) => publishers.length === 1, 'a to stop publishing'))).toEqual(['b']);
    await expectCode(server.subscribe(room, 'c', ['a']), 'NOT_FOUND');
    await server.startSubscription(room, 'a', { sdp: answerTo(offer.sdp) });
    await server.unpublish(room, 'a');
    await server.unpublish(room, 'nobody');
  });

  it('forces kinds off and lets them through again, as the server records it', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await server.moderate(room, 'a', { audio: true });
    expect(await server.publishers(room)).toEqual([{ participantId: 'a', streams: streamsOf({ audio: true }), talking: false }]);
    await server.moderate(room, 'a', { audio: false, video: true });
    expect(await server.publishers(room)).toEqual([{ participantId: 'a', streams: streamsOf({ video: true }), talking: false }]);
    await server.moderate(room, 'a', {});
    expect(await server.publishers(room)).toEqual([{ participantId: 'a', streams: streamsOf({ video: true }), talking: false }]);
  });

  it('publishes with what a host forced off dropped from the start', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a', { video: true, audio: false });
    expect(await server.publishers(room)).toEqual([{ participantId: 'a', streams: streamsOf({ video: true }), talking: false }]);
  });

  it('refuses to moderate who does not publish: NOT_FOUND', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await expectCode(server.moderate(room, 'nobody', { audio: true }), 'NOT_FOUND');
  });

  it('removes a participant: its publishing ends for everyone, its connections are gone; again is no error', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await publishing(room, 'b');
    await server.subscribe(room, 'a', ['b']);
    await server.remove(room, 'a');
    expect(publisherIds(await listing(room, (publishers) => publishers.length === 1, 'a to be gone'))).toEqual(['b']);
    await expectCode(server.subscribe(room, 'c', ['a']), 'NOT_FOUND');
    await expectCode(server.trickle(room, 'a', 'publisher', null), 'NOT_FOUND');
    await expectCode(server.startSubscription(room, 'a', { sdp: answerTo(publisherOffer()) }), 'NOT_FOUND');
    await server.remove(room, 'a');
    await server.remove(room, 'nobody');
  });

  it('removes a participant published through another server instance (another node)', async () => {
    const room = await openedRoom('c1');
    const other = await another();
    await publishing(room, 'a', undefined, other);
    await publishing(room, 'b');
    await server.moderate(room, 'a', { audio: true });
    expect((await server.publishers(room)).find((publisher) => publisher.participantId === 'a')?.streams).toEqual(streamsOf({ audio: true }));
    expect((await server.subscribe(room, 'c', ['a'])).streams).toHaveLength(2);
    await server.remove(room, 'a');
    expect(publisherIds(await listing(room, (publishers) => publishers.length === 1, 'a to be gone'))).toEqual(['b']);
  });

  it('closes a room: what used it answers NOT_FOUND, closing again is no error, and the call gets a new room', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    await server.closeRoom(room);
    const peer = await under.peer();
    peers.push(peer);
    await expectCode(server.publish(room, 'b', { sdp: peer.offer }), 'NOT_FOUND');
    await expectCode(server.publishers(room), 'NOT_FOUND');
    await expectCode(server.trickle(room, 'a', 'publisher', null), 'NOT_FOUND');
    await server.closeRoom(room);
    const next = await openedRoom('c1');
    expect(next.key).not.toBe(room.key);
    await publishing(next, 'b');
  });

  it('takes as many publishers as the room allows: ROOM_FULL past them', async () => {
    const small = await another({ maxPublishers: 1 });
    const room = await openedRoom('c1', small.server);
    await publishing(room, 'a', undefined, small);
    const peer = await small.peer();
    peers.push(peer);
    await expectCode(small.server.publish(room, 'b', { sdp: peer.offer }), 'ROOM_FULL');
  });

  it('takes candidates only for a connection it has: NOT_FOUND otherwise', async () => {
    const room = await openedRoom('c1');
    await expectCode(server.trickle(room, 'a', 'publisher', { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', sdpMid: '0' }), 'NOT_FOUND');
    await publishing(room, 'a');
    await expectCode(server.trickle(room, 'a', 'subscriber', null), 'NOT_FOUND');
  });

  it('is healthy while it answers', async () => {
    expect(await server.isHealthy()).toBe(true);
  });

  it('tells of its loss within seconds, then answers SERVICE_UNAVAILABLE at once, never hanging', async () => {
    const room = await openedRoom('c1');
    await publishing(room, 'a');
    const losses: MediaServerLoss[] = [];
    server.onLost((loss) => losses.push(loss));
    const removed: MediaServerLoss[] = [];
    server.onLost((loss) => removed.push(loss))();
    await under.kill();
    await eventually('the loss', async () => losses.length, (count) => count > 0);
    expect(losses).toEqual([{ reason: expect.any(String) }]);
    expect(removed).toEqual([]);
    const started = Date.now();
    await expectCode(server.publishers(room), 'SERVICE_UNAVAILABLE');
    await expectCode(server.openRoom({ callId: 'c2', key: server.newRoomKey() }), 'SERVICE_UNAVAILABLE');
    await expectCode(server.publish(room, 'b', { sdp: publisherOffer() }), 'SERVICE_UNAVAILABLE');
    expect(await server.isHealthy()).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(losses).toHaveLength(1);
  });
}
