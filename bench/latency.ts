/** Latency samples of a bench, summarised the same way by every bench that reports them. */
export interface Latencies {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The `p`-th percentile (0–100) of values already sorted ascending; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function latencies(samples: readonly number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 };
}

/** "p50 1.2 ms, p95 3.4 ms, max 5.6 ms (n=200)", with the percentiles asked for. */
export function formatLatencies(s: Latencies, shown: readonly ('p50' | 'p95' | 'p99')[] = ['p50', 'p95'], digits = 1): string {
  return `${shown.map((k) => `${k} ${s[k].toFixed(digits)} ms`).join(', ')}, max ${s.max.toFixed(1)} ms (n=${s.n})`;
}
