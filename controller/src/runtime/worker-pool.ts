import { systemClock, type Clock } from '../clock.ts';
import type { WorkQueue } from './work-queue.ts';

/**
 * What a reconcile asks the pool to do next.
 * - `{}`: done; forget the key's backoff history.
 * - `{ requeueAfterMs }`: done for now; reconcile again after this delay (e.g. polling a provider).
 * - `{ error }`: failed; retry with per-key exponential backoff.
 * - `{ error, terminal: true }`: failed in a way retrying cannot fix (e.g. invalid spec);
 *   do not retry until the object changes and an informer adds the key again.
 * A thrown error or rejected promise is treated like `{ error }`.
 */
export type ReconcileResult =
  // `error?: undefined` lets `cond ? { error } : {}` type-check as a ReconcileResult.
  | { requeueAfterMs?: number; error?: undefined }
  | { error: Error; terminal?: boolean };

export type ReconcileHandler<K> = (key: K) => Promise<ReconcileResult>;

/** How a reconcile ended; `requeue` is a success that asked to run again later. */
export type ReconcileOutcome = 'success' | 'requeue' | 'error' | 'terminal';

export interface ReconcileMetrics {
  observeReconcile(outcome: ReconcileOutcome, seconds: number): void;
}

/** The subset of a pino logger the pool uses. */
export interface WorkerLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerPoolOptions<K> {
  queue: WorkQueue<K>;
  /** Number of keys reconciled in parallel. */
  concurrency: number;
  handler: ReconcileHandler<K>;
  log?: WorkerLog;
  metrics?: ReconcileMetrics;
  clock?: Clock;
}

export interface WorkerPool {
  /** Number of keys currently being reconciled. */
  inFlight(): number;
  /**
   * Graceful shutdown: shuts the queue down (no new keys are started) and resolves
   * once every in-flight reconcile has finished. Safe to call more than once.
   */
  stop(): Promise<void>;
  /** Resolves when every worker has exited, whoever shut the queue down. */
  readonly finished: Promise<void>;
}

const silentLog: WorkerLog = { debug() {}, warn() {}, error() {} };

/** Starts `concurrency` workers that take keys from `queue` and reconcile them with `handler`. */
export function runWorkers<K>(options: WorkerPoolOptions<K>): WorkerPool {
  const { queue, concurrency, handler } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`runWorkers: concurrency must be an integer >= 1, got ${concurrency}`);
  }
  const log = options.log ?? silentLog;
  const clock = options.clock ?? systemClock;
  let inFlight = 0;

  async function reconcile(key: K): Promise<void> {
    const startedAt = clock.now();
    let result: ReconcileResult;
    try {
      // Inside the try so a handler that throws synchronously is caught too.
      result = (await handler(key)) ?? {};
    } catch (thrown) {
      result = { error: asError(thrown) };
    }
    const outcome = outcomeOf(result);
    options.metrics?.observeReconcile(outcome, (clock.now() - startedAt) / 1000);

    if (result.error !== undefined) {
      if (result.terminal) {
        queue.forget(key);
        log.error({ key: String(key), err: result.error }, 'reconcile failed permanently; not retrying until the object changes');
      } else {
        queue.addRateLimited(key);
        log.warn(
          { key: String(key), err: result.error, retries: queue.numRequeues(key) },
          'reconcile failed; retrying with backoff',
        );
      }
      return;
    }
    queue.forget(key);
    if (result.requeueAfterMs !== undefined && result.requeueAfterMs > 0) {
      queue.addAfter(key, result.requeueAfterMs);
    }
    log.debug({ key: String(key), outcome, requeueAfterMs: result.requeueAfterMs }, 'reconciled');
  }

  async function work(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      inFlight += 1;
      try {
        await reconcile(key);
      } catch (err) {
        // Only reachable if the queue, metrics or logger threw; keep the worker alive.
        safeLog(log, { key: String(key), err: asError(err) }, 'worker failed while handling a reconcile result');
      } finally {
        inFlight -= 1;
        queue.done(key);
      }
    }
  }

  const workers: Promise<void>[] = [];
  for (let i = 0; i < concurrency; i += 1) {
    // Last guard against an unhandled rejection (e.g. queue.done throwing).
    workers.push(work().catch((err: unknown) => safeLog(log, { err: asError(err) }, 'worker exited unexpectedly')));
  }
  const finished = Promise.all(workers).then(() => undefined);

  let stopping: Promise<void> | undefined;
  return {
    inFlight: () => inFlight,
    finished,
    stop() {
      stopping ??= queue.shutDownWithDrain().then(() => finished);
      return stopping;
    },
  };
}

function outcomeOf(result: ReconcileResult): ReconcileOutcome {
  if (result.error !== undefined) return result.terminal ? 'terminal' : 'error';
  return result.requeueAfterMs !== undefined && result.requeueAfterMs > 0 ? 'requeue' : 'success';
}

function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(`reconcile threw a non-Error value: ${String(thrown)}`);
}

function safeLog(log: WorkerLog, obj: object, msg: string): void {
  try {
    log.error(obj, msg);
  } catch {
    // Nothing sensible is left to do if logging itself fails.
  }
}
