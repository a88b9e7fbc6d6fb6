import { randomBytes, randomInt } from 'node:crypto';

/*
 * SDP as a browser would send it, written without a browser. Janus parses an offer with its own SDP code and answers
 * it if it has, per bundled section: a media id, rtcp-mux, ICE credentials, a DTLS fingerprint and setup role, and a
 * codec the room takes (opus, VP8). Candidates are trickled after the answer, as browsers do.
 */

export interface IceCredentials {
  ufrag: string;
  pwd: string;
}

export function iceCredentials(): IceCredentials {
  return { ufrag: randomBytes(4).toString('hex'), pwd: randomBytes(16).toString('hex') };
}

/** A SHA-256 fingerprint in SDP's form; nothing checks it against a certificate unless DTLS runs. */
function fingerprint(): string {
  return [...randomBytes(32)].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/** RFC 6464: the audio level of each packet, in a one-byte RTP header extension. */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** The id Chrome's offers give it. */
const AUDIO_LEVEL_EXTMAP_ID = 1;

/** An offer that sends one opus audio stream (mid 0, with its audio level) and one VP8 video stream (mid 1), bundled. */
export function publisherOffer(ice: IceCredentials = iceCredentials()): string {
  const dtls = fingerprint();
  const transport = (mid: string) => [
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${ice.ufrag}`,
    `a=ice-pwd:${ice.pwd}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${dtls}`,
    'a=setup:actpass',
    `a=mid:${mid}`,
    'a=sendonly',
    'a=rtcp-mux',
  ];
  const stream = `stream-${randomBytes(4).toString('hex')}`;
  const lines = [
    'v=0',
    `o=- ${randomInt(1, 2 ** 47)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    `a=msid-semantic: WMS ${stream}`,
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    ...transport('0'),
    `a=msid:${stream} audio-0`,
    `a=extmap:${AUDIO_LEVEL_EXTMAP_ID} ${AUDIO_LEVEL_URI}`,
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    `a=ssrc:${randomInt(1, 2 ** 31)} cname:${stream}`,
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    ...transport('1'),
    `a=msid:${stream} video-0`,
    'a=rtcp-rsize',
    'a=rtpmap:96 VP8/90000',
    'a=rtcp-fb:96 nack',
    'a=rtcp-fb:96 nack pli',
    'a=rtcp-fb:96 ccm fir',
    `a=ssrc:${randomInt(1, 2 ** 31)} cname:${stream}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export interface SdpSection {
  kind: string;
  port: number;
  mid: string | undefined;
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  lines: string[];
}

/** An SDP's media sections, each with its own lines (the m= line first). */
export function sdpSections(sdp: string): SdpSection[] {
  const lines = sdp.split(/\r?\n/).filter((line) => line !== '');
  const sections: SdpSection[] = [];
  for (const line of lines) {
    const media = /^m=(\S+) (\d+)/.exec(line);
    const section = sections.at(-1);
    if (media) sections.push({ kind: media[1] ?? '', port: Number(media[2]), mid: undefined, direction: 'sendrecv', lines: [line] });
    else if (section) {
      section.lines.push(line);
      const mid = /^a=mid:(\S+)/.exec(line);
      if (mid) section.mid = mid[1];
      const direction = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line);
      if (direction) section.direction = direction[1] as SdpSection['direction'];
    }
  }
  return sections;
}

/** An answer that receives what `offer` sends (and rejects nothing), with these ICE credentials. */
export function answerTo(offer: string, ice: IceCredentials = iceCredentials()): string {
  const dtls = fingerprint();
  const sections = sdpSections(offer);
  const mids = sections.flatMap((section) => (section.mid === undefined ? [] : [section.mid]));
  const reverse = { sendonly: 'recvonly', recvonly: 'sendonly', sendrecv: 'sendrecv', inactive: 'inactive' } as const;
  const kept = /^a=(mid|rtpmap|fmtp|rtcp-fb|extmap):/;
  const lines = [
    'v=0',
    `o=- ${randomInt(1, 2 ** 47)} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    ...(mids.length > 0 ? [`a=group:BUNDLE ${mids.join(' ')}`] : []),
    ...sections.flatMap((section) => [
      section.lines[0] ?? '',
      'c=IN IP4 0.0.0.0',
      `a=ice-ufrag:${ice.ufrag}`,
      `a=ice-pwd:${ice.pwd}`,
      `a=fingerprint:sha-256 ${dtls}`,
      'a=setup:active',
      `a=${reverse[section.direction]}`,
      'a=rtcp-mux',
      ...section.lines.filter((line) => kept.test(line)),
    ]),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The ICE credentials of an SDP and its IPv4 UDP host candidates. */
export function remoteIce(sdp: string): IceCredentials & { candidates: { address: string; port: number }[] } {
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
  const pwd = /^a=ice-pwd:(\S+)/m.exec(sdp)?.[1];
  if (ufrag === undefined || pwd === undefined) throw new Error(`no ICE credentials in:\n${sdp}`);
  const candidates = [...sdp.matchAll(/^a=candidate:\S+ 1 udp \d+ (\d+\.\d+\.\d+\.\d+) (\d+) typ host/gim)].map((match) => ({
    address: match[1] ?? '',
    port: Number(match[2]),
  }));
  return { ufrag, pwd, candidates };
}

/** What RTP of a section of `kind` needs: its first payload type and SSRC (offer), and the audio level's extmap id (either side). */
export function rtpParameters(sdp: string, kind: 'audio' | 'video'): { payloadType: number; ssrc: number | undefined; audioLevelId: number | undefined } {
  const section = sdpSections(sdp).find((candidate) => candidate.kind === kind);
  if (!section) throw new Error(`no ${kind} section in:\n${sdp}`);
  const payloadType = Number(/^m=\S+ \d+ \S+ (\d+)/.exec(section.lines[0] ?? '')?.[1]);
  const ssrc = section.lines.map((line) => /^a=ssrc:(\d+) /.exec(line)?.[1]).find((found) => found !== undefined);
  const extmap = section.lines.map((line) => new RegExp(`^a=extmap:(\\d+)(?:/\\S+)? ${AUDIO_LEVEL_URI}$`).exec(line)?.[1]).find((found) => found !== undefined);
  return { payloadType, ssrc: ssrc === undefined ? undefined : Number(ssrc), audioLevelId: extmap === undefined ? undefined : Number(extmap) };
}
