/** What goes through `signal`: a session description or an ICE candidate (null: the end of candidates). */
export type PeerMessage = { description: RTCSessionDescriptionInit } | { candidate: RTCIceCandidateInit | null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A signal from another page, checked before it reaches WebRTC: the server relays signals as they are. */
export function parsePeerMessage(raw: unknown): PeerMessage | null {
  if (!isRecord(raw)) return null;
  const { description, candidate } = raw;
  if (isRecord(description) && (description.type === 'offer' || description.type === 'answer') && typeof description.sdp === 'string') {
    return { description: { type: description.type, sdp: description.sdp } };
  }
  if (candidate === null) return { candidate: null };
  if (isRecord(candidate) && typeof candidate.candidate === 'string') {
    return {
      candidate: {
        candidate: candidate.candidate,
        sdpMid: typeof candidate.sdpMid === 'string' ? candidate.sdpMid : null,
        sdpMLineIndex: typeof candidate.sdpMLineIndex === 'number' ? candidate.sdpMLineIndex : null,
        ...(typeof candidate.usernameFragment === 'string' ? { usernameFragment: candidate.usernameFragment } : {}),
      },
    };
  }
  return null;
}

export interface PeerOptions {
  polite: boolean;
  iceServers: RTCIceServer[];
  local: MediaStream;
  send(message: PeerMessage): void;
  onStream(stream: MediaStream): void;
  onError(error: unknown): void;
}

/**
 * One RTCPeerConnection with perfect negotiation (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example):
 * both sides may offer at any time; on a collision the impolite side ignores the other's offer and the polite side
 * rolls back its own, so no offer is ever lost or answered twice.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  /** Messages are applied one at a time, in order: a candidate must not overtake its description. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: PeerOptions) {
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers });
    const remote = new MediaStream();
    this.pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? remote;
      if (!streams[0]) remote.addTrack(track);
      options.onStream(stream);
    };
    this.pc.onicecandidate = ({ candidate }) => options.send({ candidate: candidate ? candidate.toJSON() : null });
    this.pc.onnegotiationneeded = () => void this.offer();
    // A network change can leave the media path dead while signaling comes back: new candidates revive it.
    this.pc.oniceconnectionstatechange = () => {
      if (this.pc.iceConnectionState === 'failed') this.pc.restartIce();
    };
    for (const track of options.local.getTracks()) this.pc.addTrack(track, options.local);
  }

  receive(raw: unknown): void {
    const message = parsePeerMessage(raw);
    if (!message) return;
    this.queue = this.queue.then(() => this.apply(message)).catch((error: unknown) => this.options.onError(error));
  }

  /** What goes out as video: the camera, a shared screen, or nothing. A replacement needs no renegotiation. */
  sendVideo(track: MediaStreamTrack | null): void {
    const transceiver = this.pc.getTransceivers().find((candidate) => candidate.receiver.track.kind === 'video');
    if (transceiver) {
      transceiver.sender.replaceTrack(track).catch((error: unknown) => this.options.onError(error));
      // A page without a camera only received video: sending a screen needs the direction (and a renegotiation).
      if (track && (transceiver.direction === 'recvonly' || transceiver.direction === 'inactive')) transceiver.direction = 'sendrecv';
    } else if (track) {
      this.pc.addTrack(track, this.options.local);
    }
  }

  /** Another microphone in the audio sender's place: no renegotiation. */
  sendAudio(track: MediaStreamTrack): void {
    const transceiver = this.pc.getTransceivers().find((candidate) => candidate.receiver.track.kind === 'audio');
    transceiver?.sender.replaceTrack(track).catch((error: unknown) => this.options.onError(error));
  }

  close(): void {
    this.pc.close();
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      if (this.pc.localDescription) this.options.send({ description: this.pc.localDescription.toJSON() });
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.makingOffer = false;
    }
  }

  private async apply(message: PeerMessage): Promise<void> {
    if ('description' in message) {
      const { description } = message;
      const collision = description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
      this.ignoreOffer = !this.options.polite && collision;
      if (this.ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        await this.pc.setLocalDescription();
        if (this.pc.localDescription) this.options.send({ description: this.pc.localDescription.toJSON() });
      }
      return;
    }
    try {
      await this.pc.addIceCandidate(message.candidate ?? undefined);
    } catch (error) {
      // Candidates of an offer this side ignored fail to apply, as expected.
      if (!this.ignoreOffer) throw error;
    }
  }
}
