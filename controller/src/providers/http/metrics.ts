import type { ProviderErrorKind } from './errors.ts';

/** How one HTTP call ended, as counted by the operator's provider-request metrics. */
export type RequestOutcome = 'success' | 'error' | 'throttled' | 'timeout' | 'busy';

export interface RequestMetric {
  provider: string;
  /** Logical operation, e.g. "batch-status"; bounded cardinality (never IDs). */
  operation: string;
  outcome: RequestOutcome;
  seconds: number;
}

/** Called once per HTTP attempt (retries count separately). The lead wires it to prom-client. */
export type OnRequest = (metric: RequestMetric) => void;

export function outcomeForKind(kind: ProviderErrorKind): RequestOutcome {
  switch (kind) {
    case 'throttled':
      return 'throttled';
    case 'busy':
      return 'busy';
    case 'timeout':
      return 'timeout';
    default:
      return 'error';
  }
}

/** Default outcome of a response by its status alone; providers that signal busy in a body override it. */
export function outcomeForStatus(status: number): RequestOutcome {
  if (status >= 200 && status < 300) return 'success';
  if (status === 429) return 'throttled';
  if (status === 408) return 'timeout';
  return 'error';
}
