import type { Dispatcher } from 'undici';
import { sleepOn, systemClock, type Clock } from '../../clock.ts';
import { ProviderHttpError } from './errors.ts';
import { JsonHttpClient, type HttpResponse } from './http-client.ts';
import type { OnRequest, RequestOutcome } from './metrics.ts';
import { withRetry } from './retry.ts';

/** How hard one logical call is retried. */
export interface CallRetryOptions {
  /** Attempts per call, the first included. Default 4. */
  maxAttempts?: number;
  /** Backoff cap of the first retry; doubles per retry. Default 500 ms. */
  baseMs?: number;
  /** Upper bound of the backoff. Default 10 s. */
  maxMs?: number;
}

/**
 * What every provider client (DRS, ClickHouse, Tencent API 3.0 and v2) accepts besides its API's
 * own settings: the transport, the retry policy, and the clock, random source and sleep that
 * tests inject. One definition, so the clients default alike.
 */
export interface ProviderClientOptions {
  /** Deadline of each HTTP call. Default 30 s. */
  timeoutMs?: number;
  /** Keep-alive connections per origin. Default 16. */
  connections?: number;
  onRequest?: OnRequest;
  /** Use this undici dispatcher (not closed by close()). */
  dispatcher?: Dispatcher;
  retry?: CallRetryOptions;
  clock?: Clock;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The retry-related options with their defaults filled in. */
export interface CallSettings {
  clock: Clock;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  retry: Required<CallRetryOptions>;
}

export function callSettings(options: ProviderClientOptions): CallSettings {
  const clock = options.clock ?? systemClock;
  return {
    clock,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? sleepOn(clock),
    retry: {
      maxAttempts: options.retry?.maxAttempts ?? 4,
      baseMs: options.retry?.baseMs ?? 500,
      maxMs: options.retry?.maxMs ?? 10_000,
    },
  };
}

/** The client's JsonHttpClient: its transport options, and how its API reports outcomes in bodies. */
export function providerHttpClient(
  provider: string,
  options: ProviderClientOptions,
  settings: Pick<CallSettings, 'clock'>,
  outcomeOf: (response: HttpResponse) => RequestOutcome,
): JsonHttpClient {
  return new JsonHttpClient({
    provider,
    clock: settings.clock,
    outcomeOf,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
}

/**
 * One logical call, attempted until it succeeds, fails for good, or runs out of attempts: full
 * jitter backoff, never shorter than the provider's Retry-After. `isRetryable` decides per
 * failure (usually shouldRepeatCall: never repeat a create whose outcome is unknown).
 */
export function retryCall<T>(settings: CallSettings, isRetryable: (error: unknown) => boolean, attempt: () => Promise<T>): Promise<T> {
  return withRetry(attempt, {
    ...settings.retry,
    random: settings.random,
    sleep: settings.sleep,
    isRetryable,
    retryAfterMs: (error) => (error instanceof ProviderHttpError ? error.retryAfterMs : undefined),
  });
}
