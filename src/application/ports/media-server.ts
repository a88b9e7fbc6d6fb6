import type { ForcedKind } from '../../domain/call';
import type { MediaMode } from '../../domain/media-path';

/**
 * A call's room on the media server (the SFU). `key` is the adapter's own reference to it, holding the room's
 * credentials: keep it on the server side (with the call, so that every node can reach the room), never send it to
 * a client.
 */
export interface MediaRoom {
  callId: string;
  key: string;
}

/** One ICE candidate as a browser's RTCIceCandidate gives it. */
export interface IceCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** What a participant's publishing offer brings. */
export interface PublishRequest {
  /** The browser's SDP offer for what it sends. */
  sdp: string;
  /** What a host forced off for this participant (Participant.forcedOff): dropped by the server from the first packet. */
  forcedOff?: Partial<Record<ForcedKind, boolean>>;
}

/** One stream a publisher sends. */
export interface PublishedStream {
  kind: 'audio' | 'video';
  /** The SDP media id of the stream in the publisher's own session. */
  mid: string;
  /** The server drops it (a host forced it off). */
  forcedOff: boolean;
}

export interface Publisher {
  participantId: string;
  streams: PublishedStream[];
  /** The server hears it talking now (what its last talking event said; false before any). */
  talking: boolean;
}

/** A subscription's offer: the SDP to answer, and whose stream each of its media ids carries. */
export interface SubscriptionOffer {
  sdp: string;
  streams: { mid: string; participantId: string; kind: 'audio' | 'video' }[];
}

/** A simulcast layer of a publisher's video: the small one, or the full one (what a subscription starts with). */
export type VideoLayer = 'low' | 'high';

/** A participant's media began to flow into the server: others can subscribe to it now. */
export interface PublishingStarted {
  callId: string;
  participantId: string;
}

/** A publisher started or stopped talking, as the server measures the audio it receives. */
export interface TalkingChanged {
  callId: string;
  participantId: string;
  talking: boolean;
}

/** Why the media server was lost: every room on it is gone with it. */
export interface MediaServerLoss {
  reason: string;
}

/*
 * The selective forwarding unit (SFU) a call's media goes through: each participant publishes its streams to the
 * call's room once, and receives the others' streams from it on one subscription. Participant ids are ours; the
 * server's own ids never leave the adapter.
 *
 * Errors a caller reacts to are DomainErrors: SERVICE_UNAVAILABLE when the server cannot be reached, does not
 * answer in time (every request has a deadline) or was lost while answering; NOT_FOUND when the room is gone
 * (closed, or lost with its server) or a participant named does not publish; VALIDATION_FAILED for an SDP the server
 * cannot use; ROOM_FULL when the room has as many publishers as it takes. The per-connection methods (publish,
 * subscribe, startSubscription, trickle, chooseLayer) run on the node that holds the participant's connection; the room-wide ones
 * work from any node that has the MediaRoom.
 */
export interface MediaServer {
  /** The key of a new room (its credentials, which no client sees), for a MediaRoom; nothing is created until openRoom. */
  newRoomKey(): string;
  /** Creates the room on the server unless it is there already (any node may ask, at once): no error either way. */
  openRoom(room: MediaRoom): Promise<void>;
  /** Destroys the room: every publisher and subscription in it ends; a room already gone is no error. */
  closeRoom(room: MediaRoom): Promise<void>;
  /** Publishes what the offer sends (again: renegotiates it); answers the server's SDP answer. */
  publish(room: MediaRoom, participantId: string, request: PublishRequest): Promise<{ sdp: string }>;
  /** Stops the participant's publishing (subscribers lose its streams), keeping its subscription; not publishing is no error. */
  unpublish(room: MediaRoom, participantId: string): Promise<void>;
  /** Replaces the participant's subscription with the streams of these publishers; NOT_FOUND naming one that does not publish. */
  subscribe(room: MediaRoom, participantId: string, publisherIds: string[]): Promise<SubscriptionOffer>;
  /** Completes the subscription with the browser's SDP answer; NOT_FOUND without a subscription. */
  startSubscription(room: MediaRoom, participantId: string, answer: { sdp: string }): Promise<void>;
  /** Hands the server a browser's ICE candidate for its publishing or subscribing connection; null: no more candidates. */
  trickle(room: MediaRoom, participantId: string, connection: 'publisher' | 'subscriber', candidate: IceCandidate | null): Promise<void>;
  /** Which layer of the publisher's video the participant's subscription receives; NOT_FOUND when it does not receive it. */
  chooseLayer(room: MediaRoom, participantId: string, publisherId: string, layer: VideoLayer): Promise<void>;
  /** Forces the kinds given off (true: the server drops them) or lets them through again (false); NOT_FOUND when not publishing. */
  moderate(room: MediaRoom, participantId: string, forcedOff: Partial<Record<ForcedKind, boolean>>): Promise<void>;
  /** Who publishes in the room now, as the server sees it (media flowing), with what is forced off. */
  publishers(room: MediaRoom): Promise<Publisher[]>;
  /** Takes the participant out: its publishing ends for everyone and its subscription is dropped; not there is no error. */
  remove(room: MediaRoom, participantId: string): Promise<void>;
  /** Whether the server answers now; never throws. */
  isHealthy(): Promise<boolean>;
  /**
   * Calls `listener` each time media of a participant whose connection is on this node starts to flow, and after each
   * renegotiation of what it sends (a screen share added), so that subscribers take its streams again. Returns its removal.
   */
  onPublishing(listener: (started: PublishingStarted) => void): () => void;
  /** Calls `listener` on the node holding the publisher's connection (so each change is told once in a cluster) when the server says it started or stopped talking. Returns its removal. */
  onTalking(listener: (event: TalkingChanged) => void): () => void;
  /** Calls `listener` once each time the server is lost (died, dropped or stalled): every room on it is gone. Returns its removal. */
  onLost(listener: (loss: MediaServerLoss) => void): () => void;
}

/** The deployment's media servers by name (janus-1, …: JANUS_URLS in order), and which of them this node can use now. */
export interface MediaServerPool {
  /** Names of the servers this node does not know to be lost, in configured order; [] without any. */
  usable(): string[];
  /** The server of that name; undefined for a name this node does not have. */
  get(name: string): MediaServer | undefined;
  /** A new room key (see MediaServer.newRoomKey); '' without any server. */
  newRoomKey(): string;
}

/** How calls choose their media path: MEDIA_MODE, SFU_FROM, and the capacity of each path. */
export interface MediaSettings {
  mode: MediaMode;
  sfuFrom: number;
  capacity: { mesh: number; sfu: number };
}
