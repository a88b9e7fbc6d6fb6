import type {
  IceCandidate,
  MediaRoom,
  MediaServer,
  MediaServerLoss,
  PublishRequest,
  Publisher,
  PublishingStarted,
  SubscriptionOffer,
  TalkingChanged,
  VideoLayer,
} from '../../src/application/ports/media-server';
import { MediaServerRegistry } from '../../src/adapters/media/media-server-registry';
import type { MediaSettings } from '../../src/application/ports/media-server';
import type { ForcedKind } from '../../src/domain/call';
import { DomainError, validationFailed } from '../../src/domain/errors';
import { answerTo, sdpSections } from './sdp';

type Kind = 'audio' | 'video';

interface FakeParticipant {
  /** What it publishes, from which offer, through which node (the one told of its media and its talking). */
  publishing?: { streams: { kind: Kind; mid: string }[]; offer: string; node: FakeMediaServer; talking: boolean };
  forcedOff: Record<ForcedKind, boolean>;
  subscription?: { publisherIds: string[]; started: boolean; layers: Map<string, VideoLayer> };
  candidates: { publisher: (IceCandidate | null)[]; subscriber: (IceCandidate | null)[] };
}

interface FakeRoom {
  callId: string;
  key: string;
  participants: Map<string, FakeParticipant>;
}

/** What the nodes of one fake media server share. */
interface FakeState {
  rooms: Map<string, FakeRoom>;
  nodes: FakeMediaServer[];
  lost: boolean;
  drawn: number;
}

/**
 * The MediaServer port in memory, for unit tests: rooms, publishers with the streams their offers send, one
 * subscription each, forced-off kinds, removal, talking (when a test says so), and a loss (crash) after which every
 * call answers SERVICE_UNAVAILABLE until revive(). SDP answers and offers are placeholders built from the offers'
 * sections. Unlike Janus, a publisher is listed as soon as its offer is answered (no ICE to wait for). node() is the
 * same server as another backend node reaches it: publishing and talking are told on the node that published.
 */
export class FakeMediaServer implements MediaServer {
  private readonly listeners = new Set<(loss: MediaServerLoss) => void>();
  private readonly publishingListeners = new Set<(started: PublishingStarted) => void>();
  private readonly talkingListeners = new Set<(event: TalkingChanged) => void>();
  private readonly state: FakeState;

  constructor(
    private readonly options: { maxPublishers?: number } = {},
    shared?: FakeMediaServer,
  ) {
    this.state = shared?.state ?? { rooms: new Map(), nodes: [], lost: false, drawn: 0 };
    this.state.nodes.push(this);
  }

  /** This server as another node sees it: its own listeners, the same rooms. */
  node(): FakeMediaServer {
    return new FakeMediaServer(this.options, this);
  }

  private get rooms(): Map<string, FakeRoom> {
    return this.state.rooms;
  }

  newRoomKey(): string {
    return `fake-room-${++this.state.drawn}`;
  }

  async openRoom(room: MediaRoom): Promise<void> {
    this.reachable();
    if (!this.rooms.has(room.key)) this.rooms.set(room.key, { callId: room.callId, key: room.key, participants: new Map() });
  }

  async closeRoom(room: MediaRoom): Promise<void> {
    this.reachable();
    this.rooms.delete(room.key);
  }

  async publish(room: MediaRoom, participantId: string, request: PublishRequest): Promise<{ sdp: string }> {
    const live = this.room(room);
    const streams = sdpSections(request.sdp).flatMap((section): { kind: Kind; mid: string }[] =>
      (section.kind === 'audio' || section.kind === 'video') && section.port !== 0 && section.mid !== undefined ? [{ kind: section.kind, mid: section.mid }] : [],
    );
    if (!request.sdp.startsWith('v=0') || streams.length === 0) throw validationFailed([{ field: 'sdp', message: 'is not a session description the media server can use' }]);
    const others = [...live.participants].filter(([id, participant]) => id !== participantId && participant.publishing).length;
    const participant = this.participant(live, participantId);
    if (!participant.publishing && others >= (this.options.maxPublishers ?? Infinity)) {
      throw new DomainError('ROOM_FULL', "The call's media room takes no more publishers");
    }
    // A new publisher starts with nothing forced off but what the request says; a renegotiation keeps what was.
    const first = !participant.publishing;
    if (first) participant.forcedOff = { audio: false, video: false };
    participant.publishing = { streams, offer: request.sdp, node: this, talking: participant.publishing?.talking ?? false };
    // No ICE here: its media "flows" once the answer is on its way; a renegotiation is told as well.
    queueMicrotask(() => this.publishingListeners.forEach((listener) => listener({ callId: live.callId, participantId })));
    for (const kind of ['audio', 'video'] as const) if (request.forcedOff?.[kind] !== undefined) participant.forcedOff[kind] = request.forcedOff[kind];
    return { sdp: answerTo(request.sdp) };
  }

  async unpublish(room: MediaRoom, participantId: string): Promise<void> {
    this.reachable();
    const participant = this.rooms.get(room.key)?.participants.get(participantId);
    if (participant) participant.publishing = undefined;
  }

  async subscribe(room: MediaRoom, participantId: string, publisherIds: string[]): Promise<SubscriptionOffer> {
    const live = this.room(room);
    if (publisherIds.length === 0) throw validationFailed([{ field: 'publisherIds', message: 'must name at least one publisher' }]);
    const streams: SubscriptionOffer['streams'] = [];
    for (const id of publisherIds) {
      const publishing = live.participants.get(id)?.publishing;
      if (!publishing) throw new DomainError('NOT_FOUND', `${id} is not publishing in this call`);
      for (const stream of publishing.streams) streams.push({ mid: String(streams.length), participantId: id, kind: stream.kind });
    }
    this.participant(live, participantId).subscription = { publisherIds: [...publisherIds], started: false, layers: new Map() };
    const sections = streams.flatMap((stream) => [
      `m=${stream.kind} 9 UDP/TLS/RTP/SAVPF ${stream.kind === 'audio' ? 111 : 96}`,
      'c=IN IP4 0.0.0.0',
      `a=mid:${stream.mid}`,
      'a=sendonly',
      `a=msid:${stream.participantId} ${stream.kind}-${stream.mid}`,
      stream.kind === 'audio' ? 'a=rtpmap:111 opus/48000/2' : 'a=rtpmap:96 VP8/90000',
    ]);
    const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=fake', 't=0 0', `a=group:BUNDLE ${streams.map((stream) => stream.mid).join(' ')}`, ...sections, ''].join('\r\n');
    return { sdp, streams };
  }

  async startSubscription(room: MediaRoom, participantId: string, answer: { sdp: string }): Promise<void> {
    const subscription = this.room(room).participants.get(participantId)?.subscription;
    if (!subscription) throw new DomainError('NOT_FOUND', 'There is no subscription to start');
    if (sdpSections(answer.sdp).length === 0) throw validationFailed([{ field: 'sdp', message: 'is not a session description the media server can use' }]);
    subscription.started = true;
  }

  async trickle(room: MediaRoom, participantId: string, connection: 'publisher' | 'subscriber', candidate: IceCandidate | null): Promise<void> {
    const participant = this.room(room).participants.get(participantId);
    const open = connection === 'publisher' ? participant?.publishing : participant?.subscription;
    if (!participant || !open) throw new DomainError('NOT_FOUND', `There is no ${connection} connection to add candidates to`);
    participant.candidates[connection].push(candidate && { ...candidate });
  }

  async chooseLayer(room: MediaRoom, participantId: string, publisherId: string, layer: VideoLayer): Promise<void> {
    const subscription = this.room(room).participants.get(participantId)?.subscription;
    const video = this.room(room).participants.get(publisherId)?.publishing?.streams.some((stream) => stream.kind === 'video');
    if (!subscription?.publisherIds.includes(publisherId) || !video) throw new DomainError('NOT_FOUND', `Your subscription does not receive ${publisherId}'s video`);
    subscription.layers.set(publisherId, layer);
  }

  /** The layer of each publisher's video the participant chose (high unless chosen). */
  layerOf(room: MediaRoom, participantId: string, publisherId: string): VideoLayer | undefined {
    const subscription = this.rooms.get(room.key)?.participants.get(participantId)?.subscription;
    return subscription?.publisherIds.includes(publisherId) ? (subscription.layers.get(publisherId) ?? 'high') : undefined;
  }

  async moderate(room: MediaRoom, participantId: string, forcedOff: Partial<Record<ForcedKind, boolean>>): Promise<void> {
    const participant = this.room(room).participants.get(participantId);
    if (!participant?.publishing) throw new DomainError('NOT_FOUND', `${participantId} is not publishing in this call`);
    for (const kind of ['audio', 'video'] as const) if (forcedOff[kind] !== undefined) participant.forcedOff[kind] = forcedOff[kind];
  }

  async publishers(room: MediaRoom): Promise<Publisher[]> {
    return [...this.room(room).participants].flatMap(([participantId, participant]) =>
      participant.publishing
        ? [
            {
              participantId,
              streams: participant.publishing.streams.map((stream) => ({ ...stream, forcedOff: participant.forcedOff[stream.kind] })),
              talking: participant.publishing.talking && !participant.forcedOff.audio,
            },
          ]
        : [],
    );
  }

  async remove(room: MediaRoom, participantId: string): Promise<void> {
    this.reachable();
    this.rooms.get(room.key)?.participants.delete(participantId);
  }

  async isHealthy(): Promise<boolean> {
    return !this.state.lost;
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
    const entry = (loss: MediaServerLoss) => listener(loss);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  /**
   * The participant's audio now sounds like a voice (true) or silence (false): told as Janus tells it, on the node
   * that published it, on changes only, and never while not publishing or with its audio forced off (dropped unheard).
   */
  talk(room: MediaRoom, participantId: string, talking: boolean): void {
    const live = this.rooms.get(room.key);
    const participant = live?.participants.get(participantId);
    const publishing = participant?.publishing;
    if (!live || !publishing || participant.forcedOff.audio || publishing.talking === talking) return;
    publishing.talking = talking;
    const event = { callId: live.callId, participantId, talking };
    queueMicrotask(() => publishing.node.talkingListeners.forEach((listener) => listener(event)));
  }

  /** talk() for whoever published with this offer (a contract peer). */
  talkFrom(offer: string, talking: boolean): void {
    for (const live of this.rooms.values()) {
      for (const [participantId, participant] of live.participants) {
        if (participant.publishing?.offer === offer) this.talk({ callId: live.callId, key: live.key }, participantId, talking);
      }
    }
  }

  /** The server dies: its rooms are gone, every node's listeners hear of it, and every call fails until revive(). */
  crash(reason = 'the media server crashed'): void {
    if (this.state.lost) return;
    this.state.lost = true;
    this.rooms.clear();
    for (const node of this.state.nodes) for (const listener of [...node.listeners]) listener({ reason });
  }

  /** A new server where the lost one was: empty, answering again. */
  revive(): void {
    this.state.lost = false;
  }

  /** Whether a room of this key is open now. */
  hasRoom(room: MediaRoom): boolean {
    return this.rooms.has(room.key);
  }

  /** What a participant trickled so far, per connection (null: the end of candidates). */
  candidatesOf(room: MediaRoom, participantId: string): FakeParticipant['candidates'] | undefined {
    return this.rooms.get(room.key)?.participants.get(participantId)?.candidates;
  }

  private reachable(): void {
    if (this.state.lost) throw new DomainError('SERVICE_UNAVAILABLE', 'Call media is unavailable for a moment; try again shortly');
  }

  private room(room: MediaRoom): FakeRoom {
    this.reachable();
    const live = this.rooms.get(room.key);
    if (!live) throw new DomainError('NOT_FOUND', 'This call has no media room now');
    return live;
  }

  private participant(room: FakeRoom, participantId: string): FakeParticipant {
    let participant = room.participants.get(participantId);
    if (!participant) {
      participant = { forcedOff: { audio: false, video: false }, candidates: { publisher: [], subscriber: [] } };
      room.participants.set(participantId, participant);
    }
    return participant;
  }
}

/** Media settings of a deployment without a media server: every call a mesh of at most `capacity`. */
export function meshSettings(capacity = 8): MediaSettings {
  return { mode: 'auto', sfuFrom: 3, capacity: { mesh: capacity, sfu: capacity } };
}

/** A pool of these fakes, named s1, s2, … in order (no servers: mesh only). */
export function fakePool(...servers: FakeMediaServer[]): MediaServerRegistry {
  return new MediaServerRegistry(servers.map((server, i) => ({ name: `s${i + 1}`, server })));
}
