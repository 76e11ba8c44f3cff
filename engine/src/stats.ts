/**
 * Request counters by endpoint ("batch-status", "list", ...): how many calls, how many batch
 * items they carried, and their HTTP statuses. The benchmark reads these to print provider
 * calls per poll interval.
 */
export interface EndpointStats {
  requests: number;
  items: number;
  statuses: Record<string, number>;
}

export interface StatsSnapshot {
  since: number;
  total: number;
  endpoints: Record<string, EndpointStats>;
}

export class RequestStats {
  private endpoints = new Map<string, EndpointStats>();
  private since: number;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
    this.since = now();
  }

  record(endpoint: string, status: number, items: number): void {
    let entry = this.endpoints.get(endpoint);
    if (!entry) this.endpoints.set(endpoint, (entry = { requests: 0, items: 0, statuses: {} }));
    entry.requests += 1;
    entry.items += items;
    entry.statuses[String(status)] = (entry.statuses[String(status)] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    const endpoints: Record<string, EndpointStats> = {};
    let total = 0;
    for (const [name, entry] of [...this.endpoints].sort(([a], [b]) => a.localeCompare(b))) {
      endpoints[name] = { requests: entry.requests, items: entry.items, statuses: { ...entry.statuses } };
      total += entry.requests;
    }
    return { since: this.since, total, endpoints };
  }

  reset(): StatsSnapshot {
    const before = this.snapshot();
    this.endpoints = new Map();
    this.since = this.now();
    return before;
  }
}
