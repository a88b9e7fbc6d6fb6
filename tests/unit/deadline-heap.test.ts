import { DeadlineHeap } from '../../src/adapters/persistence/memory/deadline-heap';

const drain = (heap: DeadlineHeap<string>, now: number): Array<[number, string]> => {
  const out: Array<[number, string]> = [];
  for (let due = heap.popDue(now); due; due = heap.popDue(now)) out.push([due.at, due.item]);
  return out;
};

describe('DeadlineHeap', () => {
  it('pops only what is due, earliest first, whatever the order of pushes', () => {
    const heap = new DeadlineHeap<string>();
    const deadlines = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1000);
    deadlines.forEach((at, i) => heap.push(at, `item-${i}`));
    const due = drain(heap, 499);
    expect(due.map(([at]) => at)).toEqual(deadlines.filter((at) => at <= 499).sort((a, b) => a - b));
    expect(heap.size).toBe(deadlines.filter((at) => at > 499).length);
    expect(drain(heap, 499)).toEqual([]);
    expect(drain(heap, 999).map(([at]) => at)).toEqual(deadlines.filter((at) => at > 499).sort((a, b) => a - b));
  });

  it('keeps what retain accepts, still in deadline order', () => {
    const heap = new DeadlineHeap<string>();
    for (let i = 0; i < 100; i += 1) heap.push((i * 37) % 100, `item-${i}`);
    heap.retain((at) => at % 3 === 0);
    heap.push(1, 'late');
    expect(drain(heap, 100).map(([at]) => at)).toEqual([1, ...Array.from({ length: 34 }, (_, i) => i * 3)].sort((a, b) => a - b));
  });
});
