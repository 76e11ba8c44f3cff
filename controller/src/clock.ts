/**
 * The time source, injected rather than read from globals so tests drive time instead of
 * sleeping. Shared by runtime/ and providers/ (which may not import each other), so it lives
 * beside them.
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
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_DELAY_MS)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A sleep driven by `clock`, so backoff waits follow a test's manual clock. */
export function sleepOn(clock: Clock): (ms: number) => Promise<void> {
  return (ms) => new Promise((resolve) => void clock.setTimeout(resolve, ms));
}
