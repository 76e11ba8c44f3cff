import { MAX_TIMER_DELAY_MS, systemClock, type Clock, type TimerHandle } from '../clock.ts';
import { Fifo } from './fifo.ts';
import { createControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

/**
 * Hooks the queue calls so it can be observed without depending on a metrics
 * library; observability/metrics.ts adapts these to Prometheus.
 */
export interface WorkQueueMetrics {
  /** A key entered the queue. Adds deduplicated against a queued key are not counted. */
  incAdds(): void;
  /** Number of keys waiting to be handed to a worker. */
  setDepth(depth: number): void;
  /** Seconds a key waited between being added and being handed to a worker. */
  observeQueueDuration(seconds: number): void;
  /** Seconds a worker held a key, from get() to done(). */
  observeWorkDuration(seconds: number): void;
  /** A key was re-added through the rate limiter. */
  incRetries(): void;
}

export interface WorkQueueOptions<K> {
  /** Identifies the queue in metrics and logs. */
  name?: string;
  rateLimiter?: RateLimiter<K>;
  clock?: Clock;
  metrics?: WorkQueueMetrics;
}

interface DelayedAdd {
  deadline: number;
  timer: TimerHandle;
}

const noMetrics: WorkQueueMetrics = {
  incAdds() {},
  setDepth() {},
  observeQueueDuration() {},
  observeWorkDuration() {},
  incRetries() {},
};

/**
 * A rate-limited, delaying work queue with client-go workqueue semantics:
 *
 * - A key is queued at most once: adding a key that is already waiting is a no-op.
 * - A key is never handed to two workers at once: adding a key that is being
 *   processed marks it dirty, and it is queued again when done(key) is called.
 * - Keys are handed out in FIFO order, to getters in the order they asked.
 *
 * Unlike client-go, get() returns undefined as soon as the queue shuts down even if
 * keys are still waiting: shutdown happens on SIGTERM or lost leadership, and the
 * next leader rebuilds the backlog from its informers' initial list anyway.
 */
export class WorkQueue<K = string> {
  readonly name: string;
  readonly #rateLimiter: RateLimiter<K>;
  readonly #clock: Clock;
  readonly #metrics: WorkQueueMetrics;

  readonly #queue = new Fifo<K>();
  /** Keys that need processing: waiting in #queue, or re-added while being processed. */
  readonly #dirty = new Set<K>();
  readonly #processing = new Set<K>();
  readonly #addedAt = new Map<K, number>();
  readonly #startedAt = new Map<K, number>();
  readonly #delayed = new Map<K, DelayedAdd>();
  #getters: ((key: K | undefined) => void)[] = [];
  #drainWaiters: (() => void)[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.name = options.name ?? 'default';
    this.#clock = options.clock ?? systemClock;
    this.#rateLimiter = options.rateLimiter ?? createControllerRateLimiter<K>({ clock: this.#clock });
    this.#metrics = options.metrics ?? noMetrics;
  }

  /**
   * Queues `key` for processing. Also drops any pending addAfter for the key: the
   * processing this add triggers supersedes it, and may schedule a new one.
   */
  add(key: K): void {
    if (this.#shuttingDown) return;
    this.#cancelDelayed(key);
    if (this.#dirty.has(key)) return;
    this.#dirty.add(key);
    this.#addedAt.set(key, this.#clock.now());
    this.#metrics.incAdds();
    if (this.#processing.has(key)) return; // queued again by done(key)
    this.#enqueue(key);
  }

  /**
   * Adds `key` once `ms` has passed. If the key already has a pending delayed add,
   * the earlier deadline wins. A delay of zero or less adds immediately.
   */
  addAfter(key: K, ms: number): void {
    if (this.#shuttingDown) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const delay = Math.min(ms, MAX_TIMER_DELAY_MS);
    const deadline = this.#clock.now() + delay;
    const pending = this.#delayed.get(key);
    if (pending) {
      if (pending.deadline <= deadline) return;
      this.#clock.clearTimeout(pending.timer);
    }
    const timer = this.#clock.setTimeout(() => {
      if (this.#delayed.get(key)?.timer !== timer) return;
      this.#delayed.delete(key);
      this.add(key);
    }, delay);
    this.#delayed.set(key, { deadline, timer });
  }

  /** Adds `key` after the delay the rate limiter assigns to its next failure. */
  addRateLimited(key: K): void {
    if (this.#shuttingDown) return;
    this.#metrics.incRetries();
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  /** Resets the rate limiter's failure history for `key`. Does not remove it from the queue. */
  forget(key: K): void {
    this.#rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.#rateLimiter.numRequeues(key);
  }

  /**
   * Waits for the next key. The caller owns the key until it calls done(key).
   * Resolves undefined once the queue is shut down.
   */
  get(): Promise<K | undefined> {
    if (this.#shuttingDown) return Promise.resolve(undefined);
    if (this.#queue.length > 0) return Promise.resolve(this.#take());
    return new Promise((resolve) => {
      this.#getters.push(resolve);
    });
  }

  /** Marks the processing of `key` finished; re-queues it if it was added meanwhile. */
  done(key: K): void {
    if (!this.#processing.delete(key)) return;
    const startedAt = this.#startedAt.get(key);
    this.#startedAt.delete(key);
    if (startedAt !== undefined) this.#metrics.observeWorkDuration(this.#secondsSince(startedAt));
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#enqueue(key);
    if (this.#processing.size === 0 && this.#drainWaiters.length > 0) {
      const waiters = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Number of keys waiting to be handed out (not counting keys being processed). */
  len(): number {
    return this.#queue.length;
  }

  /** Number of keys currently held by workers. */
  processingCount(): number {
    return this.#processing.size;
  }

  /** Stops intake: adds are ignored, pending delayed adds are dropped, getters get undefined. */
  shutDown(): void {
    if (!this.#shuttingDown) {
      this.#shuttingDown = true;
      for (const pending of this.#delayed.values()) this.#clock.clearTimeout(pending.timer);
      this.#delayed.clear();
      this.#queue.clear();
      this.#dirty.clear();
      this.#addedAt.clear();
      this.#metrics.setDepth(0);
    }
    const getters = this.#getters;
    this.#getters = [];
    for (const resolve of getters) resolve(undefined);
  }

  /** Shuts down, then resolves once every key handed out has been marked done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drainWaiters.push(resolve);
    });
  }

  isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  #enqueue(key: K): void {
    this.#queue.push(key);
    // Hand keys straight to waiting getters, oldest getter first.
    while (this.#getters.length > 0 && this.#queue.length > 0) {
      const resolve = this.#getters.shift();
      resolve?.(this.#take());
    }
    this.#metrics.setDepth(this.#queue.length);
  }

  /** Moves the head of the queue into processing. Only called when the queue is non-empty. */
  #take(): K {
    const key = this.#queue.shift() as K;
    this.#dirty.delete(key);
    this.#processing.add(key);
    const now = this.#clock.now();
    const addedAt = this.#addedAt.get(key);
    this.#addedAt.delete(key);
    if (addedAt !== undefined) this.#metrics.observeQueueDuration((now - addedAt) / 1000);
    this.#startedAt.set(key, now);
    this.#metrics.setDepth(this.#queue.length);
    return key;
  }

  #cancelDelayed(key: K): void {
    const pending = this.#delayed.get(key);
    if (!pending) return;
    this.#clock.clearTimeout(pending.timer);
    this.#delayed.delete(key);
  }

  #secondsSince(ms: number): number {
    return (this.#clock.now() - ms) / 1000;
  }
}
