import type { AckResponse, ClientEvent, ClientParams } from '../adapters/realtime/protocol';
import { AckFailure } from './ack-failure';
import type { VideoLayer } from './sfu-layers';
import type { SubscribedStream } from './sfu-streams';

/** An ICE candidate as RTCIceCandidate.toJSON() gives it (declared here: the unit tests run without the DOM's types). */
export interface CandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** Which of the page's two SFU connections a candidate belongs to. */
export type SfuConnection = ClientParams<'sfu-candidate'>[0];

/** The SFU's events, as the page's SFU code uses them: each answers, or rejects with an AckFailure in words. */
export interface SfuLink {
  /** The SFU's answer to this offer of what the page sends. */
  publish(sdp: string, restart: boolean): Promise<string>;
  /** An offer of everyone else publishing now (null while nobody does), with whose stream each media id is. */
  subscribe(): Promise<{ offer: string | null; streams: SubscribedStream[] }>;
  answer(sdp: string): Promise<void>;
  candidate(connection: SfuConnection, candidate: CandidateInit | null): Promise<void>;
  layer(participantId: string, layer: VideoLayer): Promise<void>;
}

type Ask = <E extends ClientEvent>(event: E, ...args: ClientParams<E>) => Promise<AckResponse<E>>;

function answered<E extends ClientEvent>(ack: AckResponse<E>): Extract<AckResponse<E>, { ok: true }> {
  if (!ack.ok) throw new AckFailure(ack.error);
  return ack;
}

/** How long a request the server found too frequent waits before it goes again, and how often. */
const RATE_LIMIT_WAIT_MS = 500;
const RATE_LIMIT_TRIES = 6;

/**
 * The request, sent again while the server answers RATE_LIMITED: a request it refused for that was not handled, so
 * sending it again is safe. A call's SFU setup is a burst of events (publish, subscribe, answer, candidates, layers).
 */
async function paced<E extends ClientEvent>(send: () => Promise<AckResponse<E>>): Promise<AckResponse<E>> {
  for (let attempt = 1; ; attempt += 1) {
    const ack = await send();
    if (ack.ok || ack.error.code !== 'RATE_LIMITED' || attempt >= RATE_LIMIT_TRIES) return ack;
    await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_WAIT_MS * attempt));
  }
}

/** The SFU's events over the call's acked requests (CallSession.ask). */
export function sfuLink(ask: Ask): SfuLink {
  return {
    publish: async (sdp, restart) => answered(await paced(() => ask('sfu-publish', restart ? { sdp, restart } : { sdp }))).sdp,
    subscribe: async () => {
      const { offer, streams } = answered(await paced(() => ask('sfu-subscribe')));
      return { offer: offer?.sdp ?? null, streams };
    },
    answer: async (sdp) => void answered(await paced(() => ask('sfu-answer', { sdp }))),
    candidate: async (connection, candidate) => {
      const given = candidate && { candidate: candidate.candidate ?? '', sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null };
      answered(await ask('sfu-candidate', connection, given));
    },
    layer: async (participantId, layer) => void answered(await paced(() => ask('sfu-layer', participantId, layer))),
  };
}

/**
 * Whether a local candidate is worth sending to the SFU: Janus takes UDP only (no ICE-TCP unless configured), so
 * TCP candidates would only spend the socket's event budget.
 */
export function worthSending(candidate: CandidateInit | null): boolean {
  return candidate === null || !/ tcp /i.test(candidate.candidate ?? '');
}
