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
