import { systemClock, type Clock, type TimerHandle } from '../../clock.ts';

export interface TokenBucketOptions {
  /** Sustained rate: tokens added per second. */
  ratePerSecond: number;
  /** Bucket size: how many calls may go at once after a quiet period. Default: ceil(ratePerSecond). */
  burst?: number;
  clock?: Clock;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * Client-side rate limit of one provider account: callers await acquire() before each request.
 * Waiters are served strictly in arrival order (a caller that arrives while others wait queues
 * behind them even if a token happens to be free), so a burst of polls cannot starve an action.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #lastRefill: number;
  readonly #queue: Waiter[] = [];
  #timer: TimerHandle | undefined;

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond } = options;
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new RangeError(`token bucket: ratePerSecond must be a positive number, got ${ratePerSecond}`);
    }
    const burst = options.burst ?? Math.max(1, Math.ceil(ratePerSecond));
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(`token bucket: burst must be an integer >= 1, got ${burst}`);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.#clock = options.clock ?? systemClock;
    this.#tokens = burst;
    this.#lastRefill = this.#clock.now();
  }

  /** Resolves when the caller may send one request. Rejects with the signal's reason if aborted while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => this.#cancel(waiter);
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  /** Takes a token only if one is free and nobody is waiting. */
  tryAcquire(): boolean {
    this.#refill();
    if (this.#queue.length > 0 || this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Callers currently waiting for a token. */
  get waiting(): number {
    return this.#queue.length;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsedMs = Math.max(0, now - this.#lastRefill);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsedMs * this.ratePerSecond) / 1000);
    this.#lastRefill = now;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    // Ceil so the timer never fires a hair early and spins on a fractional token.
    const waitMs = Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.ratePerSecond));
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, waitMs);
  }

  #drain(): void {
    this.#refill();
    while (this.#queue.length > 0 && this.#tokens >= 1) {
      const waiter = this.#queue.shift()!;
      this.#tokens -= 1;
      this.#detach(waiter);
      waiter.resolve();
    }
    this.#schedule();
  }

  #cancel(waiter: Waiter): void {
    const index = this.#queue.indexOf(waiter);
    if (index < 0) return;
    this.#queue.splice(index, 1);
    this.#detach(waiter);
    if (this.#queue.length === 0 && this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    waiter.reject(waiter.signal?.reason);
  }

  #detach(waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
  }
}

/**
 * One token bucket per key, created on first use: for limits a provider applies per action
 * (Tencent Cloud: 20 requests/s per API action) on top of the account-wide one.
 */
export class KeyedTokenBucket {
  readonly #options: TokenBucketOptions;
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(options: TokenBucketOptions) {
    // Validate eagerly so a bad rate fails at construction, not on the first call.
    void new TokenBucket(options);
    this.#options = options;
  }

  acquire(key: string, signal?: AbortSignal): Promise<void> {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#options);
      this.#buckets.set(key, bucket);
    }
    return bucket.acquire(signal);
  }

  /** Keys seen so far (bounded by the provider's action list). */
  get size(): number {
    return this.#buckets.size;
  }
}
