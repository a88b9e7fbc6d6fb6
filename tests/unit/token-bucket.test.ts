import { SocketRateLimits, TokenBucket } from '../../src/adapters/realtime/socket-rate-limits';
import type { ClientEvent } from '../../src/adapters/realtime/protocol';

describe('TokenBucket', () => {
  it('lets a burst of twice the rate through, then the rate itself', () => {
    let now = 0;
    const bucket = new TokenBucket(5, () => now);
    const burst = Array.from({ length: 12 }, () => bucket.take());
    expect(burst.filter(Boolean)).toHaveLength(10);
    now += 1000;
    expect(Array.from({ length: 8 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });

  it('never holds more than the burst, however long it is idle', () => {
    let now = 0;
    const bucket = new TokenBucket(100, () => now);
    now += 60_000;
    expect(Array.from({ length: 300 }, () => bucket.take()).filter(Boolean)).toHaveLength(200);
  });

  it('refills fractionally', () => {
    let now = 0;
    const bucket = new TokenBucket(5, () => now);
    while (bucket.take());
    now += 199;
    expect(bucket.take()).toBe(false);
    now += 1;
    expect(bucket.take()).toBe(true);
  });
});

describe('SocketRateLimits', () => {
  const spend = (limits: SocketRateLimits, event: ClientEvent, times: number) => Array.from({ length: times }, () => limits.allow(event)).filter(Boolean).length;

  it.each<ClientEvent>(['signal', 'sfu-publish', 'sfu-subscribe', 'sfu-answer', 'sfu-candidate', 'sfu-layer'])('counts %s against the signaling budget', (event) => {
    const limits = new SocketRateLimits({ chatPerSecond: 1, signalPerSecond: 50 });
    expect(spend(limits, event, 120)).toBe(100);
    expect(limits.allow('chat-message')).toBe(true);
  });

  it.each<ClientEvent>(['chat-message', 'media-state', 'join-call', 'mute'])('counts %s against the chat budget', (event) => {
    const limits = new SocketRateLimits({ chatPerSecond: 1, signalPerSecond: 50 });
    expect(spend(limits, event, 5)).toBe(2);
    expect(limits.allow('signal')).toBe(true);
  });
});
