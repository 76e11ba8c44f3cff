import type { Clock } from './clock.ts';

/**
 * Fault injection for DRS calls, so clients can be tested against the failures a cloud API
 * has: server errors, latency, throttling, "busy" tasks and lost responses. Rates are
 * probabilities (0..1) drawn from an injectable random source; `endpoints` limits the faults to
 * some operations (names like "batch-status", "list-jobs").
 */
export interface FaultSettings {
  /** Answer HTTP `errorStatus` (default 500) before doing anything. */
  errorRate: number;
  errorStatus: number;
  /** Added to every DRS call, in ms. */
  latencyMs: number;
  /** Per item of a mutating batch call: refuse it with DRS.M01504 (busy, HTTP 202 per item). */
  busyRate: number;
  /** Per mutating call: answer the whole call HTTP 202 `{error_code: "DRS.M01504", error_msg}`. */
  busyCallRate: number;
  /** Answer HTTP 429 (API gateway throttling, Retry-After: 1). */
  tooManyRequestsRate: number;
  /** Token bucket per second across all DRS calls; beyond it HTTP 429. 0 = unlimited. */
  rateLimitPerSecond: number;
  /** Do the work, then drop the connection without answering (the client cannot know it happened). */
  dropResponseRate: number;
  /** Only these endpoints get faults (default: all). */
  endpoints?: string[] | undefined;
}

export const NO_FAULTS: FaultSettings = {
  errorRate: 0,
  errorStatus: 500,
  latencyMs: 0,
  busyRate: 0,
  busyCallRate: 0,
  tooManyRequestsRate: 0,
  rateLimitPerSecond: 0,
  dropResponseRate: 0,
};

export type CallFault =
  | { kind: 'none' }
  | { kind: 'error'; status: number }
  | { kind: 'throttled' }
  | { kind: 'busy-call' };

export class FaultInjector {
  private settings: FaultSettings;
  private readonly random: () => number;
  private readonly clock: Clock;
  private tokens = 0;
  private refilledAt = 0;

  constructor(options: { settings?: Partial<FaultSettings>; random?: () => number; clock: Clock }) {
    this.settings = { ...NO_FAULTS, ...options.settings };
    this.random = options.random ?? Math.random;
    this.clock = options.clock;
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Merges new settings (unset fields keep their value). */
  update(settings: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...settings };
    return this.current;
  }

  reset(): FaultSettings {
    this.settings = { ...NO_FAULTS };
    return this.current;
  }

  latencyFor(endpoint: string): number {
    return this.applies(endpoint) ? this.settings.latencyMs : 0;
  }

  /** What happens to a call before it is processed. */
  beforeCall(endpoint: string, mutating: boolean): CallFault {
    if (!this.applies(endpoint)) return { kind: 'none' };
    if (!this.takeToken()) return { kind: 'throttled' };
    if (this.hit(this.settings.tooManyRequestsRate)) return { kind: 'throttled' };
    if (this.hit(this.settings.errorRate)) return { kind: 'error', status: this.settings.errorStatus };
    if (mutating && this.hit(this.settings.busyCallRate)) return { kind: 'busy-call' };
    return { kind: 'none' };
  }

  itemBusy(endpoint: string): boolean {
    return this.applies(endpoint) && this.hit(this.settings.busyRate);
  }

  dropResponse(endpoint: string): boolean {
    return this.applies(endpoint) && this.hit(this.settings.dropResponseRate);
  }

  private applies(endpoint: string): boolean {
    return !this.settings.endpoints || this.settings.endpoints.includes(endpoint);
  }

  private hit(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }

  private takeToken(): boolean {
    const limit = this.settings.rateLimitPerSecond;
    if (!limit || limit <= 0) return true;
    const now = this.clock.now();
    this.tokens = Math.min(limit, this.tokens + ((now - this.refilledAt) / 1000) * limit);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
