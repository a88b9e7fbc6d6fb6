import { isRelayableSignal } from '../../src/adapters/realtime/signal-payload';

const nested = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => ({ n: inner }), 'leaf');

describe('isRelayableSignal', () => {
  it('accepts SDP and ICE messages as browsers send them, as strings or objects', () => {
    expect(isRelayableSignal({ sdp: { type: 'offer', sdp: 'v=0\r\n' } })).toBe(true);
    expect(isRelayableSignal({ ice: { candidate: 'candidate:1 1 UDP 2122252543 192.0.2.1 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 } })).toBe(true);
    expect(isRelayableSignal(JSON.stringify({ sdp: { type: 'answer' } }))).toBe(true);
  });

  it('accepts nesting up to 32 levels and refuses 33', () => {
    expect(isRelayableSignal(nested(31))).toBe(true);
    expect(isRelayableSignal(nested(32))).toBe(true);
    expect(isRelayableSignal(nested(33))).toBe(false);
    const arrays = Array.from({ length: 40 }).reduce<unknown>((inner) => [inner], 1);
    expect(isRelayableSignal({ list: arrays })).toBe(false);
  });

  it('refuses a message nested 100,000 deep without overflowing the stack', () => {
    expect(() => isRelayableSignal(nested(100_000))).not.toThrow();
    expect(isRelayableSignal(nested(100_000))).toBe(false);
  });

  it('refuses anything over 64 KB as JSON, and values that are not strings or plain objects', () => {
    expect(isRelayableSignal({ sdp: 'x'.repeat(64 * 1024) })).toBe(false);
    expect(isRelayableSignal('é'.repeat(33 * 1024))).toBe(false);
    expect(isRelayableSignal('x'.repeat(64 * 1024))).toBe(true);
    // {"s":"…"} adds 8 bytes: exactly 64 KB passes, one byte more does not.
    expect(isRelayableSignal({ s: 'x'.repeat(64 * 1024 - 8) })).toBe(true);
    expect(isRelayableSignal({ s: 'x'.repeat(64 * 1024 - 7) })).toBe(false);
    expect(isRelayableSignal({ s: 'é'.repeat(32 * 1024 - 4) })).toBe(true);
    expect(isRelayableSignal({ s: 'é'.repeat(32 * 1024 - 3) })).toBe(false);
    for (const value of [42, null, undefined, [1, 2], new Date(), true]) expect(isRelayableSignal(value)).toBe(false);
  });
});
