import type { Clock } from './clock.ts';
import type { Executor, ExecutorHost, JobContext } from './executor.ts';
import type { ExecutorEvent, JobRecord } from './job.ts';
import { applyExecutorEvent, dropTimeline, nextDeadline } from './job-transitions.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import type { EngineLogger } from './logger.ts';
import { DeadlineScheduler } from './scheduler.ts';
import type { JobStore } from './store.ts';

/**
 * Runs jobs: the one place a job record changes. Every change goes through `mutate` (or
 * `insert`): under the job's lock, on a copy, with a JobContext collecting what the executor
 * schedules or emits; then the copy is committed to the store (fsync) and its deadlines are
 * (re)armed. Scheduled events come back through the same path when they fall due.
 */
export class JobRuntime implements ExecutorHost {
  readonly store: JobStore;
  readonly executor: Executor;
  readonly clock: Clock;
  private readonly log: EngineLogger;
  private readonly locks = new KeyedMutex();
  private readonly scheduler: DeadlineScheduler;
  private active = 0;
  private closed = false;

  constructor(options: { store: JobStore; executor: Executor; clock: Clock; log: EngineLogger }) {
    this.store = options.store;
    this.executor = options.executor;
    this.clock = options.clock;
    this.log = options.log;
    this.scheduler = new DeadlineScheduler(this.clock, (jobIds) => {
      for (const jobId of jobIds) void this.deliverDue(jobId);
    });
  }

  /** Re-arms persisted deadlines and lets the executor re-attach to tasks in flight. */
  async start(): Promise<void> {
    this.executor.attach(this);
    const recovering: string[] = [];
    for (const job of this.store.all()) {
      this.scheduler.set(job.id, nextDeadline(job));
      if (job.status !== 'DELETED') recovering.push(job.id);
    }
    if (this.executor.recover) {
      for (const jobId of recovering) {
        await this.mutate(jobId, async (job, ctx) => {
          await this.executor.recover?.(job, ctx);
        });
      }
    }
  }

  now(): number {
    return this.clock.now();
  }

  get(jobId: string): JobRecord | undefined {
    return this.store.get(jobId);
  }

  /** Every task the engine holds (deleted stubs included), for tests and the benchmark. */
  list(): JobRecord[] {
    return [...this.store.all()];
  }

  /** ExecutorHost.update: an executor changing a job outside an API call. */
  async update(jobId: string, fn: (job: Readonly<JobRecord>, ctx: JobContext) => void | Promise<void>): Promise<boolean> {
    const outcome = await this.mutate(jobId, async (job, ctx) => {
      await fn(job, ctx);
    });
    return outcome.found;
  }

  /**
   * Changes one job atomically: `fn` edits `draft` (and may call the executor with `ctx`);
   * emitted events are applied after it; the result is committed before this resolves.
   */
  async mutate<T>(jobId: string, fn: (draft: JobRecord, ctx: DraftContext) => Promise<T>): Promise<{ found: false } | { found: true; value: T }> {
    return this.track(() =>
      this.locks.run(jobId, async () => {
        const current = this.store.get(jobId);
        if (!current) return { found: false as const };
        const draft = structuredClone(current);
        const ctx = new DraftContext(draft, this.clock);
        const value = await fn(draft, ctx);
        await this.finish(current, draft, ctx);
        return { found: true as const, value };
      }),
    );
  }

  /** Creates a job: `fn` may call the executor; the job is committed with what it scheduled. */
  async insert<T>(job: JobRecord, fn: (draft: JobRecord, ctx: DraftContext) => Promise<T>): Promise<T> {
    return this.track(() =>
      this.locks.run(job.id, async () => {
        const ctx = new DraftContext(job, this.clock);
        const value = await fn(job, ctx);
        await this.finish(undefined, job, ctx);
        return value;
      }),
    );
  }

  /** Resolves once no operation is running and nothing waits for its fsync. */
  async idle(): Promise<void> {
    while (this.active > 0 || this.store.flushing) await new Promise((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.stop();
    await this.idle();
  }

  private async finish(before: JobRecord | undefined, draft: JobRecord, ctx: DraftContext): Promise<void> {
    if (ctx.discarded) return;
    for (const event of ctx.takeEmitted()) this.apply(draft, event, this.clock.now());
    if (before && JSON.stringify(before) === JSON.stringify(draft)) return;
    draft.updatedAt = this.clock.now();
    await this.store.commit([draft]);
    this.scheduler.set(draft.id, nextDeadline(draft));
  }

  private async deliverDue(jobId: string): Promise<void> {
    if (this.closed) return;
    try {
      await this.mutate(jobId, async (draft) => {
        const now = this.clock.now();
        const due = draft.timers.filter((timer) => timer.at <= now).sort((a, b) => a.at - b.at);
        draft.timers = draft.timers.filter((timer) => timer.at > now);
        for (const timer of due) this.apply(draft, timer.event, timer.at);
      });
    } catch (error) {
      this.log.error({ err: error, jobId }, 'applying a scheduled transition failed');
      // The deadline is still in the record; try again shortly rather than lose it.
      const job = this.store.get(jobId);
      if (job && !this.closed) this.scheduler.set(jobId, this.clock.now() + 1000);
    }
  }

  private apply(draft: JobRecord, event: ExecutorEvent, at: number): void {
    const from = draft.status;
    if (applyExecutorEvent(draft, event, at)) {
      this.log.debug({ jobId: draft.id, event: event.type, from, to: draft.status }, 'job transition');
    } else {
      this.log.debug({ jobId: draft.id, event, status: draft.status }, 'stale executor event dropped');
    }
  }

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
    }
  }
}

/** The JobContext handed to executors: edits go to the draft being committed. */
export class DraftContext implements JobContext {
  private readonly draft: JobRecord;
  private readonly clock: Clock;
  private emitted: ExecutorEvent[] = [];
  /** Set by discard(): the operation was refused, commit nothing. */
  discarded = false;

  constructor(draft: JobRecord, clock: Clock) {
    this.draft = draft;
    this.clock = clock;
  }

  now(): number {
    return this.clock.now();
  }

  schedule(at: number, event: ExecutorEvent): void {
    this.draft.timers.push({ at, event });
  }

  emit(event: ExecutorEvent): void {
    this.emitted.push(event);
  }

  clearScheduled(): void {
    dropTimeline(this.draft);
  }

  get state(): unknown {
    return this.draft.exec;
  }

  setState(state: unknown): void {
    this.draft.exec = state;
  }

  /** Drops every change of this call (a refused item leaves the job as it was). */
  discard(): void {
    this.discarded = true;
  }

  takeEmitted(): ExecutorEvent[] {
    const events = this.emitted;
    this.emitted = [];
    return events;
  }
}
