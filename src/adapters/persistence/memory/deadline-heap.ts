/** A binary min-heap of items by deadline: push and pop in O(log n), the earliest on top. */
export class DeadlineHeap<T> {
  private readonly items: Array<{ at: number; item: T }> = [];

  get size(): number {
    return this.items.length;
  }

  push(at: number, item: T): void {
    this.items.push({ at, item });
    this.up(this.items.length - 1);
  }

  /** The earliest item due at or before `now`, taken off the heap; undefined when none is due. */
  popDue(now: number): { at: number; item: T } | undefined {
    const top = this.items[0];
    if (!top || top.at > now) return undefined;
    const last = this.items.pop();
    if (last && this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Keeps only the items `keep` accepts, in O(n). */
  retain(keep: (at: number, item: T) => boolean): void {
    const kept = this.items.filter(({ at, item }) => keep(at, item));
    this.items.splice(0, this.items.length, ...kept);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i -= 1) this.down(i);
  }

  private up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at(parent) <= this.at(i)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < this.items.length && this.at(left) < this.at(least)) least = left;
      if (right < this.items.length && this.at(right) < this.at(least)) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private at(index: number): number {
    const entry = this.items[index];
    if (!entry) throw new RangeError(`DeadlineHeap: no item at ${index}`);
    return entry.at;
  }

  private swap(a: number, b: number): void {
    const first = this.items[a];
    const second = this.items[b];
    if (!first || !second) throw new RangeError(`DeadlineHeap: no item at ${a} or ${b}`);
    this.items[a] = second;
    this.items[b] = first;
  }
}
