/*
 * Types for the part of janode 1.8 that JanusMediaServer uses, written from its JSDoc (the package ships JavaScript
 * only). Load the package through janode-loader.ts, never with a static import: see there why.
 */

declare module 'janode' {
  import type { EventEmitter } from 'node:events';

  export interface ServerAddress {
    url: string;
    apisecret?: string;
    token?: string;
  }

  export interface RawConfiguration {
    address: ServerAddress | ServerAddress[];
    /** Seconds between connection attempts (10). */
    retry_time_secs?: number;
    /** Attempts after the first (5). */
    max_retries?: number;
    is_admin?: boolean;
    /** Passed to the `ws` WebSocket (janode sets handshakeTimeout to 5000 ms unless given). */
    ws_options?: { handshakeTimeout?: number };
  }

  export interface Jsep {
    type: 'offer' | 'answer';
    sdp: string;
    e2ee?: boolean;
  }

  /** A Janus message as it arrived, for requests janode's plugin classes have no method for. */
  export interface JanusMessage {
    janus: string;
    plugindata?: { plugin: string; data: Record<string, unknown> };
    jsep?: Jsep;
  }

  export interface TrickleCandidate {
    candidate: string;
    sdpMid?: string | null;
    sdpMLineIndex?: number | null;
  }

  export interface PluginDescriptor<H extends Handle> {
    id: string;
    Handle: new (session: Session, id: number) => H;
    EVENT: Record<string, string>;
  }

  /** Emits JanodeEvents.CONNECTION_CLOSED (closed by us) or CONNECTION_ERROR (lost), then drops every listener. */
  export interface Connection extends EventEmitter {
    id: number;
    /** A Janus session whose keep-alive runs every `keepAliveSeconds` (30); a failed keep-alive destroys it. */
    create(keepAliveSeconds?: number): Promise<Session>;
    /** The Janus `info` request. */
    getInfo(): Promise<JanusMessage & { janus: 'server_info' }>;
    close(): Promise<void>;
  }

  /** Emits JanodeEvents.SESSION_DESTROYED when destroyed, timed out by Janus, or with its connection. */
  export interface Session extends EventEmitter {
    id: number;
    attach<H extends Handle>(plugin: PluginDescriptor<H>): Promise<H>;
    destroy(): Promise<void>;
  }

  /** Emits JanodeEvents.HANDLE_DETACHED when detached, or with its session. */
  export interface Handle extends EventEmitter {
    id: number;
    /** Never rejects: janode logs a failure and leaves the handle attached. */
    detach(): Promise<void>;
    /** A candidate, or null for the end of candidates. */
    trickle(candidate: TrickleCandidate | null): Promise<unknown>;
    /** A plugin request; resolves with the response, rejects with an Error whose message starts with Janus's error code. */
    message(body: Record<string, unknown>, jsep?: Jsep): Promise<JanusMessage>;
  }

  export interface JanodeEvents {
    CONNECTION_CLOSED: 'connection_closed';
    CONNECTION_ERROR: 'connection_error';
    SESSION_DESTROYED: 'session_destroyed';
    HANDLE_DETACHED: 'handle_detached';
    HANDLE_HANGUP: 'handle_hangup';
    /** The handle's PeerConnection is up (ICE and DTLS done): media flows. */
    HANDLE_WEBRTCUP: 'handle_webrtcup';
  }

  const Janode: {
    connect(config: RawConfiguration): Promise<Connection>;
    /** One logger for the process, printing with console.* (level 'info' unless --janode-log=… is on the command line). */
    Logger: { setLevel(level: 'debug' | 'verb' | 'info' | 'warn' | 'error' | 'none'): string };
    EVENT: JanodeEvents;
  };
  export default Janode;
}

declare module 'janode/plugins/videoroom' {
  import type { Handle, Jsep, PluginDescriptor } from 'janode';

  export interface PublisherStream {
    type: 'audio' | 'video' | 'data';
    mid: string;
    disabled?: boolean;
    /** Set when a moderator muted it. */
    moderated?: boolean;
  }

  /** An active publisher, as Janus lists them: only those whose PeerConnection is up. */
  export interface PublisherEntry {
    feed: number;
    display?: string;
    streams?: PublisherStream[];
    /** With the room's talking events on: whether Janus hears it talking now. */
    talking?: boolean;
  }

  export interface SubscriptionStream {
    type: 'audio' | 'video' | 'data';
    mid: string;
    active: boolean;
    feed_id?: number;
    feed_display?: string;
    feed_mid?: string;
  }

  export interface VideoRoomHandle extends Handle {
    /** This handle's feed id once joined. */
    feed: number | null;
    create(request: {
      room?: number;
      description?: string;
      max_publishers?: number;
      permanent?: boolean;
      is_private?: boolean;
      secret?: string;
      pin?: string;
      audiocodec?: string;
      videocodec?: string;
      notify_joining?: boolean;
      /** Janus's audiolevel_event: talking and stopped-talking events, from the publishers' ssrc-audio-level extension. */
      talking_events?: boolean;
      /** Janus's audio_level_average (0-127, -dBov): a block averaging louder than this is talking. */
      talking_level_threshold?: number;
      /** Janus's audio_active_packets: how many audio packets each average is taken over. */
      talking_packets_threshold?: number;
    }): Promise<{ room: number; permanent: boolean }>;
    destroy(request: { room: number; secret?: string; permanent?: boolean }): Promise<{ room: number }>;
    joinPublisher(request: { room: number; pin?: string; display?: string }): Promise<{ feed: number; publishers: PublisherEntry[] }>;
    joinConfigurePublisher(request: { room: number; pin?: string; display?: string; jsep: Jsep }): Promise<{ feed: number; jsep?: Jsep }>;
    configure(request: { jsep: Jsep }): Promise<{ jsep?: Jsep }>;
    joinSubscriber(request: { room: number; pin?: string; streams: { feed: number; mid?: string }[]; use_msid?: boolean }): Promise<{
      streams?: SubscriptionStream[];
      jsep?: Jsep;
    }>;
    start(request: { jsep: Jsep }): Promise<unknown>;
    listParticipants(request: { room: number; secret?: string }): Promise<{ participants: { feed: number; display?: string; publisher: boolean }[] }>;
    kick(request: { room: number; feed: number; secret?: string }): Promise<unknown>;
  }

  export interface VideoRoomEvents {
    /** `{feed, reason?}`: a participant left the room; `feed` is the handle's own when it was made to leave (kicked). */
    VIDEOROOM_LEAVING: 'videoroom_leaving';
    /** `{feed, talking, mid?, audio_level}`: a publisher of the room (this handle's own feed included) started or stopped talking. */
    VIDEOROOM_TALKING: 'videoroom_talking';
    /** The room this handle was in was destroyed. */
    VIDEOROOM_DESTROYED: 'videoroom_destroyed';
  }

  const VideoRoomPlugin: PluginDescriptor<VideoRoomHandle> & { EVENT: VideoRoomEvents };
  export default VideoRoomPlugin;
}
