// Fault injection and request accounting for tests: injected error
// responses with real Status bodies, added latency, dropped watch streams,
// forgotten watch history, and per verb/resource request counters.
import {
  ApiError,
  conflict,
  forbidden,
  genericServerResponse,
  internalError,
  notFound,
  OPTIMISTIC_LOCK_MESSAGE,
  qualifiedResource,
  resourceExpired,
  serviceUnavailable,
  tooManyRequests,
} from './status.ts';
import type { DropMode } from './watch.ts';

/** What the router learned about a request, for matching and counting. */
export interface RequestRecord {
  method: string;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (undefined for non-resource paths). */
  verb?: string;
  group?: string;
  /** The plural resource name, e.g. `widgets`. */
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** HTTP status answered (set once the response is written). */
  status?: number;
}

export interface InjectedErrorSpec {
  /** HTTP method to match (GET, PUT, ...); any when omitted. */
  method?: string;
  /** Kubernetes verb to match (e.g. `update`, `watch`); any when omitted. */
  verb?: string;
  /** Tested against the request path including the query string. */
  pathPattern?: RegExp;
  /** HTTP status to answer: 409, 500, 429, 503, 404, 410, 403, 504, ... */
  status: number;
  /** How many matching requests fail; default 1, `Infinity` for all. */
  count?: number;
  /** Overrides the Status message. */
  message?: string;
  /** For 429: the Retry-After seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface InjectedError {
  /** Matching requests still to fail. */
  readonly remaining: number;
  /** Matching requests already failed. */
  readonly hits: number;
  cancel(): void;
}

interface Injection {
  spec: InjectedErrorSpec;
  remaining: number;
  hits: number;
}

export interface FaultTargets {
  dropWatches(mode: DropMode): number;
  compactHistory(): void;
}

/** `widgets.test.example.io` or `secrets`, with `/status` for subresources. */
function resourceKey(r: { group?: string; resource?: string; subresource?: string }): string {
  const base = qualifiedResource({ group: r.group ?? '', resource: r.resource ?? '' });
  return r.subresource ? `${base}/${r.subresource}` : base;
}

export class Faults {
  private readonly targets: FaultTargets;
  private readonly injections: Injection[] = [];
  private latency = 0;
  /** Every request the server received, in order (reset with resetCounts). */
  readonly requests: RequestRecord[] = [];

  constructor(targets: FaultTargets) {
    this.targets = targets;
  }

  /** Fails the next `count` matching requests with a real Status body. */
  injectError(spec: InjectedErrorSpec): InjectedError {
    const injection: Injection = { spec, remaining: spec.count ?? 1, hits: 0 };
    this.injections.push(injection);
    return {
      get remaining() {
        return injection.remaining;
      },
      get hits() {
        return injection.hits;
      },
      cancel: () => {
        injection.remaining = 0;
      },
    };
  }

  /** Removes every pending injected error. */
  clearErrors(): void {
    this.injections.length = 0;
  }

  /** Delay added before every response, in milliseconds. */
  setLatency(ms: number): void {
    this.latency = Math.max(0, ms);
  }

  get latencyMs(): number {
    return this.latency;
  }

  /**
   * Ends every open watch. `reset` (default) destroys the connections the way
   * a crashed apiserver or a dropped load balancer would; `close` ends the
   * streams cleanly like a server-side watch timeout. Returns how many.
   */
  dropWatches(mode: DropMode = 'reset'): number {
    return this.targets.dropWatches(mode);
  }

  /** Forgets watch history: watches from any older resourceVersion now get 410 Expired. */
  compactHistory(): void {
    this.targets.compactHistory();
  }

  /** Request counts keyed `"<verb> <resource>"`, e.g. `"list widgets.test.example.io"`, `"update widgets.test.example.io/status"`. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) {
      if (!r.verb) continue;
      const key = `${r.verb} ${resourceKey(r)}`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }

  /**
   * How many requests matched. `resource` may be the plural (`widgets`),
   * the qualified name (`widgets.test.example.io`) or include the
   * subresource (`widgets/status`).
   */
  count(filter: { verb?: string; resource?: string; namespace?: string; name?: string } = {}): number {
    return this.requests.filter((r) => {
      if (!r.verb) return false;
      if (filter.verb && r.verb !== filter.verb) return false;
      if (filter.namespace && r.namespace !== filter.namespace) return false;
      if (filter.name && r.name !== filter.name) return false;
      if (filter.resource) {
        const full = resourceKey(r);
        const plural = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
        if (filter.resource !== full && filter.resource !== plural) return false;
      }
      return true;
    }).length;
  }

  resetCounts(): void {
    this.requests.length = 0;
  }

  /** Records a request; the router calls this first. */
  record(request: RequestRecord): RequestRecord {
    this.requests.push(request);
    return request;
  }

  /** The injected error for this request, if one matches (and uses it up). */
  takeError(request: RequestRecord, pathWithQuery: string): ApiError | undefined {
    for (const injection of this.injections) {
      if (injection.remaining <= 0) continue;
      const { spec } = injection;
      if (spec.method && spec.method.toUpperCase() !== request.method.toUpperCase()) continue;
      if (spec.verb && spec.verb !== request.verb) continue;
      if (spec.pathPattern && !spec.pathPattern.test(pathWithQuery)) continue;
      injection.remaining--;
      injection.hits++;
      return this.errorFor(spec, request);
    }
    return undefined;
  }

  private errorFor(spec: InjectedErrorSpec, request: RequestRecord): ApiError {
    const gr = { group: request.group ?? '', resource: request.resource ?? '' };
    const name = request.name ?? '';
    switch (spec.status) {
      case 409:
        return request.resource ? conflict(gr, name, spec.message ?? OPTIMISTIC_LOCK_MESSAGE) : genericServerResponse(409, spec.message ?? '');
      case 500:
        return internalError(spec.message ?? 'injected fault');
      case 429:
        return tooManyRequests(spec.message ?? 'Too many requests, please try again later.', spec.retryAfterSeconds ?? 1);
      case 503:
        return serviceUnavailable(spec.message ?? 'the server is currently unable to handle the request');
      case 404:
        return request.resource && name ? notFound(gr, name) : genericServerResponse(404, spec.message ?? '');
      case 403:
        return forbidden(gr, name, spec.message ?? 'injected fault');
      case 410:
        return new ApiError(resourceExpired(spec.message ?? 'too old resource version'));
      default:
        return genericServerResponse(spec.status, spec.message ?? '', request.resource ? gr : undefined, name);
    }
  }
}
