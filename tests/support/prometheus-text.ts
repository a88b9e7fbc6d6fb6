/** The samples of a Prometheus text exposition, read line by line (enough for the label values this server uses). */
export class Exposition {
  private readonly samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];

  constructor(readonly text: string) {
    for (const line of text.split('\n')) {
      const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      if (!match?.[1] || match[3] === undefined) continue;
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      this.samples.push({ name: match[1], labels, value: Number(match[3]) });
    }
  }

  /** The value of the sample with exactly these labels, or undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const wanted = Object.entries(labels);
    return this.samples.find(
      (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([key, value]) => s.labels[key] === value),
    )?.value;
  }

  /** How much a counter grew since `before` (a series not yet there counts as 0). */
  grewBy(before: Exposition, name: string, labels: Record<string, string> = {}): number {
    return (this.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
  }

  /** Whether any sample of this metric exists, whatever its labels. */
  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }
}
