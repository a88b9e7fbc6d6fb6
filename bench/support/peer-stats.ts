/*
 * What a page sends and decodes, read from its own RTCPeerConnections without the app's help: an init script wraps
 * window.RTCPeerConnection so that every instance the page makes is kept on window.__benchPeers, and a reading runs
 * getStats() on each. Both functions run in the browser (Playwright sends their source), so they use no imports and
 * only the few browser shapes typed here (the bench compiles without the DOM library).
 */

interface BrowserStat {
  id: string;
  type: string;
  kind?: string;
  bytesSent?: number;
  bytesReceived?: number;
  framesDecoded?: number;
  framesEncoded?: number;
  rid?: string;
  frameWidth?: number;
}

interface BrowserPeer {
  connectionState: string;
  remoteDescription: { sdp: string } | null;
  getStats(): Promise<{ forEach(visit: (stat: BrowserStat) => void): void }>;
}

type PeerConstructor = new (...args: unknown[]) => BrowserPeer;

interface PeerWindow {
  RTCPeerConnection?: PeerConstructor;
  __benchPeers?: BrowserPeer[];
  /** The app's debug handle, read only to say which media path a page was on when it failed. */
  __meet?: { path?: unknown };
}

/** The init script: from now on every RTCPeerConnection of the page is kept, in creation order, on window.__benchPeers. */
export function trackPeerConnections(): void {
  const page = globalThis as unknown as PeerWindow;
  const Native = page.RTCPeerConnection;
  if (!Native || page.__benchPeers) return;
  const live: BrowserPeer[] = [];
  page.__benchPeers = live;
  page.RTCPeerConnection = class extends Native {
    constructor(...args: unknown[]) {
      super(...args);
      live.push(this);
    }
  };
}

/** One RTP stream of one peer connection at one moment; `key` is stable across readings (connection index + stats id). */
export interface RtpReading {
  key: string;
  peer: number;
  direction: 'out' | 'in';
  kind: string;
  bytes: number;
  frames: number;
  rid: string | null;
  width: number;
}

export interface PageReading {
  /** Date.now() in the page when the reading started. */
  at: number;
  /** Connections the page has made, and how many of them are not closed. */
  made: number;
  open: number;
  /** Open connections whose remote description Janus wrote (its SDP's session name or msid-semantic), and the others. */
  toJanus: number;
  toBrowsers: number;
  rtp: RtpReading[];
  /** Bytes sent and received by the transports of the open connections (RTP, RTCP, DTLS, STUN). */
  transportSent: number;
  transportReceived: number;
  /** window.__meet.path when the app exposes it, else null. */
  path: string | null;
}

/** Runs in the page: getStats() of every connection it has not closed. */
export async function readPeerStats(): Promise<PageReading> {
  const page = globalThis as unknown as PeerWindow;
  const peers = page.__benchPeers ?? [];
  const reading: PageReading = { at: Date.now(), made: peers.length, open: 0, toJanus: 0, toBrowsers: 0, rtp: [], transportSent: 0, transportReceived: 0, path: null };
  const path = page.__meet?.path;
  reading.path = typeof path === 'string' ? path : null;
  for (let index = 0; index < peers.length; index += 1) {
    const peer = peers[index]!;
    if (peer.connectionState === 'closed') continue;
    reading.open += 1;
    const remote = peer.remoteDescription?.sdp;
    if (remote !== undefined) {
      // Janus's VideoRoom names its SDP sessions "VideoRoom <room>", and Janus's msid-semantic is "WMS janus".
      if (/^s=VideoRoom|^a=msid-semantic: ?WMS janus/m.test(remote)) reading.toJanus += 1;
      else reading.toBrowsers += 1;
    }
    (await peer.getStats()).forEach((stat) => {
      if (stat.type === 'transport') {
        reading.transportSent += stat.bytesSent ?? 0;
        reading.transportReceived += stat.bytesReceived ?? 0;
      } else if (stat.type === 'outbound-rtp' || stat.type === 'inbound-rtp') {
        const out = stat.type === 'outbound-rtp';
        reading.rtp.push({
          key: `${index}/${stat.id}`,
          peer: index,
          direction: out ? 'out' : 'in',
          kind: stat.kind ?? '',
          bytes: (out ? stat.bytesSent : stat.bytesReceived) ?? 0,
          frames: (out ? stat.framesEncoded : stat.framesDecoded) ?? 0,
          rid: stat.rid ?? null,
          width: stat.frameWidth ?? 0,
        });
      }
    });
  }
  return reading;
}
