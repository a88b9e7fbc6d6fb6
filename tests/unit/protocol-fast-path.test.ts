import { clientEvents } from '../../src/adapters/realtime/protocol';

const nested = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => ({ n: inner }), 'leaf');

describe('the signal fast path', () => {
  const { args, accepts } = clientEvents.signal;
  const samples: unknown[][] = [
    ['peer-1', { ice: { candidate: 'candidate:1 1 UDP 2122252543 192.0.2.1 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 } }],
    ['peer-1', { sdp: { type: 'offer', sdp: 'v=0\r\n' } }],
    ['peer-1', '{"sdp":{"type":"answer"}}'],
    ['x'.repeat(128), 'ping'],
    ['x'.repeat(129), 'ping'],
    ['', 'ping'],
    [42, 'ping'],
    [null, 'ping'],
    ['peer-1'],
    ['peer-1', 'ping', 'extra'],
    ['peer-1', 42],
    ['peer-1', null],
    ['peer-1', [1, 2]],
    ['peer-1', { big: 'x'.repeat(64 * 1024) }],
    ['peer-1', nested(32)],
    ['peer-1', nested(33)],
    ['peer-1', new Date()],
    [],
  ];

  it('accepts only what the schema accepts, unchanged', () => {
    for (const raw of samples) {
      if (!accepts(raw)) continue;
      const parsed = args.safeParse(raw);
      expect([raw, parsed.success]).toEqual([raw, true]);
      expect(parsed.data).toEqual(raw);
    }
  });

  it('takes the common messages, so the schema runs only to describe a problem', () => {
    expect(samples.slice(0, 4).map((raw) => accepts(raw))).toEqual([true, true, true, true]);
    expect(samples.slice(4).filter((raw) => accepts(raw))).toEqual([['peer-1', nested(32)]]);
  });
});
