import { systemClock, type Clock } from '../clock.ts';

/**
 * Decides how long a failed key waits before it is retried (client-go's
 * workqueue.RateLimiter). `when` records a failure and returns the delay.
 */
export interface RateLimiter<K> {
  /** Records one more failure of `key` and returns how many ms to wait before retrying it. */
  when(key: K): number;
  /** Clears the failure history of `key`, typically after a successful reconcile. */
  forget(key: K): void;
  /** How many failures have been recorded for `key` since it was last forgotten. */
  numRequeues(key: K): number;
}

export interface ExponentialJitterOptions {
  /**
   * Fraction in [0, 1]. The delay is drawn from [backoff * (1 - jitter), backoff],
   * so jitter never pushes a delay above maxMs and keys that failed together
   * (e.g. a provider outage) do not all retry in the same instant.
   */
  jitter?: number;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
}

/** Per-key exponential backoff: baseMs * 2^failures, capped at maxMs. */
export class ItemExponentialRateLimiter<K> implements RateLimiter<K> {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly #jitter: number;
  readonly #random: () => number;
  readonly #failures = new Map<K, number>();

  constructor(baseMs = 1000, maxMs = 300_000, options: ExponentialJitterOptions = {}) {
    if (!(baseMs > 0) || !Number.isFinite(baseMs)) {
      throw new RangeError(`exponential rate limiter: baseMs must be a positive number of milliseconds, got ${baseMs}`);
    }
    if (!(maxMs >= baseMs) || !Number.isFinite(maxMs)) {
      throw new RangeError(`exponential rate limiter: maxMs (${maxMs}) must be a finite number >= baseMs (${baseMs})`);
    }
    const jitter = options.jitter ?? 0;
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new RangeError(`exponential rate limiter: jitter must be a fraction between 0 and 1, got ${jitter}`);
    }
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.#jitter = jitter;
    this.#random = options.random ?? Math.random;
  }

  when(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2 ** failures overflows to Infinity after ~1024 failures; Math.min still caps it.
    const backoff = Math.min(this.baseMs * 2 ** failures, this.maxMs);
    if (this.#jitter === 0) return backoff;
    return Math.round(backoff * (1 - this.#jitter * this.#random()));
  }

  forget(key: K): void {
    this.#failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * A global token bucket shared by all keys: protects the API server and the cloud
 * providers from a burst of retries. Each call reserves a token, so consecutive
 * calls get increasing delays once the burst is spent.
 */
export class TokenBucketRateLimiter<K = unknown> implements RateLimiter<K> {
  readonly qps: number;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastRefill: number;

  constructor(qps: number, burst: number, clock: Clock = systemClock) {
    if (!(qps > 0) || !Number.isFinite(qps)) {
      throw new RangeError(`token bucket rate limiter: qps must be a positive number, got ${qps}`);
    }
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(`token bucket rate limiter: burst must be an integer >= 1, got ${burst}`);
    }
    this.qps = qps;
    this.burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#lastRefill = clock.now();
  }

  when(_key: K): number {
    this.#refill();
    // Tokens may go negative: that is the backlog of reservations already handed out.
    this.#tokens -= 1;
    if (this.#tokens >= 0) return 0;
    return (-this.#tokens / this.qps) * 1000;
  }

  forget(_key: K): void {}

  numRequeues(_key: K): number {
    return 0;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsedMs = Math.max(0, now - this.#lastRefill);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsedMs * this.qps) / 1000);
    this.#lastRefill = now;
  }
}

/** Combines limiters by taking the longest delay (client-go's MaxOfRateLimiter). */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  readonly #limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    if (limiters.length === 0) {
      throw new RangeError('max-of rate limiter: pass at least one rate limiter');
    }
    this.#limiters = limiters;
  }

  when(key: K): number {
    // Every limiter must see the failure, so no short-circuiting here.
    let delay = 0;
    for (const limiter of this.#limiters) delay = Math.max(delay, limiter.when(key));
    return delay;
  }

  forget(key: K): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  numRequeues(key: K): number {
    let requeues = 0;
    for (const limiter of this.#limiters) requeues = Math.max(requeues, limiter.numRequeues(key));
    return requeues;
  }
}

export interface ControllerRateLimiterOptions {
  baseMs?: number;
  maxMs?: number;
  qps?: number;
  burst?: number;
  jitter?: number;
  random?: () => number;
  clock?: Clock;
}

/**
 * The shape of client-go's DefaultControllerRateLimiter: per-key exponential
 * backoff combined with a global token bucket. Defaults match the operator's
 * --backoff-base, --backoff-max, --global-qps and --global-burst defaults.
 */
export function createControllerRateLimiter<K>(options: ControllerRateLimiterOptions = {}): RateLimiter<K> {
  const jitterOptions: ExponentialJitterOptions = { jitter: options.jitter ?? 0 };
  if (options.random) jitterOptions.random = options.random;
  return new MaxOfRateLimiter<K>(
    new ItemExponentialRateLimiter<K>(options.baseMs ?? 1000, options.maxMs ?? 300_000, jitterOptions),
    new TokenBucketRateLimiter<K>(options.qps ?? 10, options.burst ?? 100, options.clock ?? systemClock),
  );
}
