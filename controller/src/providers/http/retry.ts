export interface RetryOptions {
  /** Total attempts, the first one included (1 = no retry). */
  maxAttempts: number;
  /** Backoff cap before jitter for the first retry; doubles per retry. */
  baseMs: number;
  /** Upper bound of the backoff before jitter. */
  maxMs: number;
  /** Number in [0, 1); injected so tests are deterministic. Default Math.random. */
  random?: () => number;
  /** Waits between attempts. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Whether this failure is worth another attempt. */
  isRetryable: (error: unknown) => boolean;
  /** The wait the server asked for (Retry-After), if any. */
  retryAfterMs?: (error: unknown) => number | undefined;
  /**
   * The longest Retry-After honoured in-process. A longer one ends the retries at once: the
   * error (which carries the wait) goes to the caller, whose requeue can wait without holding a
   * worker. Default: maxMs.
   */
  maxRetryAfterMs?: number;
  /** Called before each wait, e.g. for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Calls fn until it succeeds, fails with a non-retryable error, or runs out of attempts; then
 * rethrows the last error. Waits use "full jitter" exponential backoff (a uniform draw from
 * [0, min(maxMs, baseMs * 2^n)]), which spreads the retries of many clients that failed
 * together, and never less than the server's Retry-After.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { maxAttempts, baseMs, maxMs } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`withRetry: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  if (!(baseMs >= 0) || !(maxMs >= baseMs)) {
    throw new RangeError(`withRetry: need 0 <= baseMs (${baseMs}) <= maxMs (${maxMs})`);
  }
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? maxMs;

  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !options.isRetryable(error)) throw error;
      const retryAfter = options.retryAfterMs?.(error);
      if (retryAfter !== undefined && retryAfter > maxRetryAfterMs) throw error;
      const delayMs = Math.max(fullJitterDelay(attempt, baseMs, maxMs, random), retryAfter ?? 0);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/** Full-jitter delay before retry number `retry` (1 = first retry). */
export function fullJitterDelay(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  // 2 ** n overflows to Infinity after ~1024 retries; Math.min still caps it.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as milliseconds: either delta-seconds ("120") or an HTTP date. Undefined when
 * absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
