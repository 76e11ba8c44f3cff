/**
 * Coalesces calls made by many concurrent reconciles into one batch request per window:
 * `submit(item)` returns a promise for that item's own result; items collected within
 * `windowMs` (or until `maxBatch` items) go out together through `flush`, and each caller
 * gets back the per-item result for its key. A flush that throws fails every item in it.
 */
export interface CoalescerOptions<Item, Result> {
  /** Sends one batch; returns a result per item key. A key missing from the map is an error. */
  flush: (items: Item[]) => Promise<Map<string, Result>>;
  keyOf: (item: Item) => string;
  windowMs: number;
  maxBatch: number;
  /** Injected for tests. */
  setTimer?: (fn: () => void, ms: number) => unknown;
}

interface Waiter<Item, Result> {
  item: Item;
  resolve: (r: Result) => void;
  reject: (e: unknown) => void;
}

export class Coalescer<Item, Result> {
  readonly #o: Required<CoalescerOptions<Item, Result>>;
  #pending: Waiter<Item, Result>[] = [];
  #timerArmed = false;
  /** Batches sent, for tests and metrics. */
  batches = 0;

  constructor(options: CoalescerOptions<Item, Result>) {
    this.#o = { setTimer: (fn, ms) => setTimeout(fn, ms), ...options };
  }

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length >= this.#o.maxBatch) this.#drain();
      else if (!this.#timerArmed) {
        this.#timerArmed = true;
        this.#o.setTimer(() => {
          this.#timerArmed = false;
          this.#drain();
        }, this.#o.windowMs);
      }
    });
  }

  #drain(): void {
    while (this.#pending.length > 0) {
      // A key appears once per batch: a second submit for the same key waits for the next one.
      const batch: Waiter<Item, Result>[] = [];
      const rest: Waiter<Item, Result>[] = [];
      const keys = new Set<string>();
      for (const waiter of this.#pending) {
        const key = this.#o.keyOf(waiter.item);
        if (batch.length < this.#o.maxBatch && !keys.has(key)) {
          keys.add(key);
          batch.push(waiter);
        } else rest.push(waiter);
      }
      this.#pending = rest;
      void this.#send(batch);
    }
  }

  async #send(batch: Waiter<Item, Result>[]): Promise<void> {
    this.batches++;
    try {
      const results = await this.#o.flush(batch.map((w) => w.item));
      for (const waiter of batch) {
        const key = this.#o.keyOf(waiter.item);
        const result = results.get(key);
        if (result === undefined) waiter.reject(new Error(`the provider returned no result for ${key}`));
        else waiter.resolve(result);
      }
    } catch (error) {
      for (const waiter of batch) waiter.reject(error);
    }
  }
}
