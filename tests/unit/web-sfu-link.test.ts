import type { AckResponse, ClientEvent, ClientParams } from '../../src/adapters/realtime/protocol';
import { AckFailure } from '../../src/web/ack-failure';
import { sfuLink, worthSending } from '../../src/web/sfu-link';

type Script = { [E in ClientEvent]?: Array<AckResponse<E>> };

/**
 * A fake of CallSession.ask: answers each event from its own queue in the script and records what was asked; an
 * event with nothing left to answer rejects, as a request the server never answered.
 */
function scripted(script: Script) {
  const asked: Array<[ClientEvent, unknown[]]> = [];
  const ask = <E extends ClientEvent>(event: E, ...args: ClientParams<E>): Promise<AckResponse<E>> => {
    asked.push([event, args]);
    const queue: Script[E] = script[event];
    const answer = queue?.shift();
    return answer ? Promise.resolve(answer) : Promise.reject(new Error(`no answer for ${event}`));
  };
  return { ask, asked };
}

const limited = { ok: false, error: { code: 'RATE_LIMITED', message: 'Too many events; slow down' } } as const;

describe('sfuLink', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('publishes with restart only when asked, and answers the SFU answer', async () => {
    const { ask, asked } = scripted({
      'sfu-publish': [
        { ok: true, sdp: 'answer-1' },
        { ok: true, sdp: 'answer-2' },
      ],
    });
    const link = sfuLink(ask);
    expect(await link.publish('offer-1', false)).toBe('answer-1');
    expect(await link.publish('offer-2', true)).toBe('answer-2');
    expect(asked).toEqual([
      ['sfu-publish', [{ sdp: 'offer-1' }]],
      ['sfu-publish', [{ sdp: 'offer-2', restart: true }]],
    ]);
  });

  it('sends a request again while the server says RATE_LIMITED, then answers', async () => {
    const { ask, asked } = scripted({ 'sfu-publish': [limited, limited, { ok: true, sdp: 'answer' }] });
    const answer = sfuLink(ask).publish('offer', false);
    await jest.runAllTimersAsync();
    expect(await answer).toBe('answer');
    expect(asked).toHaveLength(3);
  });

  it('rejects with the error in words on any other refusal, without asking again', async () => {
    const { ask, asked } = scripted({ 'sfu-subscribe': [{ ok: false, error: { code: 'NOT_FOUND', message: 'This call is peer to peer' } }] });
    await expect(sfuLink(ask).subscribe()).rejects.toEqual(new AckFailure({ code: 'NOT_FOUND', message: 'This call is peer to peer' }));
    expect(asked).toHaveLength(1);
  });

  it('gives the offer as SDP text, or null while nobody publishes', async () => {
    const streams = [{ mid: '0', participantId: 'ann', kind: 'audio' as const }];
    const { ask } = scripted({
      'sfu-subscribe': [
        { ok: true, offer: { sdp: 'offer' }, streams },
        { ok: true, offer: null, streams: [] },
      ],
    });
    const link = sfuLink(ask);
    expect(await link.subscribe()).toEqual({ offer: 'offer', streams });
    expect(await link.subscribe()).toEqual({ offer: null, streams: [] });
  });

  it('sends candidates in the protocol shape, and null for the end of them', async () => {
    // Unanswered here: what matters is what was sent.
    const { ask, asked } = scripted({});
    const link = sfuLink(ask);
    await expect(link.candidate('subscriber', { candidate: 'candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 })).rejects.toThrow();
    await expect(link.candidate('publisher', null)).rejects.toThrow();
    expect(asked).toEqual([
      ['sfu-candidate', ['subscriber', { candidate: 'candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 }]],
      ['sfu-candidate', ['publisher', null]],
    ]);
  });
});

describe('worthSending: which local candidates go to the SFU', () => {
  it.each<[string, string | null, boolean]>([
    ['a UDP host candidate', 'candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host generation 0', true],
    ['a TCP candidate (Janus takes UDP only)', 'candidate:2 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active generation 0', false],
    ['the end of candidates', null, true],
  ])('%s', (_what, candidate, worth) => {
    expect(worthSending(candidate === null ? null : { candidate })).toBe(worth);
  });
});
