import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { crc32 } from 'node:zlib';
import type { IceCandidate } from '../../src/application/ports/media-server';
import { iceCredentials, remoteIce, type IceCredentials } from './sdp';

/*
 * The ICE half of a browser's PeerConnection, and nothing else: enough for Janus to take a test publisher as
 * publishing. Janus lists a publisher, and lets others subscribe to it, only once its PeerConnection is up; with
 * WebRTC encryption off (the test configuration, see janus-server.ts) that is when ICE connects, without DTLS.
 *
 * As the offerer it is the controlling agent (RFC 8445): it sends STUN Binding requests with USE-CANDIDATE to
 * Janus's host candidate, and answers Janus's own checks, each message signed with the receiver's ICE password
 * (MESSAGE-INTEGRITY, HMAC-SHA1) and ending with a FINGERPRINT (CRC-32), as libnice insists. Media is whatever the
 * test sends through `send` once connected (rtp.ts).
 */

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const USERNAME = 0x0006;
const MESSAGE_INTEGRITY = 0x0008;
const XOR_MAPPED_ADDRESS = 0x0020;
const PRIORITY = 0x0024;
const USE_CANDIDATE = 0x0025;
const FINGERPRINT = 0x8028;
const ICE_CONTROLLING = 0x802a;
const FINGERPRINT_XOR = 0x5354554e;

export interface IcePeer {
  /** Goes into the offer (sdp.ts publisherOffer). */
  credentials: IceCredentials;
  /**
   * Connects to the ICE agent `answer` describes (its first IPv4 host candidate), handing Janus this peer's own
   * candidate and the end of candidates through `trickle`; resolves once a check of ours succeeded.
   */
  connect(answer: string, trickle: (candidate: IceCandidate | null) => Promise<void>): Promise<void>;
  /** Sends a packet (plain RTP: the test Janus encrypts nothing) to Janus over the connected pair; nothing before connect. */
  send(packet: Buffer): void;
  close(): void;
}

export async function icePeer(): Promise<IcePeer> {
  const credentials = iceCredentials();
  const socket = createSocket('udp4');
  socket.bind(0);
  await once(socket, 'listening');
  const tieBreaker = randomBytes(8);
  let remote: (IceCredentials & { address: string; port: number }) | undefined;
  let checks: NodeJS.Timeout | undefined;
  let succeeded: () => void = () => {};
  const success = new Promise<void>((resolve) => (succeeded = resolve));

  socket.on('message', (packet: Buffer, from) => {
    const message = parseStun(packet);
    if (!message || !remote) return;
    if (message.type === BINDING_REQUEST) {
      const reply = stunMessage(BINDING_SUCCESS, message.transactionId, [attribute(XOR_MAPPED_ADDRESS, xorAddress(from.address, from.port))], credentials.pwd);
      socket.send(reply, from.port, from.address);
    } else if (message.type === BINDING_SUCCESS) {
      succeeded();
    }
  });

  return {
    credentials,
    async connect(answer, trickle) {
      const ice = remoteIce(answer);
      const target = ice.candidates[0];
      if (!target) throw new Error(`no IPv4 host candidate in the answer:\n${answer}`);
      remote = { ...ice, ...target };
      // Our candidate on the address Janus gathered on: both are this machine.
      const port = socket.address().port;
      await trickle({ candidate: `candidate:1 1 udp 2130706431 ${target.address} ${port} typ host`, sdpMid: '0', sdpMLineIndex: 0 });
      await trickle(null);
      const priority = Buffer.alloc(4);
      priority.writeUInt32BE(1_853_824_767);
      const check = () => {
        if (!remote) return;
        const request = stunMessage(
          BINDING_REQUEST,
          randomBytes(12),
          [
            attribute(USERNAME, Buffer.from(`${remote.ufrag}:${credentials.ufrag}`)),
            attribute(PRIORITY, priority),
            attribute(ICE_CONTROLLING, tieBreaker),
            attribute(USE_CANDIDATE, Buffer.alloc(0)),
          ],
          remote.pwd,
        );
        socket.send(request, remote.port, remote.address);
      };
      check();
      checks = setInterval(check, 50);
      await success;
    },
    send(packet) {
      if (remote) socket.send(packet, remote.port, remote.address);
    },
    close() {
      clearInterval(checks);
      remote = undefined;
      socket.close();
    },
  };
}

function attribute(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(value.length, 2);
  return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

/** A STUN message with MESSAGE-INTEGRITY (keyed with `password`) and FINGERPRINT after `attributes`. */
function stunMessage(type: number, transactionId: Buffer, attributes: Buffer[], password: string): Buffer {
  const header = (length: number) => {
    const bytes = Buffer.alloc(20);
    bytes.writeUInt16BE(type, 0);
    bytes.writeUInt16BE(length, 2);
    bytes.writeUInt32BE(MAGIC_COOKIE, 4);
    transactionId.copy(bytes, 8);
    return bytes;
  };
  let body = Buffer.concat(attributes);
  // Each is computed over the message as if it ended with that attribute, its length counting it (RFC 5389 15.4, 15.5).
  const integrity = createHmac('sha1', password)
    .update(Buffer.concat([header(body.length + 24), body]))
    .digest();
  body = Buffer.concat([body, attribute(MESSAGE_INTEGRITY, integrity)]);
  const fingerprint = Buffer.alloc(4);
  fingerprint.writeUInt32BE((crc32(Buffer.concat([header(body.length + 8), body])) ^ FINGERPRINT_XOR) >>> 0);
  body = Buffer.concat([body, attribute(FINGERPRINT, fingerprint)]);
  return Buffer.concat([header(body.length), body]);
}

function parseStun(packet: Buffer): { type: number; transactionId: Buffer } | null {
  if (packet.length < 20 || packet.readUInt32BE(4) !== MAGIC_COOKIE) return null;
  return { type: packet.readUInt16BE(0), transactionId: packet.subarray(8, 20) };
}

function xorAddress(address: string, port: number): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt8(0x01, 1); // IPv4
  value.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  const cookie = Buffer.alloc(4);
  cookie.writeUInt32BE(MAGIC_COOKIE);
  address.split('.').forEach((octet, index) => value.writeUInt8(Number(octet) ^ (cookie[index] ?? 0), 4 + index));
  return value;
}
