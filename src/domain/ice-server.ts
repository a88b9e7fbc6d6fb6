/** One entry of a WebRTC peer connection's `iceServers` (the W3C RTCIceServer shape): a STUN or TURN server. */
export interface IceServer {
  urls: string[] | string;
  /** TURN only: a short-lived name and password the TURN server accepts. */
  username?: string;
  credential?: string;
}
