import type { PageReading, RtpReading } from './peer-stats';

/** What one page did between two readings of its peer connections (peer-stats.ts). */
export interface PageWindow {
  seconds: number;
  /** Outbound video RTP streams whose bytesSent rose: each simulcast encoding counts. */
  videoEncodings: number;
  /** Connections carrying at least one of those: the distinct receivers (each mesh peer, or the SFU once). */
  videoStreams: number;
  videoOutBytesPerSecond: number;
  /** All the page's transports, audio, RTCP and ICE included. */
  outBytesPerSecond: number;
  inBytesPerSecond: number;
  /** Inbound video RTP streams whose framesDecoded rose: the remote videos this page decoded. */
  decoding: number;
  /** The slowest of those, in frames per second (NaN when none). */
  slowestFps: number;
  openConnections: number;
  /** Open connections to Janus and to other browsers at the end of the window (peer-stats.ts). */
  toJanus: number;
  toBrowsers: number;
}

const rose = (before: Map<string, RtpReading>, after: RtpReading, of: 'bytes' | 'frames') => after[of] - (before.get(after.key)?.[of] ?? 0);

export function pageWindow(before: PageReading, after: PageReading): PageWindow {
  const seconds = (after.at - before.at) / 1000;
  const earlier = new Map(before.rtp.map((rtp) => [rtp.key, rtp]));
  const video = after.rtp.filter((rtp) => rtp.kind === 'video');
  const sending = video.filter((rtp) => rtp.direction === 'out' && earlier.has(rtp.key) && rose(earlier, rtp, 'bytes') > 0);
  const decoded = video.filter((rtp) => rtp.direction === 'in' && earlier.has(rtp.key) && rose(earlier, rtp, 'frames') > 0);
  return {
    seconds,
    videoEncodings: sending.length,
    videoStreams: new Set(sending.map((rtp) => rtp.peer)).size,
    videoOutBytesPerSecond: sending.reduce((sum, rtp) => sum + rose(earlier, rtp, 'bytes'), 0) / seconds,
    outBytesPerSecond: (after.transportSent - before.transportSent) / seconds,
    inBytesPerSecond: (after.transportReceived - before.transportReceived) / seconds,
    decoding: decoded.length,
    slowestFps: decoded.length === 0 ? NaN : Math.min(...decoded.map((rtp) => rose(earlier, rtp, 'frames'))) / seconds,
    openConnections: after.open,
    toJanus: after.toJanus,
    toBrowsers: after.toBrowsers,
  };
}
