import type { StatsSnapshot } from '../engine/src/stats.ts';

/**
 * Pure arithmetic over the counters the run collects: the simulators' per-endpoint (or
 * per-action) counts and the Kubernetes API test server's "verb resource" counts. Kept apart
 * from run.ts so it can be unit-tested without starting anything.
 */

export interface ProviderCalls {
  total: number;
  /** Requests by DRS endpoint, or by Tencent API action. */
  byEndpoint: Record<string, number>;
  /** Batch items carried, by endpoint: calls / items shows how well actions were coalesced. DRS only (the Tencent simulator does not count them). */
  itemsByEndpoint?: Record<string, number>;
  /**
   * Failed answers by endpoint: DRS by HTTP status outside 2xx (throttling, errors; 0 = dropped;
   * DRS answers async operations 202), Tencent (always HTTP 200) as RequestLimitExceeded and
   * error. Empty when none.
   */
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

/**
 * Calls by action from the Tencent API 3.0 simulator's counters, which answers every call HTTP
 * 200 (errors in the body): `answered` is every answer, `passedLimit` those the signature check
 * and the action's rate limit let through, `succeeded` those the action answered without an
 * error. answered − passedLimit are RequestLimitExceeded (or a refused signature, which a
 * working run has none of); passedLimit − succeeded are the action's own refusals ("error").
 */
export function api3Calls(answered: ReadonlyMap<string, number>, passedLimit: ReadonlyMap<string, number>, succeeded: ReadonlyMap<string, number>): ProviderCalls {
  const byEndpoint = sortKeys(Object.fromEntries(answered));
  const failedByEndpoint: Record<string, Record<string, number>> = {};
  for (const [action, n] of Object.entries(byEndpoint)) {
    const passed = passedLimit.get(action) ?? 0;
    // A call in flight when the counters were reset may count on one side only: never below 0.
    const failed = { RequestLimitExceeded: Math.max(0, n - passed), error: Math.max(0, passed - (succeeded.get(action) ?? 0)) };
    const nonZero = Object.entries(failed).filter(([, count]) => count > 0);
    if (nonZero.length > 0) failedByEndpoint[action] = Object.fromEntries(nonZero);
  }
  return { total: Object.values(byEndpoint).reduce((a, b) => a + b, 0), byEndpoint, failedByEndpoint };
}

/** Calls (and items, where counted) per interval, averaged over `intervals`. */
export function perInterval(calls: ProviderCalls, intervals: number): Omit<ProviderCalls, 'failedByEndpoint'> {
  return {
    total: round(calls.total / intervals, 2),
    byEndpoint: perIntervalCounts(calls.byEndpoint, intervals),
    ...(calls.itemsByEndpoint ? { itemsByEndpoint: perIntervalCounts(calls.itemsByEndpoint, intervals) } : {}),
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

/** Each counter averaged over `intervals` (poll rounds, or jobs for calls per job). */
export function perIntervalCounts(counts: Record<string, number>, intervals: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, round(n / intervals, 2)]));
}

/** The poller's promise: one batch status read (DRS batch-status, Tencent DescribeSyncJobs) per 100 tracked jobs per interval. */
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
