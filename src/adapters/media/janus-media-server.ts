import { randomBytes } from 'node:crypto';
import type { Connection, Handle, Session } from 'janode';
import type { PublisherEntry, VideoRoomHandle } from 'janode/plugins/videoroom';
import type {
  IceCandidate,
  MediaRoom,
  MediaServer,
  MediaServerLoss,
  PublishRequest,
  Publisher,
  PublishedStream,
  PublishingStarted,
  SubscriptionOffer,
  TalkingChanged,
  VideoLayer,
} from '../../application/ports/media-server';
import type { ForcedKind } from '../../domain/call';
import { DomainError, validationFailed } from '../../domain/errors';
import { loadJanode, type Janode, type VideoRoomPlugin } from './janode-loader';

/*
 * The MediaServer port over one Janus WebRTC Server's VideoRoom plugin (multistream, Janus 1.x), through janode.
 *
 * One WebSocket connection and one Janus session per instance, opened on first use and again on the first use after
 * a loss. The session holds an "admin" VideoRoom handle for the room-wide requests (create, destroy, moderate, kick,
 * listparticipants) and, per participant whose connection is on this node, a publisher handle and a subscriber
 * handle (one multistream subscription for all the feeds it receives).
 *
 * Ids: newRoomKey draws the room id (random, below 2^53) with its secret and pin, and Janus picks the feed ids. A
 * MediaRoom's key is `<room id>.<secret>.<pin>` (hex), so any node can open (create unless there) and act on the room; the secret (room-wide requests) and the pin (joining) never reach a client, which never talks to
 * Janus. A publisher joins with its participant id as its Janus display name: the local map participant -> feed
 * answers first, and Janus's own listing (listparticipants, matched by display) answers for a participant
 * published from another node.
 *
 * Janus counts a publisher as publishing (listed, subscribable) only once its PeerConnection is up, not when its
 * offer is answered.
 *
 * Every request has a deadline (requestTimeoutMs): past it the call answers SERVICE_UNAVAILABLE, and Janus is asked
 * for its `info`; no answer to that either and the server is lost. Lost also: the WebSocket closed under us, or
 * janode's own checks failed (a WebSocket ping unanswered for 5 s, a session keep-alive unanswered). A loss calls
 * the onLost listeners once and forgets every participant and handle: Janus's rooms outlive a dropped connection but
 * none of their participants do, so the caller places its calls anew (the old rooms stay in a Janus that lives on,
 * unused, until it restarts).
 */

export interface JanusMediaServerOptions {
  /** The Janus API over WebSocket (ws://host:port), never reachable by clients. */
  url: string;
  /** How long any Janus request (the connection, each handle, each message) may take: past it SERVICE_UNAVAILABLE. */
  requestTimeoutMs: number;
  /** The most publishers a room takes: past it ROOM_FULL. */
  maxPublishers: number;
  /** Seconds between the session's keep-alives (15); Janus drops a session silent for its session_timeout (60 s). */
  keepAliveSeconds?: number;
  /** janode's own console logging, process-wide ('none'). */
  janodeLogLevel?: 'debug' | 'verb' | 'info' | 'warn' | 'error' | 'none';
}

interface Link {
  Janode: Janode;
  VideoRoom: VideoRoomPlugin;
  connection: Connection;
  session: Session;
  /** Room-wide requests; joins no room. */
  admin: VideoRoomHandle;
}

interface RoomRef {
  id: number;
  secret: string;
  pin: string;
}

/** A participant whose connection is on this node, in one room. */
interface Member {
  room: number;
  callId: string;
  participantId: string;
  publisher?: VideoRoomHandle;
  feed?: number;
  /** What Janus accepted to receive from the publisher, from its answer. */
  streams: { kind: 'audio' | 'video'; mid: string }[];
  subscriber?: VideoRoomHandle;
  /** What its subscription receives, by media id. */
  received: SubscriptionOffer['streams'];
}

/** A refusal Janus sent (an error code and its reason), in this realm (janode's errors may come from another one). */
class JanusRefusal extends Error {
  constructor(
    readonly janusCode: number,
    reason: string,
  ) {
    super(`Janus refused: ${janusCode} ${reason}`);
    this.name = 'JanusRefusal';
  }
}

// Janus's error codes (Janus core: apierror.h; VideoRoom: janus_videoroom.c).
const NO_SUCH_ROOM = 426;
const ROOM_EXISTS = 427;
const NO_SUCH_FEED = 428;
const INVALID_SDP_TYPE = 431;
const PUBLISHERS_FULL = 432;
const INVALID_SDP = 437;
const SESSION_NOT_FOUND = 458;
const HANDLE_NOT_FOUND = 459;
const JSEP_UNKNOWN_TYPE = 464;
const JSEP_INVALID_SDP = 465;

const unavailable = () => new DomainError('SERVICE_UNAVAILABLE', 'Call media is unavailable for a moment; try again shortly');
const tooSlow = () => new DomainError('SERVICE_UNAVAILABLE', 'The media server did not answer in time; try again shortly');
const roomGone = () => new DomainError('NOT_FOUND', 'This call has no media room now');
const notPublishing = (participantId: string) => new DomainError('NOT_FOUND', `${participantId} is not publishing in this call`);

export class JanusMediaServer implements MediaServer {
  private link: Promise<Link> | undefined;
  /** The link open now: events of any other are stale. */
  private current: Link | undefined;
  private checking = false;
  private closed = false;
  private readonly members = new Map<string, Member>();
  private readonly listeners = new Set<(loss: MediaServerLoss) => void>();
  private readonly publishingListeners = new Set<(started: PublishingStarted) => void>();
  private readonly talkingListeners = new Set<(event: TalkingChanged) => void>();

  constructor(private readonly options: JanusMediaServerOptions) {}

  newRoomKey(): string {
    // Below 2^53, so that the id survives JSON on both sides; 2^48 ids make a collision between live rooms negligible.
    const id = randomBytes(6).readUIntBE(0, 6) + 1;
    return `${id}.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
  }

  async openRoom(room: MediaRoom): Promise<void> {
    const ref = roomRef(room);
    const link = await this.connect();
    try {
      await this.call(
        'creating a room',
        link.admin.create({
          room: ref.id,
          description: room.callId.slice(0, 128),
          secret: ref.secret,
          pin: ref.pin,
          max_publishers: this.options.maxPublishers,
          is_private: true,
          permanent: false,
          audiocodec: 'opus',
          videocodec: 'vp8',
          notify_joining: false,
          // Janus averages the ssrc-audio-level of each block of this many audio packets (50: about a second of
          // Opus at 20 ms) and says talking when the average is louder than this (-dBov: 0 loud, 127 silence);
          // its defaults (100 packets, 25) wait two seconds and miss quieter voices a speaker view should follow.
          talking_events: true,
          talking_packets_threshold: 50,
          talking_level_threshold: 40,
        }),
      );
    } catch (error) {
      // Created already, by this node or another: what was asked for.
      if (refusalCode(error) !== ROOM_EXISTS) throw translated(error);
    }
  }

  async closeRoom(room: MediaRoom): Promise<void> {
    const ref = roomRef(room);
    const link = await this.connect();
    await this.forgetRoom(ref.id);
    try {
      await this.call('destroying a room', link.admin.destroy({ room: ref.id, secret: ref.secret }));
    } catch (error) {
      if (refusalCode(error) !== NO_SUCH_ROOM) throw translated(error);
    }
  }

  async publish(room: MediaRoom, participantId: string, request: PublishRequest): Promise<{ sdp: string }> {
    const ref = roomRef(room);
    const link = await this.connect();
    const member = this.member(ref.id, room.callId, participantId);
    const jsep = { type: 'offer' as const, sdp: request.sdp };
    const forcedOff = request.forcedOff ?? {};
    const moderated = forcedOff.audio === true || forcedOff.video === true;
    const { publisher, feed } = member;
    if (publisher && feed !== undefined) {
      // A renegotiation: Janus keeps the moderation of the streams it already had.
      const answer = await this.call('renegotiating a publisher', publisher.configure({ jsep })).catch((error: unknown) => {
        throw translated(error);
      });
      if (!answer.jsep) throw new Error('Janus accepted an offer without answering it');
      member.streams = mediaSections(answer.jsep.sdp);
      if (moderated) await this.moderateStreams(link, ref, feed, member.streams, forcedOff);
      // Janus sends no second webrtcup for a renegotiation: subscribers learn of the new streams from this.
      queueMicrotask(() => this.tellPublishing(member));
      return { sdp: answer.jsep.sdp };
    }
    const handle = await this.attach(link);
    try {
      const joined = await this.call('joining as a publisher', handle.joinConfigurePublisher({ room: ref.id, pin: ref.pin, display: participantId, jsep }));
      if (!joined.jsep) throw new Error('Janus accepted an offer without answering it');
      const streams = mediaSections(joined.jsep.sdp);
      // Before the browser has the answer, so nothing forced off ever reaches a subscriber.
      if (moderated) await this.moderateStreams(link, ref, joined.feed, streams, forcedOff);
      this.adoptPublisher(link, member, handle, joined.feed);
      member.streams = streams;
      return { sdp: joined.jsep.sdp };
    } catch (error) {
      await this.detach(handle);
      this.dropIfEmpty(member);
      throw translated(error);
    }
  }

  async unpublish(room: MediaRoom, participantId: string): Promise<void> {
    const member = this.members.get(memberKey(roomRef(room).id, participantId));
    if (!member?.publisher) return;
    const { publisher } = member;
    member.publisher = undefined;
    member.feed = undefined;
    member.streams = [];
    await this.detach(publisher);
    this.dropIfEmpty(member);
  }

  async subscribe(room: MediaRoom, participantId: string, publisherIds: string[]): Promise<SubscriptionOffer> {
    const ref = roomRef(room);
    if (publisherIds.length === 0) throw validationFailed([{ field: 'publisherIds', message: 'must name at least one publisher' }]);
    const link = await this.connect();
    const feeds = await this.feedsOf(link, ref, publisherIds);
    const member = this.member(ref.id, room.callId, participantId);
    if (member.subscriber) {
      const previous = member.subscriber;
      member.subscriber = undefined;
      await this.detach(previous);
    }
    const byFeed = new Map([...feeds].map(([id, feed]) => [feed, id]));
    const handle = await this.attach(link);
    try {
      const attached = await this.call(
        'subscribing',
        handle.joinSubscriber({ room: ref.id, pin: ref.pin, streams: [...feeds.values()].map((feed) => ({ feed })) }),
      );
      if (!attached.jsep) throw new Error('Janus accepted a subscription without offering it');
      member.subscriber = handle;
      this.watch(link, handle, member, 'subscriber');
      const streams = (attached.streams ?? []).flatMap((stream) => {
        const owner = stream.feed_id === undefined ? undefined : byFeed.get(stream.feed_id);
        return owner !== undefined && stream.active && (stream.type === 'audio' || stream.type === 'video') ? [{ mid: stream.mid, participantId: owner, kind: stream.type }] : [];
      });
      member.received = streams;
      return { sdp: attached.jsep.sdp, streams };
    } catch (error) {
      await this.detach(handle);
      this.dropIfEmpty(member);
      const feed = refusalCode(error) === NO_SUCH_FEED ? feedNamed(error) : undefined;
      const owner = feed === undefined ? undefined : byFeed.get(feed);
      throw owner === undefined ? translated(error) : notPublishing(owner);
    }
  }

  async startSubscription(room: MediaRoom, participantId: string, answer: { sdp: string }): Promise<void> {
    const subscriber = this.members.get(memberKey(roomRef(room).id, participantId))?.subscriber;
    if (!subscriber) throw new DomainError('NOT_FOUND', 'There is no subscription to start');
    try {
      await this.call('starting a subscription', subscriber.start({ jsep: { type: 'answer', sdp: answer.sdp } }));
    } catch (error) {
      throw translated(error);
    }
  }

  async trickle(room: MediaRoom, participantId: string, connection: 'publisher' | 'subscriber', candidate: IceCandidate | null): Promise<void> {
    const handle = this.members.get(memberKey(roomRef(room).id, participantId))?.[connection];
    if (!handle) throw new DomainError('NOT_FOUND', `There is no ${connection} connection to add candidates to`);
    const given = candidate && {
      candidate: candidate.candidate,
      ...(candidate.sdpMid != null ? { sdpMid: candidate.sdpMid } : {}),
      ...(candidate.sdpMLineIndex != null ? { sdpMLineIndex: candidate.sdpMLineIndex } : {}),
    };
    try {
      await this.call('trickling a candidate', handle.trickle(given));
    } catch (error) {
      throw translated(error);
    }
  }

  async chooseLayer(room: MediaRoom, participantId: string, publisherId: string, layer: VideoLayer): Promise<void> {
    const member = this.members.get(memberKey(roomRef(room).id, participantId));
    const mids = member?.received.filter((stream) => stream.participantId === publisherId && stream.kind === 'video').map((stream) => stream.mid) ?? [];
    if (!member?.subscriber || mids.length === 0) throw new DomainError('NOT_FOUND', `Your subscription does not receive ${publisherId}'s video`);
    // Simulcast substreams: 0 is the smallest layer, 2 the full one.
    const substream = layer === 'low' ? 0 : 2;
    try {
      await this.call('choosing a layer', member.subscriber.message({ request: 'configure', streams: mids.map((mid) => ({ mid, substream })) }));
    } catch (error) {
      throw translated(error);
    }
  }

  async moderate(room: MediaRoom, participantId: string, forcedOff: Partial<Record<ForcedKind, boolean>>): Promise<void> {
    const ref = roomRef(room);
    const link = await this.connect();
    const member = this.members.get(memberKey(ref.id, participantId));
    if (member?.feed !== undefined) return this.moderateStreams(link, ref, member.feed, member.streams, forcedOff);
    // Published from another node: Janus's listing has its feed and streams.
    const listed = (await this.listPublishers(link, ref)).find((entry) => entry.display === participantId);
    if (!listed) throw notPublishing(participantId);
    const streams = (listed.streams ?? []).flatMap((stream) => (stream.type === 'data' || stream.disabled ? [] : [{ kind: stream.type, mid: stream.mid }]));
    return this.moderateStreams(link, ref, listed.feed, streams, forcedOff);
  }

  async publishers(room: MediaRoom): Promise<Publisher[]> {
    const ref = roomRef(room);
    const link = await this.connect();
    return (await this.listPublishers(link, ref)).flatMap((entry) => {
      if (entry.display === undefined) return [];
      const streams = (entry.streams ?? []).flatMap((stream): PublishedStream[] =>
        stream.type === 'data' || stream.disabled ? [] : [{ kind: stream.type, mid: stream.mid, forcedOff: stream.moderated === true }],
      );
      return [{ participantId: entry.display, streams, talking: entry.talking === true }];
    });
  }

  async remove(room: MediaRoom, participantId: string): Promise<void> {
    const ref = roomRef(room);
    const link = await this.connect();
    const member = this.members.get(memberKey(ref.id, participantId));
    if (member) {
      this.members.delete(memberKey(ref.id, participantId));
      await this.detach(member.publisher, member.subscriber);
    }
    // Whatever Janus still has under its name: published from another node, or not yet gone with the detach.
    let listed: { feed: number; display?: string }[];
    try {
      listed = await this.listParticipants(link, ref);
    } catch (error) {
      if (refusalCode(error) === NO_SUCH_ROOM) return;
      throw translated(error);
    }
    for (const { feed } of listed.filter((entry) => entry.display === participantId)) {
      try {
        await this.call('kicking a participant', link.admin.kick({ room: ref.id, secret: ref.secret, feed }));
      } catch (error) {
        // Gone meanwhile: what was asked for.
        const code = refusalCode(error);
        if (code !== NO_SUCH_FEED && code !== NO_SUCH_ROOM) throw translated(error);
      }
    }
  }

  async isHealthy(): Promise<boolean> {
    try {
      const link = await this.connect();
      await this.call('info', link.connection.getInfo());
      return true;
    } catch {
      return false;
    }
  }

  onPublishing(listener: (started: PublishingStarted) => void): () => void {
    const entry = (started: PublishingStarted) => listener(started);
    this.publishingListeners.add(entry);
    return () => void this.publishingListeners.delete(entry);
  }

  onTalking(listener: (event: TalkingChanged) => void): () => void {
    const entry = (event: TalkingChanged) => listener(event);
    this.talkingListeners.add(entry);
    return () => void this.talkingListeners.delete(entry);
  }

  onLost(listener: (loss: MediaServerLoss) => void): () => void {
    // Wrapped, so that the same function added twice is called twice and removed once per removal.
    const entry = (loss: MediaServerLoss) => listener(loss);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  /** Ends the Janus session (its handles and their PeerConnections) and the connection; the rooms stay until closed. */
  async close(): Promise<void> {
    this.closed = true;
    const link = this.current;
    this.current = undefined;
    this.link = undefined;
    this.members.clear();
    if (!link) return;
    await this.call('ending the session', link.session.destroy()).catch(() => {});
    await this.call('closing the connection', link.connection.close()).catch(() => {});
  }

  private async moderateStreams(link: Link, ref: RoomRef, feed: number, streams: Member['streams'], forcedOff: Partial<Record<ForcedKind, boolean>>): Promise<void> {
    for (const stream of streams) {
      const mute = forcedOff[stream.kind];
      if (mute === undefined) continue;
      try {
        await this.call('moderating a stream', link.admin.message({ request: 'moderate', room: ref.id, secret: ref.secret, id: feed, mid: stream.mid, mute }));
      } catch (error) {
        throw refusalCode(error) === NO_SUCH_FEED ? new DomainError('NOT_FOUND', 'That participant is not publishing in this call') : translated(error);
      }
    }
  }

  /** Feeds of these participants: this node's first, Janus's listing (active publishers only) for the others. */
  private async feedsOf(link: Link, ref: RoomRef, participantIds: string[]): Promise<Map<string, number>> {
    const feeds = new Map<string, number>();
    for (const id of participantIds) {
      const feed = this.members.get(memberKey(ref.id, id))?.feed;
      if (feed !== undefined) feeds.set(id, feed);
    }
    const missing = participantIds.filter((id) => !feeds.has(id));
    if (missing.length === 0) return feeds;
    let listed: { feed: number; display?: string; publisher: boolean }[];
    try {
      listed = await this.listParticipants(link, ref);
    } catch (error) {
      throw translated(error);
    }
    for (const id of missing) {
      const entry = listed.find((candidate) => candidate.display === id && candidate.publisher);
      if (!entry) throw notPublishing(id);
      feeds.set(id, entry.feed);
    }
    return feeds;
  }

  private async listParticipants(link: Link, ref: RoomRef) {
    return (await this.call('listing participants', link.admin.listParticipants({ room: ref.id, secret: ref.secret }))).participants;
  }

  /**
   * The active publishers as Janus lists them to a joining publisher: the one listing that carries each stream and
   * its moderation. A handle joins (without publishing, so nobody is told), reads it and leaves.
   */
  private async listPublishers(link: Link, ref: RoomRef): Promise<PublisherEntry[]> {
    const probe = await this.attach(link);
    try {
      return (await this.call('listing publishers', probe.joinPublisher({ room: ref.id, pin: ref.pin }))).publishers;
    } catch (error) {
      throw translated(error);
    } finally {
      await this.detach(probe);
    }
  }

  private member(room: number, callId: string, participantId: string): Member {
    const key = memberKey(room, participantId);
    let member = this.members.get(key);
    if (!member) {
      member = { room, callId, participantId, streams: [], received: [] };
      this.members.set(key, member);
    }
    return member;
  }

  private dropIfEmpty(member: Member): void {
    const key = memberKey(member.room, member.participantId);
    if (!member.publisher && !member.subscriber && this.members.get(key) === member) this.members.delete(key);
  }

  private tellPublishing(member: Member): void {
    for (const listener of [...this.publishingListeners]) {
      try {
        listener({ callId: member.callId, participantId: member.participantId });
      } catch {
        // A listener's failure is its own; the others still hear of it.
      }
    }
  }

  private tellTalking(member: Member, talking: boolean): void {
    for (const listener of [...this.talkingListeners]) {
      try {
        listener({ callId: member.callId, participantId: member.participantId, talking });
      } catch {
        // A listener's failure is its own; the others still hear of it.
      }
    }
  }

  private adoptPublisher(link: Link, member: Member, handle: VideoRoomHandle, feed: number): void {
    member.publisher = handle;
    member.feed = feed;
    this.watch(link, handle, member, 'publisher');
    handle.on(link.Janode.EVENT.HANDLE_WEBRTCUP, () => {
      if (member.publisher === handle) this.tellPublishing(member);
    });
    // Janus tells every publisher handle in the room of anyone's talking: each node tells of its own publishers only.
    handle.on(link.VideoRoom.EVENT.VIDEOROOM_TALKING, (event: { feed?: number; talking?: boolean }) => {
      if (event.feed === feed && member.publisher === handle && typeof event.talking === 'boolean') this.tellTalking(member, event.talking);
    });
    // Kicked (by any node): Janus told this handle it must leave; its subscription goes with it.
    handle.on(link.VideoRoom.EVENT.VIDEOROOM_LEAVING, (event: { feed?: number; reason?: string }) => {
      if (event.feed !== feed || member.publisher !== handle) return;
      const key = memberKey(member.room, member.participantId);
      if (this.members.get(key) === member) this.members.delete(key);
      void this.detach(member.publisher, member.subscriber);
    });
  }

  /** Forgets the handle when Janus detaches it, and the room's participants when it is destroyed. */
  private watch(link: Link, handle: VideoRoomHandle, member: Member, role: 'publisher' | 'subscriber'): void {
    handle.once(link.Janode.EVENT.HANDLE_DETACHED, () => {
      if (member[role] !== handle) return;
      member[role] = undefined;
      if (role === 'publisher') {
        member.feed = undefined;
        member.streams = [];
      } else {
        member.received = [];
      }
      this.dropIfEmpty(member);
    });
    handle.once(link.VideoRoom.EVENT.VIDEOROOM_DESTROYED, () => void this.forgetRoom(member.room));
  }

  /** Drops this node's participants of the room, detaching their handles. */
  private async forgetRoom(roomId: number): Promise<void> {
    const gone = [...this.members.values()].filter((member) => member.room === roomId);
    for (const member of gone) this.members.delete(memberKey(member.room, member.participantId));
    await this.detach(...gone.flatMap((member) => [member.publisher, member.subscriber]));
  }

  private connect(): Promise<Link> {
    if (this.closed) return Promise.reject(unavailable());
    if (!this.link) {
      const opening = this.open();
      this.link = opening;
      opening.catch(() => {
        if (this.link === opening) this.link = undefined;
      });
    }
    return this.link;
  }

  private async open(): Promise<Link> {
    const { Janode, VideoRoom } = await loadJanode();
    Janode.Logger.setLevel(this.options.janodeLogLevel ?? 'none');
    const connection = await this.call(
      'connecting',
      Janode.connect({ address: { url: this.options.url }, max_retries: 0, ws_options: { handshakeTimeout: this.options.requestTimeoutMs } }),
      (late) => void late.close().catch(() => {}),
    );
    try {
      const session = await this.call('opening a session', connection.create(this.options.keepAliveSeconds ?? 15), (late) => void late.destroy().catch(() => {}));
      const admin = await this.call('attaching to the VideoRoom plugin', session.attach(VideoRoom), (late) => void late.detach());
      const link: Link = { Janode, VideoRoom, connection, session, admin };
      if (this.closed) throw unavailable();
      this.current = link;
      connection.once(Janode.EVENT.CONNECTION_ERROR, (error: unknown) => this.lose(link, `the connection to Janus dropped (${messageOf(error)})`));
      session.once(Janode.EVENT.SESSION_DESTROYED, () => this.lose(link, 'Janus ended the session'));
      return link;
    } catch (error) {
      // Not awaited: a stalled Janus never answers the close handshake, and the caller's deadline has passed already.
      void connection.close().catch(() => {});
      throw error instanceof DomainError ? error : unavailable();
    }
  }

  private lose(link: Link, reason: string): void {
    if (this.current !== link) return;
    this.current = undefined;
    this.link = undefined;
    this.members.clear();
    void link.connection.close().catch(() => {});
    for (const listener of [...this.listeners]) {
      try {
        listener({ reason });
      } catch {
        // A listener's failure is its own; the others still hear of the loss.
      }
    }
  }

  /** After a deadline passed: one `info` request decides whether Janus stalled (lost) or that request was slow. */
  private suspect(): void {
    const link = this.current;
    if (!link || this.checking) return;
    this.checking = true;
    this.call('info', link.connection.getInfo(), undefined, false)
      .catch(() => this.lose(link, `Janus did not answer within ${this.options.requestTimeoutMs} ms`))
      .finally(() => (this.checking = false));
  }

  private attach(link: Link): Promise<VideoRoomHandle> {
    return this.call('attaching a handle', link.session.attach(link.VideoRoom), (late) => void late.detach()).catch((error: unknown) => {
      throw translated(error);
    });
  }

  /** Detaches the handles given, each within the deadline; never rejects (janode's own detach does not either). */
  private async detach(...handles: (Handle | undefined)[]): Promise<void> {
    const held = handles.filter((handle): handle is Handle => handle !== undefined);
    await Promise.all(held.map((handle) => this.call('detaching a handle', handle.detach()).catch(() => {})));
  }

  /**
   * The request within the deadline: past it SERVICE_UNAVAILABLE (and `late` releases what it still brings);
   * Janus's refusal a JanusRefusal; the connection or session failing under it SERVICE_UNAVAILABLE.
   */
  private call<T>(what: string, request: Promise<T>, late?: (value: T) => void, suspectOnTimeout = true): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        request.then(late, () => {});
        reject(tooSlow());
        if (suspectOnTimeout) this.suspect();
      }, this.options.requestTimeoutMs);
      request.then(
        (value) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const refused = /^(\d{3}) (.*)$/s.exec(messageOf(error));
          reject(refused ? new JanusRefusal(Number(refused[1]), refused[2] ?? '') : failedWhile(what, error));
        },
      );
    });
  }
}

/** janode failing under a request: the connection, session or handle gone, or a Janus answer it could not read. */
function failedWhile(what: string, error: unknown): Error {
  const message = messageOf(error);
  if (message.startsWith('unexpected response')) return new Error(`janode could not read Janus's answer to ${what}: ${message}`);
  return unavailable();
}

/** Janus's refusals the caller can act on, as domain errors; any other stays a plain error (a bug here, or in Janus). */
function translated(error: unknown): Error {
  if (error instanceof DomainError) return error;
  if (!(error instanceof JanusRefusal)) return error instanceof Error ? error : new Error(messageOf(error));
  switch (error.janusCode) {
    case NO_SUCH_ROOM:
      return roomGone();
    case PUBLISHERS_FULL:
      return new DomainError('ROOM_FULL', "The call's media room takes no more publishers");
    case INVALID_SDP:
    case INVALID_SDP_TYPE:
    case JSEP_INVALID_SDP:
    case JSEP_UNKNOWN_TYPE:
      return validationFailed([{ field: 'sdp', message: 'is not a session description the media server can use' }]);
    case SESSION_NOT_FOUND:
    case HANDLE_NOT_FOUND:
      return unavailable();
    default:
      return error;
  }
}

function refusalCode(error: unknown): number | undefined {
  return error instanceof JanusRefusal ? error.janusCode : undefined;
}

/** The feed a "No such feed (<id>)" refusal names. */
function feedNamed(error: unknown): number | undefined {
  const named = error instanceof Error ? /\((\d+)\)/.exec(error.message) : null;
  return named ? Number(named[1]) : undefined;
}

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

function memberKey(room: number, participantId: string): string {
  return `${room}/${participantId}`;
}

function roomRef(room: MediaRoom): RoomRef {
  const match = /^(\d+)\.([0-9a-f]{32})\.([0-9a-f]{32})$/.exec(room.key);
  const id = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(id)) throw roomGone();
  return { id, secret: match[2] ?? '', pin: match[3] ?? '' };
}

/** The audio and video sections of an SDP that are not rejected (port 0), with their media ids. */
export function mediaSections(sdp: string): { kind: 'audio' | 'video'; mid: string }[] {
  return sdp
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .flatMap((section) => {
      const line = /^m=(audio|video) (\d+)/.exec(section);
      const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
      return line && line[2] !== '0' && mid !== undefined ? [{ kind: line[1] as 'audio' | 'video', mid }] : [];
    });
}
