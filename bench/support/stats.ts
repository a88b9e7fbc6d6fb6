import { median } from './server-process';

/** Percentiles of a latency sample, in ms. */
export interface Summary {
  p50: number;
  p99: number;
  n: number;
}

export function round(value: number, digits = 3): number {
  return Number(value.toFixed(digits));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function summary(samples: number[], digits = 3): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), digits), p99: round(percentile(sorted, 99), digits), n: sorted.length };
}

/** Sub-millisecond percentiles swing with a stray GC pause: the median of each percentile over several rounds. */
export function medianOfRounds(rounds: Summary[]): Summary {
  return {
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    n: rounds.reduce((total, r) => total + r.n, 0),
  };
}

/** Least-squares line through (x, y) points: y ≈ intercept + slope·x (NaN for fewer than two distinct x). */
export function linearFit(points: Array<{ x: number; y: number }>): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  const slope = sxx > 0 ? points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0) / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}

/** The median, the two middle values averaged for an even count (server-process's `median` takes the upper one). */
export function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
