import { MAX_TIMER_DELAY_MS, type Clock, type TimerHandle } from './clock.ts';

/**
 * Fires "job X has a transition due" callbacks. The deadlines themselves are persisted in the
 * job records (JobRecord.timers); this is only the in-memory index over them, rebuilt from the
 * store on start, so a restart re-arms every pending transition (and fires overdue ones at once).
 *
 * One clock timer for the earliest deadline over a min-heap, so a hundred thousand jobs cost
 * one timer, not a hundred thousand. Jobs due at the same moment are handed over together.
 */
export class DeadlineScheduler {
  private readonly clock: Clock;
  private readonly onDue: (jobIds: string[]) => void;
  private readonly due = new Map<string, number>();
  private heap: Array<{ at: number; jobId: string }> = [];
  private timer: TimerHandle | undefined;
  private armedFor: number | undefined;
  private stopped = false;

  constructor(clock: Clock, onDue: (jobIds: string[]) => void) {
    this.clock = clock;
    this.onDue = onDue;
  }

  /** Sets (or clears, with undefined) the next deadline of a job. */
  set(jobId: string, at: number | undefined): void {
    if (at === undefined) {
      this.due.delete(jobId);
      return; // its heap entry goes stale and is skipped
    }
    if (this.due.get(jobId) === at) return;
    this.due.set(jobId, at);
    this.push({ at, jobId });
    this.arm();
  }

  get size(): number {
    return this.due.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.stopped) return;
    const next = this.peekValid();
    if (next === undefined) return;
    if (this.armedFor !== undefined && this.armedFor <= next.at) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const delay = Math.min(Math.max(0, next.at - this.clock.now()), MAX_TIMER_DELAY_MS);
    this.armedFor = next.at;
    this.timer = this.clock.setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = undefined;
    if (this.stopped) return;
    const now = this.clock.now();
    const ready: string[] = [];
    for (let next = this.peekValid(); next !== undefined && next.at <= now; next = this.peekValid()) {
      this.pop();
      this.due.delete(next.jobId);
      ready.push(next.jobId);
    }
    this.arm();
    if (ready.length > 0) this.onDue(ready);
  }

  /** Top of the heap after discarding entries superseded by a later `set`. */
  private peekValid(): { at: number; jobId: string } | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.due.get(top.jobId) === top.at) return top;
      this.pop();
    }
    return undefined;
  }

  private push(entry: { at: number; jobId: string }): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && heap[left]!.at < heap[smallest]!.at) smallest = left;
      if (right < heap.length && heap[right]!.at < heap[smallest]!.at) smallest = right;
      if (smallest === i) break;
      [heap[smallest], heap[i]] = [heap[i]!, heap[smallest]!];
      i = smallest;
    }
  }
}
