/**
 * Time as the engine sees it. Everything that waits (asynchronous job transitions, signature
 * skew checks, rate limits) goes through a Clock so tests can drive time by hand. The Clock
 * contract is the project's one (controller/src/clock.ts).
 */
import { MAX_TIMER_DELAY_MS, type Clock, type TimerHandle } from '../../controller/src/clock.ts';

export { MAX_TIMER_DELAY_MS, type Clock, type TimerHandle };

/** Wall-clock time whose timers never keep the process alive: the engine's store is durable, so exiting mid-transition is safe. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface ManualTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * A clock that only moves when told to. `advance` runs every timer that falls due on the way,
 * in due order, each with `now()` reading its due time.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers = new Map<number, ManualTimer>();

  constructor(startAt = Date.UTC(2024, 0, 1)) {
    this.current = startAt;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, dueAt: this.current + Math.max(0, delayMs), callback };
    this.timers.set(timer.id, timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    const id = (handle as { id?: unknown } | null)?.id;
    if (typeof id === 'number') this.timers.delete(id);
  }

  /** Moves time forward by `ms`, firing due timers (including ones they set that are also due). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.dueAt <= target && (!next || timer.dueAt < next.dueAt)) next = timer;
      }
      if (!next) break;
      this.timers.delete(next.id);
      this.current = Math.max(this.current, next.dueAt);
      next.callback();
    }
    this.current = target;
  }

  pendingTimers(): number {
    return this.timers.size;
  }
}
