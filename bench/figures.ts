import type { StatsSnapshot } from '../engine/src/stats.ts';

/**
 * Pure arithmetic over the counters the run collects: the simulator's per-endpoint stats and
 * the Kubernetes API test server's "verb resource" counts. Kept apart from run.ts so it can be
 * unit-tested without starting anything.
 */

export interface ProviderCalls {
  total: number;
  byEndpoint: Record<string, number>;
  /** Batch items carried, by endpoint: calls / items shows how well actions were coalesced. */
  itemsByEndpoint: Record<string, number>;
  /** Answers outside 2xx by endpoint and HTTP status (throttling, errors; 0 = dropped); empty when none. DRS answers async operations 202. */
  failedByEndpoint: Record<string, Record<string, number>>;
}

/** Requests per endpoint from a simulator stats snapshot. */
export function providerCalls(snapshot: StatsSnapshot): ProviderCalls {
  const byEndpoint: Record<string, number> = {};
  const itemsByEndpoint: Record<string, number> = {};
  const failedByEndpoint: Record<string, Record<string, number>> = {};
  for (const [name, entry] of Object.entries(snapshot.endpoints)) {
    byEndpoint[name] = entry.requests;
    itemsByEndpoint[name] = entry.items;
    const failed = Object.entries(entry.statuses).filter(([status]) => !/^2\d\d$/.test(status));
    if (failed.length > 0) failedByEndpoint[name] = Object.fromEntries(failed);
  }
  return { total: snapshot.total, byEndpoint, itemsByEndpoint, failedByEndpoint };
}

/** Calls (and items) per interval, averaged over `intervals`. */
export function perInterval(calls: ProviderCalls, intervals: number): Omit<ProviderCalls, 'failedByEndpoint'> {
  return {
    total: round(calls.total / intervals, 2),
    byEndpoint: perIntervalCounts(calls.byEndpoint, intervals),
    itemsByEndpoint: perIntervalCounts(calls.itemsByEndpoint, intervals),
  };
}

/** Counter growth between two snapshots (keys that did not grow are left out). */
export function countsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after)) {
    const grown = n - (before[key] ?? 0);
    if (grown > 0) out[key] = grown;
  }
  return sortKeys(out);
}

/** Each counter averaged over `intervals`. */
export function perIntervalCounts(counts: Record<string, number>, intervals: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, round(n / intervals, 2)]));
}

/** The poller's promise: one batch-status call per 100 tracked jobs per interval. */
export function expectedStatusCalls(jobs: number): number {
  return Math.ceil(jobs / 100);
}

export interface KubeRequests {
  /** Requests the operator made, by verb (the server's counts minus the benchmark's own). */
  operator: { total: number; byVerb: Record<string, number> };
  /** The benchmark's own requests (creating the objects, listing jobs to see progress). */
  bench: Record<string, number>;
  /** Everything the server counted, keyed "verb resource[/subresource]". */
  byVerbAndResource: Record<string, number>;
}

/** Splits the server's "verb resource" counts into the operator's share (by verb) and the benchmark's own. */
export function kubeRequests(serverCounts: Record<string, number>, benchOwn: Record<string, number>): KubeRequests {
  const byVerb: Record<string, number> = {};
  for (const [key, n] of Object.entries(serverCounts)) {
    const verb = key.split(' ')[0]!;
    byVerb[verb] = (byVerb[verb] ?? 0) + n;
  }
  for (const [verb, n] of Object.entries(benchOwn)) {
    const left = (byVerb[verb] ?? 0) - n;
    if (left > 0) byVerb[verb] = left;
    else delete byVerb[verb];
  }
  const total = Object.values(byVerb).reduce((a, b) => a + b, 0);
  return { operator: { total, byVerb: sortKeys(byVerb) }, bench: sortKeys(benchOwn), byVerbAndResource: sortKeys(serverCounts) };
}

/** How many jobs are in each phase (no status yet counts as Pending). */
export function phaseCounts(phases: Iterable<string | undefined>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const phase of phases) counts[phase ?? 'Pending'] = (counts[phase ?? 'Pending'] ?? 0) + 1;
  return sortKeys(counts);
}

export const megabytes = (bytes: number) => round(bytes / (1024 * 1024), 1);

export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
