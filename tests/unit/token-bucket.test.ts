import { TokenBucket } from '../../src/adapters/realtime/socket-rate-limits';

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
