/** Pure arithmetic for the PostgreSQL benchmark's figures. */

export interface Distribution {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles (p50 of [1, 2, 3, 4] is 2); all 0 without samples. */
export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { samples: 0, p50: 0, p95: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  return { samples: sorted.length, p50: Math.round(rank(0.5)), p95: Math.round(rank(0.95)), max: Math.round(sorted[sorted.length - 1]!) };
}

export interface Throughput {
  seconds: number;
  rowsPerSecond: number;
  /** Megabytes (10^6 bytes) of source table size per second. */
  MBps: number;
}

export function throughput(rows: number, bytes: number, seconds: number): Throughput {
  return { seconds: round(seconds, 2), rowsPerSecond: Math.round(rows / seconds), MBps: round(bytes / 1e6 / seconds, 1) };
}

export function round(n: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(n * scale) / scale;
}
