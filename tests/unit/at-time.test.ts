import { atTime } from '../../src/adapters/realtime/at-time';

describe('atTime', () => {
  afterEach(() => jest.useRealTimers());

  it('runs the task at a time further away than setTimeout can wait (a 365-day session)', () => {
    jest.useFakeTimers({ now: 0 });
    const ran: number[] = [];
    atTime(new Date(365 * 86_400_000), () => ran.push(Date.now()));
    jest.advanceTimersByTime(364 * 86_400_000);
    expect(ran).toEqual([]);
    jest.advanceTimersByTime(86_400_000);
    expect(ran).toEqual([365 * 86_400_000]);
  });

  it('runs at once for a time already past, and never after cancel', () => {
    jest.useFakeTimers({ now: 1000 });
    const ran: string[] = [];
    atTime(new Date(500), () => ran.push('past'));
    const cancel = atTime(new Date(2000), () => ran.push('cancelled'));
    cancel();
    jest.advanceTimersByTime(5000);
    expect(ran).toEqual(['past']);
  });
});
