import { PeerLink, type PeerMessage } from './peer';

export interface PeerMeshSetup {
  local: MediaStream;
  send(to: string, message: PeerMessage): void;
  /** Whether someone is in the call: a late signal of someone who left must not open a connection to nobody. */
  isPresent(id: string): boolean;
  onStream(id: string, stream: MediaStream): void;
}

/**
 * A peer connection to each other participant, made on first need (from the roster or from their first signal).
 * The lower id is polite in perfect negotiation. Signals that come before the page knows its own id are held.
 */
export class PeerMesh {
  /** What window.__meet.peers shows the end-to-end tests. */
  readonly connections = new Map<string, RTCPeerConnection>();
  private readonly links = new Map<string, PeerLink>();
  /** Signals that came before the join's answer (those in the call offer at once), by sender. */
  private readonly early = new Map<string, unknown[]>();
  private selfId: string | null = null;
  private iceServers: RTCIceServer[] = [];
  private closed = false;
  /** On the SFU: no new connection is made; those still open carry media until the SFU does. */
  private held = false;

  constructor(private readonly setup: PeerMeshSetup) {}

  enter(selfId: string, iceServers: RTCIceServer[]): void {
    this.selfId = selfId;
    this.iceServers = iceServers;
  }

  /** Once the roster is known: the held signals of those in it go to their connections. */
  replayEarly(): void {
    for (const [from, messages] of this.early) for (const message of messages) this.receive(from, message);
    this.early.clear();
  }

  receive(from: string, message: unknown): void {
    if (!this.selfId) {
      const held = this.early.get(from) ?? [];
      if (held.length < 200) this.early.set(from, [...held, message]);
      return;
    }
    if (this.setup.isPresent(from)) this.connect(from)?.receive(message);
  }

  connect(id: string): PeerLink | null {
    const existing = this.links.get(id);
    if (existing || !this.selfId || this.closed || this.held || id === this.selfId) return existing ?? null;
    const link = new PeerLink({
      polite: this.selfId < id,
      iceServers: this.iceServers,
      local: this.setup.local,
      send: (message) => this.setup.send(id, message),
      onStream: (stream) => this.setup.onStream(id, stream),
      onError: (error) => console.warn('peer', id, error),
    });
    this.links.set(id, link);
    this.connections.set(id, link.pc);
    return link;
  }

  ids(): string[] {
    return [...this.links.keys()];
  }

  drop(id: string): void {
    this.links.get(id)?.close();
    this.links.delete(id);
    this.connections.delete(id);
  }

  sendVideo(track: MediaStreamTrack | null): void {
    for (const link of this.links.values()) link.sendVideo(track);
  }

  sendAudio(track: MediaStreamTrack): void {
    for (const link of this.links.values()) link.sendAudio(track);
  }

  /** The call went onto the SFU (true) or back to the mesh (false). */
  hold(held: boolean): void {
    this.held = held;
  }

  /** Closes the connections that never connected (to someone who joined straight onto the SFU, say). */
  dropUnconnected(): void {
    for (const [id, link] of this.links) if (link.pc.connectionState !== 'connected') this.drop(id);
  }

  /** Closes every connection: the SFU carries the media now. */
  dropAll(): void {
    for (const id of this.ids()) this.drop(id);
  }

  /** No connection is made after the call ends. */
  close(): void {
    this.closed = true;
  }
}
