import { randomBytes, randomInt } from 'node:crypto';
import { rtpParameters } from './sdp';

/*
 * A publisher's audio as Janus's talk detection sees it: RTP packets of the offer's Opus payload type and SSRC, every
 * 20 ms (50 a second, as browsers send Opus), each carrying the RFC 6464 ssrc-audio-level in a one-byte header
 * extension (RFC 8285) under the id Janus's answer kept. The payload is a few bytes that nobody decodes.
 */

const PACKET_MS = 20;
const SAMPLES_PER_PACKET = 960;

/** A level (0 loudest … 127 silence, in -dBov) in the range RFC 6464 allows. */
export const LOUD = 10;
export const SILENT = 127;

export interface AudioSender {
  /** From now on every packet carries this level (voice activity set below SILENT). */
  level(level: number): void;
  stop(): void;
}

/** Starts sending audio at `level` through `send`, for the offer Janus answered with `answer`. */
export function sendAudio(offer: string, answer: string, send: (packet: Buffer) => void, level: number): AudioSender {
  const { payloadType, ssrc } = rtpParameters(offer, 'audio');
  const { audioLevelId } = rtpParameters(answer, 'audio');
  if (ssrc === undefined) throw new Error(`no audio SSRC in the offer:\n${offer}`);
  if (audioLevelId === undefined) throw new Error(`the answer does not take the audio level extension:\n${answer}`);
  let sequence = randomInt(0, 0x10000);
  let timestamp = randomInt(0, 2 ** 32);
  let current = level;
  const packet = () => {
    const header = Buffer.alloc(12);
    header.writeUInt8(0x90, 0); // version 2, a header extension
    header.writeUInt8(payloadType, 1);
    header.writeUInt16BE(sequence, 2);
    header.writeUInt32BE(timestamp, 4);
    header.writeUInt32BE(ssrc, 8);
    const extension = Buffer.alloc(8);
    extension.writeUInt16BE(0xbede, 0); // one-byte elements
    extension.writeUInt16BE(1, 2); // one 32-bit word of them
    extension.writeUInt8((audioLevelId << 4) | 0, 4); // one byte of data
    extension.writeUInt8((current < SILENT ? 0x80 : 0) | current, 5);
    sequence = (sequence + 1) & 0xffff;
    timestamp = (timestamp + SAMPLES_PER_PACKET) >>> 0;
    return Buffer.concat([header, extension, Buffer.from([0xfc]), randomBytes(3)]);
  };
  send(packet());
  const timer = setInterval(() => send(packet()), PACKET_MS);
  return {
    level: (next) => void (current = next),
    stop: () => clearInterval(timer),
  };
}
