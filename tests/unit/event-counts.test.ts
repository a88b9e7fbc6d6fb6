import { EventCounts } from '../../src/adapters/metrics/event-counts';

describe('EventCounts', () => {
  it('counts each event and result pair apart and lists every pair seen', () => {
    const counts = new EventCounts();
    counts.add('signal', 'ok');
    counts.add('signal', 'ok');
    counts.add('signal', 'NOT_IN_CALL');
    counts.add('join-call', 'ok');

    expect(counts.count('signal', 'ok')).toBe(2);
    expect(counts.count('signal', 'NOT_IN_CALL')).toBe(1);
    expect(counts.count('join-call', 'ROOM_FULL')).toBe(0);
    expect(counts.count('chat-message', 'ok')).toBe(0);
    expect([...counts.entries()]).toEqual([
      { event: 'signal', result: 'ok', count: 2 },
      { event: 'signal', result: 'NOT_IN_CALL', count: 1 },
      { event: 'join-call', result: 'ok', count: 1 },
    ]);
  });
});
