/**
 * The time source used by the runtime primitives. Injected rather than read from
 * globals so tests can drive time deterministically instead of sleeping.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * Node's setTimeout treats any delay above 2^31-1 ms (~24.8 days) as 1 ms, which
 * would turn a very long backoff into a hot loop; every delay is clamped to this.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** Wall-clock time. Looks the globals up on every call so test fake timers apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(ms, MAX_TIMER_DELAY_MS)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
