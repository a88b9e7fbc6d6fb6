import { InMemoryCallStore } from '../../../src/adapters/persistence/memory/in-memory-call-store';
import { InMemoryMeetingRepository } from '../../../src/adapters/persistence/memory/in-memory-meeting-repository';
import type { MediaRoom, MediaSettings } from '../../../src/application/ports/media-server';
import { AnnouncePublishing } from '../../../src/application/use-cases/announce-publishing';
import { AnnounceSpeaking } from '../../../src/application/use-cases/announce-speaking';
import { ChooseLayer } from '../../../src/application/use-cases/choose-layer';
import { EndCall, KickParticipant, MuteParticipant } from '../../../src/application/use-cases/host-actions';
import { JoinCall } from '../../../src/application/use-cases/join-call';
import { LeaveCall } from '../../../src/application/use-cases/leave-call';
import { MediaServerLost } from '../../../src/application/use-cases/media-server-lost';
import { PublishMedia } from '../../../src/application/use-cases/publish-media';
import { StartSubscription } from '../../../src/application/use-cases/start-subscription';
import { SubscribeMedia } from '../../../src/application/use-cases/subscribe-media';
import { TrickleMedia } from '../../../src/application/use-cases/trickle-media';
import { expectCode } from '../../support/errors';
import { fakePool, FakeMediaServer } from '../../support/fake-media-server';
import { FakeClock, RecordingAttendance, RecordingNotifier, SequentialSecrets } from '../../support/fakes';
import { inCall } from '../../support/in-call';
import { answerTo, publisherOffer } from '../../support/sdp';

const SETTINGS: MediaSettings = { mode: 'auto', sfuFrom: 3, capacity: { mesh: 4, sfu: 10 } };

function setup(settings: MediaSettings = SETTINGS) {
  const rooms = new InMemoryCallStore({ historyTtlMs: 60_000, codeHoldMs: 60_000, chatMemoryLimitBytes: 1024 * 1024, clock: new FakeClock() });
  const notifier = new RecordingNotifier();
  const attendance = new RecordingAttendance();
  const servers = [new FakeMediaServer(), new FakeMediaServer()];
  const pool = fakePool(...servers);
  const lost = new MediaServerLost(rooms, notifier, pool, settings.capacity.mesh);
  servers.forEach((server, i) => server.onLost(() => void lost.execute({ server: `s${i + 1}` })));
  const join = new JoinCall(rooms, notifier, new InMemoryMeetingRepository(), attendance, new SequentialSecrets(), settings, pool);
  const enter = async (id: string, call = 'sfu-call', options: { userId?: string; meshOnly?: boolean } = {}) =>
    inCall(
      await join.execute({
        participantId: id,
        callPath: call,
        account: options.userId ? { userId: options.userId, name: `Name ${id}` } : null,
        address: '10.0.0.9',
        connectionId: id,
        resumable: !options.meshOnly,
        meshOnly: options.meshOnly ?? false,
      }),
    );
  const publish = new PublishMedia(rooms, pool);
  return {
    rooms,
    notifier,
    servers,
    pool,
    join,
    enter,
    publish: (participantId: string, restart = false) => publish.execute({ participantId, sdp: publisherOffer(), restart }),
    subscribe: new SubscribeMedia(rooms, pool, notifier),
    start: new StartSubscription(rooms, pool),
    trickle: new TrickleMedia(rooms, pool),
    layer: new ChooseLayer(rooms, pool),
    announce: new AnnouncePublishing(rooms, notifier, pool),
    speaking: new AnnounceSpeaking(rooms, notifier),
    kick: new KickParticipant(rooms, notifier, attendance, pool),
    mute: new MuteParticipant(rooms, notifier, pool),
    end: new EndCall(rooms, notifier, attendance, pool),
    leave: new LeaveCall(rooms, notifier, attendance, pool),
    /** The call's room as the store placed it, on the fake that holds it. */
    roomOf: async (participantId: string): Promise<{ server: FakeMediaServer; room: MediaRoom }> => {
      const media = await rooms.mediaOf(participantId);
      if (!media?.room) throw new Error(`${participantId}'s call has no room`);
      const server = servers[Number(media.room.server.slice(1)) - 1];
      if (!server) throw new Error(`no fake named ${media.room.server}`);
      return { server, room: { callId: media.callId, key: media.room.key } };
    },
  };
}

/** A call of three on the SFU (auto, moved by the third), each publishing. */
async function publishingTrio() {
  const s = setup();
  for (const id of ['h', 'b', 'c']) await s.enter(id, 'sfu-call', { userId: `u-${id}` });
  for (const id of ['h', 'b', 'c']) await s.publish(id);
  s.notifier.clear();
  return s;
}

describe('calls on the SFU', () => {
  it('auto: two people peer to peer; the third moves the call, and the two already in are told', async () => {
    const s = setup();
    expect((await s.enter('a')).path).toBe('mesh');
    expect((await s.enter('b')).path).toBe('mesh');
    s.notifier.clear();
    expect((await s.enter('c')).path).toBe('sfu');
    const moved = { type: 'media-path', path: 'sfu', reason: 'grew' };
    expect(s.notifier.eventsFor('a')).toContainEqual(moved);
    expect(s.notifier.eventsFor('b')).toContainEqual(moved);
    expect(s.notifier.eventsFor('c')).not.toContainEqual(moved);
  });

  it('a front end without acks keeps an auto call peer to peer, and cannot join a call on the SFU', async () => {
    const s = setup();
    await s.enter('old', 'mixed', { meshOnly: true });
    await s.enter('a', 'mixed');
    expect((await s.enter('b', 'mixed')).path).toBe('mesh');
    for (const id of ['a', 'b', 'c']) await s.enter(id);
    const refused = await expectCode(s.join.execute({ participantId: 'late', callPath: 'sfu-call', account: null, address: '10.0.0.9', connectionId: 'late', resumable: false, meshOnly: true }), 'UNSUPPORTED_CLIENT');
    expect(refused.message).toMatch(/web browser/);
  });

  it('places a call on the SFU at its first publish, on the server with the fewest rooms, and publishes there', async () => {
    const s = setup({ ...SETTINGS, mode: 'sfu' });
    await s.enter('a', 'one');
    const answer = await s.publish('a');
    expect(answer.sdp).toContain('a=recvonly');
    const first = await s.roomOf('a');
    expect(first.server).toBe(s.servers[0]);
    expect(await first.server.publishers(first.room)).toEqual([expect.objectContaining({ participantId: 'a' })]);
    await s.enter('b', 'two');
    await s.publish('b');
    expect((await s.roomOf('b')).server).toBe(s.servers[1]);
  });

  it('lets only a participant of a call on the SFU publish, subscribe, answer, trickle or choose a layer', async () => {
    const s = await publishingTrio();
    await s.enter('mesh-1', 'small');
    const sdp = { participantId: 'x', sdp: publisherOffer() };
    const candidate = { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', sdpMid: '0' };
    for (const [who, code] of [
      ['stranger', 'NOT_IN_CALL'],
      ['mesh-1', 'NOT_FOUND'],
    ] as const) {
      await expectCode(s.publish(who), code);
      await expectCode(s.subscribe.execute({ participantId: who }), code);
      await expectCode(s.start.execute({ ...sdp, participantId: who }), code);
      await expectCode(s.trickle.execute({ participantId: who, connection: 'publisher', candidate }), code);
      await expectCode(s.layer.execute({ participantId: who, publisherId: 'h', layer: 'low' }), code);
    }
  });

  it('subscribes a participant to everyone else who publishes, and to nobody when nobody does', async () => {
    const s = await publishingTrio();
    const offer = await s.subscribe.execute({ participantId: 'c' });
    expect(offer.offer?.sdp).toMatch(/^v=0/);
    expect([...new Set(offer.streams.map((stream) => stream.participantId))].sort()).toEqual(['b', 'h']);
    await s.start.execute({ participantId: 'c', sdp: answerTo(offer.offer?.sdp ?? '') });
    await s.trickle.execute({ participantId: 'c', connection: 'subscriber', candidate: null });
    const { server, room } = await s.roomOf('c');
    expect(server.candidatesOf(room, 'c')?.subscriber).toEqual([null]);
    await s.layer.execute({ participantId: 'c', publisherId: 'h', layer: 'low' });
    expect(server.layerOf(room, 'c', 'h')).toBe('low');
    expect(server.layerOf(room, 'c', 'b')).toBe('high');

    const alone = setup({ ...SETTINGS, mode: 'sfu' });
    await alone.enter('a', 'quiet');
    await alone.enter('b', 'quiet');
    expect(await alone.subscribe.execute({ participantId: 'b' })).toEqual({ offer: null, streams: [] });
    await alone.publish('a');
    expect(await alone.subscribe.execute({ participantId: 'a' })).toEqual({ offer: null, streams: [] });
  });

  it('tells the others when someone’s media starts to flow, applying first what a host forced off meanwhile', async () => {
    const s = setup({ ...SETTINGS, mode: 'sfu' });
    await s.enter('h', 'sfu-call', { userId: 'u-h' });
    await s.enter('m');
    await s.publish('h');
    await s.mute.execute({ byId: 'h', targetId: 'm', kind: 'audio', force: true });
    // m connects after the mute: the server had no publisher of m to moderate.
    await s.publish('m');
    s.notifier.clear();
    await s.announce.execute({ callId: 'sfu-call', participantId: 'm' });
    expect(s.notifier.eventsFor('h')).toEqual([{ type: 'sfu-publisher', id: 'm' }]);
    expect(s.notifier.eventsFor('m')).toEqual([]);
    const { server, room } = await s.roomOf('m');
    const streams = (await server.publishers(room)).find((publisher) => publisher.participantId === 'm')?.streams;
    expect(streams?.find((stream) => stream.kind === 'audio')?.forcedOff).toBe(true);
    await s.announce.execute({ callId: 'another-call', participantId: 'm' });
    expect(s.notifier.eventsFor('h')).toHaveLength(1);
  });

  it('tells everyone in the call, the speaker too, who the media server hears start and stop talking', async () => {
    const s = await publishingTrio();
    const { server, room } = await s.roomOf('b');
    const stop = server.onTalking((event) => void s.speaking.execute(event));
    server.talk(room, 'b', true);
    await new Promise((resolve) => setImmediate(resolve));
    for (const id of ['h', 'b', 'c']) expect(s.notifier.eventsFor(id)).toEqual([{ type: 'speaking', id: 'b', talking: true }]);
    server.talk(room, 'b', false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.notifier.eventsFor('h')).toEqual([
      { type: 'speaking', id: 'b', talking: true },
      { type: 'speaking', id: 'b', talking: false },
    ]);
    stop();
  });

  it('tells a subscriber who talks at that moment, the server telling of talking only when it changes', async () => {
    const s = await publishingTrio();
    const { server, room } = await s.roomOf('b');
    server.talk(room, 'b', true);
    const before = s.notifier.eventsFor('c').length;
    await s.subscribe.execute({ participantId: 'c' });
    expect(s.notifier.eventsFor('c').slice(before)).toEqual([{ type: 'speaking', id: 'b', talking: true }]);
    // The talker subscribing hears nothing of itself; nobody hears of those who are quiet.
    const fromB = s.notifier.eventsFor('b').length;
    await s.subscribe.execute({ participantId: 'b' });
    expect(s.notifier.eventsFor('b').slice(fromB)).toEqual([]);
  });

  it('tells nothing of a talker no longer in that call, or in a call not on the SFU', async () => {
    const s = await publishingTrio();
    await s.speaking.execute({ callId: 'another-call', participantId: 'b', talking: true });
    expect(s.notifier.eventsFor('h')).toEqual([]);
    await s.leave.execute({ participantId: 'b' });
    s.notifier.clear();
    await s.speaking.execute({ callId: 'sfu-call', participantId: 'b', talking: true });
    expect(s.notifier.eventsFor('h')).toEqual([]);

    const mesh = setup();
    await mesh.enter('x', 'small');
    await mesh.enter('y', 'small');
    mesh.notifier.clear();
    await mesh.speaking.execute({ callId: 'small', participantId: 'x', talking: true });
    expect(mesh.notifier.eventsFor('y')).toEqual([]);
  });

  it('a forced mute is applied by the media server, and lifted by it', async () => {
    const s = await publishingTrio();
    const { server, room } = await s.roomOf('h');
    const audioOf = async (id: string) =>
      (await server.publishers(room)).find((publisher) => publisher.participantId === id)?.streams.find((stream) => stream.kind === 'audio')?.forcedOff;
    await s.mute.execute({ byId: 'h', targetId: 'b', kind: 'audio', force: true });
    expect(await audioOf('b')).toBe(true);
    expect(await audioOf('c')).toBe(false);
    await s.mute.execute({ byId: 'h', targetId: 'b', kind: 'audio', force: false });
    expect(await audioOf('b')).toBe(false);
  });

  it('a kick takes the target’s streams out of the room; a leave too; the last leave and end-call close it', async () => {
    const s = await publishingTrio();
    const { server, room } = await s.roomOf('h');
    const publishing = async () => (await server.publishers(room)).map((publisher) => publisher.participantId).sort();
    await s.kick.execute({ byId: 'h', targetId: 'b', ban: false });
    expect(await publishing()).toEqual(['c', 'h']);
    await s.leave.execute({ participantId: 'c' });
    expect(await publishing()).toEqual(['h']);
    await s.end.execute({ byId: 'h' });
    expect(server.hasRoom(room)).toBe(false);

    const t = await publishingTrio();
    const placed = await t.roomOf('h');
    for (const id of ['h', 'b', 'c']) await t.leave.execute({ participantId: id });
    expect(placed.server.hasRoom(placed.room)).toBe(false);
  });

  it('a lost media server: its calls are placed again on another at the next publish, nobody leaving', async () => {
    const s = await publishingTrio();
    const before = await s.roomOf('h');
    expect(before.server).toBe(s.servers[0]);
    s.servers[0]?.crash();
    await new Promise((resolve) => setImmediate(resolve));
    for (const id of ['h', 'b', 'c']) expect(s.notifier.eventsFor(id)).toContainEqual({ type: 'media-path', path: 'sfu', reason: 'media-server-lost' });
    expect(s.notifier.delivered.some(({ event }) => event.type === 'user-left')).toBe(false);
    await s.publish('b', true);
    const after = await s.roomOf('b');
    expect(after.server).toBe(s.servers[1]);
    expect(await after.server.publishers(after.room)).toEqual([expect.objectContaining({ participantId: 'b' })]);
  });

  it('with no media server left, a call small enough falls back to a mesh; a bigger one waits, told in words', async () => {
    const s = setup({ ...SETTINGS, mode: 'sfu' });
    for (const id of ['a', 'b']) await s.enter(id, 'small');
    for (const id of ['c', 'd', 'e', 'f', 'g']) await s.enter(id, 'big');
    await s.publish('a');
    await s.publish('c');
    s.servers[1]?.crash();
    s.servers[0]?.crash();
    await new Promise((resolve) => setImmediate(resolve));
    expect(s.notifier.eventsFor('a')).toContainEqual({ type: 'media-path', path: 'mesh', reason: 'fallback' });
    expect((await s.rooms.mediaOf('a'))?.path).toBe('mesh');
    expect(s.notifier.eventsFor('c')).toContainEqual({ type: 'media-path', path: 'sfu', reason: 'media-server-lost' });
    const waiting = await expectCode(s.publish('c', true), 'SERVICE_UNAVAILABLE');
    expect(waiting.message).toMatch(/No media server/);
  });
});
