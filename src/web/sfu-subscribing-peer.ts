export interface SubscribingSetup {
  iceServers: RTCIceServer[];
  answer(sdp: string): Promise<void>;
  candidate(candidate: RTCIceCandidateInit | null): void;
  onState(state: RTCPeerConnectionState): void;
}

/**
 * One subscription's connection: it answers the SFU's offer and receives a track per media id. Each subscription
 * has a connection of its own (the SFU's new one brings new ICE credentials, DTLS fingerprint and media ids), which
 * the page closes before it opens the next, so it never holds more than one.
 */
export class SfuSubscribingPeer {
  readonly pc: RTCPeerConnection;
  private answered = false;
  private readonly held: Array<RTCIceCandidateInit | null> = [];

  constructor(private readonly setup: SubscribingSetup) {
    // One transport for every stream (the SFU bundles them all): one set of candidates to gather and send.
    this.pc = new RTCPeerConnection({ iceServers: setup.iceServers, bundlePolicy: 'max-bundle' });
    this.pc.onicecandidate = ({ candidate }) => {
      const init = candidate ? candidate.toJSON() : null;
      if (this.answered) setup.candidate(init);
      else this.held.push(init);
    };
    this.pc.onconnectionstatechange = () => setup.onState(this.pc.connectionState);
  }

  /** Takes the SFU's offer (its candidates are in it) and sends the answer; answers the track of each media id. */
  async start(offer: string): Promise<Map<string, MediaStreamTrack>> {
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
    const tracks = new Map<string, MediaStreamTrack>();
    for (const transceiver of this.pc.getTransceivers()) if (transceiver.mid !== null) tracks.set(transceiver.mid, transceiver.receiver.track);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    const sent = this.setup.answer(this.pc.localDescription?.sdp ?? '');
    // The answer has gone out (emitted in order on the socket): candidates may follow it.
    this.answered = true;
    for (const candidate of this.held.splice(0)) this.setup.candidate(candidate);
    await sent;
    return tracks;
  }

  get state(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  close(): void {
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}
