import type { ExecutorHost, JobContext, ProgressReport } from '../../executor.ts';
import type { JobRecord } from '../../job.ts';
import type { EngineLogger } from '../../logger.ts';
import type { JobStatus } from '../../statuses.ts';
import { describeTables, resolveSourceTables, serverFacts, targetTableStates } from './catalog.ts';
import { TASK_FAILURE_CODE, taskFailure } from './connection-errors.ts';
import { slotPosition, tableSyncStates } from './monitor.ts';
import type { PoolRegistry } from './pools.ts';
import { fullSyncProgress, LagTracker, phasesOf, remainingSeconds } from './progress.ts';
import { ensurePublication, ensureSubscription, runningWorkers, setSubscriptionEnabled, subscriptionState, teardown, terminateWorkers } from './replication.ts';
import { copyTableDefinitions } from './schema-copy.ts';
import { syncOwnedSequences } from './sequences.ts';
import { taskEndpoints } from './task-endpoints.ts';
import { patchedState, taskStateOf, type PgTaskState } from './task-state.ts';

/**
 * Drives one task's PostgreSQL side from its status, a few times a second, until the task no
 * longer needs it. API calls only record what they want (status, pause, exec state) and nudge
 * the watcher; the watcher makes PostgreSQL match and reports back through events — which the
 * state machine drops if the task moved on meanwhile. Because it works from the persisted
 * job alone, a watcher started after a restart picks up exactly where the last one was.
 *
 * | status                         | what the watcher does                                                       |
 * |--------------------------------|-----------------------------------------------------------------------------|
 * | STARTJOBING, WAITING_FOR_START | (at start_time) copy definitions, publication, subscription → FULL/INCRE_TRANSFER_STARTED |
 * | FULL_TRANSFER_STARTED          | table sync progress; all ready → FULL_TRANSFER_COMPLETE (full-only: drop everything first) then INCRE_TRANSFER_STARTED |
 * | INCRE_TRANSFER_STARTED         | replication delay from the slot                                              |
 * | PAUSING                        | disable the subscription, wait for its workers to exit → paused; then delay  |
 * | RELEASE_RESOURCE_STARTED       | drop subscription, slots, publication → RELEASE_RESOURCE_COMPLETE            |
 *
 * A subscription found disabled while it should run (disable_on_error after an apply error)
 * fails the task; batch-retry-task enables it again.
 */
export interface WatcherDeps {
  host: ExecutorHost;
  pools: PoolRegistry;
  log: EngineLogger;
  pollMs: number;
  pgDump: string;
  /** Latest progress per task, for the synchronous Executor.progress. */
  reports: Map<string, CachedProgress>;
}

export interface CachedProgress {
  percent: number;
  remainingSeconds: number;
  phases?: ProgressReport['phases'];
  delayMs?: number;
}

/** Statuses with PostgreSQL work to watch. */
const WATCHED: ReadonlySet<JobStatus> = new Set<JobStatus>([
  'STARTJOBING',
  'WAITING_FOR_START',
  'FULL_TRANSFER_STARTED',
  'FULL_TRANSFER_COMPLETE',
  'INCRE_TRANSFER_STARTED',
  'PAUSING',
  'RELEASE_RESOURCE_STARTED',
]);

export function needsWatching(job: Readonly<JobRecord>): boolean {
  if (!WATCHED.has(job.status)) return false;
  return !(job.status === 'FULL_TRANSFER_COMPLETE' && job.taskType === 'FULL_TRANS');
}

const RELEASE_ATTEMPTS = 3;
/** How long workers of a disabled subscription may take to exit on their own before they are terminated. */
const WORKER_EXIT_GRACE_MS = 1000;

export class TaskWatcher {
  readonly jobId: string;
  private readonly deps: WatcherDeps;
  private readonly lag = new LagTracker();
  /** Set by nudge(): look at the job again before sleeping or exiting. */
  private dirty = true;
  private wake: (() => void) | undefined;
  private stopping = false;
  /** The loop has ended (or is ending): a new watcher is needed for new work. */
  exited = false;
  private readonly done: Promise<void>;
  private pollErrors = 0;
  private releaseAttempts = 0;
  /** When this watcher disabled the subscription for a pause (its workers get a grace period to exit). */
  private disabledAt: number | undefined;

  constructor(jobId: string, deps: WatcherDeps, onExit: (watcher: TaskWatcher) => void) {
    this.jobId = jobId;
    this.deps = deps;
    this.done = this.loop().finally(() => onExit(this));
  }

  nudge(): void {
    this.dirty = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.stopping) break;
      this.dirty = false;
      const job = await this.read();
      let keepWatching = job !== undefined && needsWatching(job);
      if (job && keepWatching) {
        try {
          keepWatching = await this.step(job);
          this.pollErrors = 0;
        } catch (error) {
          this.pollFailed(job, error);
        }
      }
      if (!keepWatching && !this.dirty) break;
      if (!this.dirty) await this.sleep(this.deps.pollMs);
    }
    this.exited = true;
  }

  private async step(job: JobRecord): Promise<boolean> {
    const state = taskStateOf(job);
    switch (job.status) {
      case 'STARTJOBING':
      case 'WAITING_FOR_START':
        return this.starting(job, state);
      case 'FULL_TRANSFER_STARTED':
        return this.transferring(job, state, 'full');
      case 'FULL_TRANSFER_COMPLETE':
        // FULL_INCR_TRANS between the two reports (e.g. a restart in between): go on to incremental.
        await this.report((_job, ctx) => ctx.emit({ type: 'status', to: 'INCRE_TRANSFER_STARTED' }));
        return true;
      case 'INCRE_TRANSFER_STARTED':
        return this.transferring(job, state, 'incremental');
      case 'PAUSING':
        return this.pausing(job, state);
      case 'RELEASE_RESOURCE_STARTED':
        return this.releasing(job, state);
      default:
        return false;
    }
  }

  /** Sets replication up (idempotently: a restart mid-way repeats only what is missing). */
  private async starting(job: JobRecord, state: PgTaskState): Promise<boolean> {
    const now = this.deps.host.now();
    if (state.startAt !== undefined && state.startAt > now) {
      if (job.status === 'STARTJOBING') await this.report((_job, ctx) => ctx.emit({ type: 'status', to: 'WAITING_FOR_START' }));
      return true;
    }
    // Claim the task for setup under its lock: a stop that got in first (and saw nothing
    // provisioned) wins, and one that comes later sees `provisioned` and cleans up after us.
    let stillStarting = false;
    await this.report((current, ctx) => {
      stillStarting = current.status === 'STARTJOBING' || current.status === 'WAITING_FOR_START';
      if (stillStarting && !taskStateOf(current).provisioned) ctx.setState(patchedState(current, { provisioned: true }));
    });
    if (!stillStarting) return true;
    const { pools } = this.deps;
    const { source, target, selection } = taskEndpoints(job);
    let subscriptionOid: number;
    let weights: PgTaskState['tables'];
    try {
      if (!selection.ok) throw new StartRefused(`the object selection cannot be replicated: ${selection.problems.join('; ')}`);
      const resolved = await resolveSourceTables(pools, source, selection.selection);
      if (resolved.missing.length > 0) throw new StartRefused(`selected tables not found in the source database: ${describeTables(resolved.missing)}`);
      if (resolved.tables.length === 0) throw new StartRefused(`the source database ${source.database} has no tables to replicate`);
      weights = resolved.tables.map(({ schema, name, bytes, estimatedRows }) => ({ schema, name, bytes, estimatedRows }));
      const names = state.names;
      let subscription = await subscriptionState(pools, target, names.subscription);
      if (!subscription) {
        const onTarget = await targetTableStates(pools, target, resolved.tables);
        const withRows = onTarget.filter((table) => table.hasRows);
        if (job.taskType !== 'INCR_TRANS' && withRows.length > 0) {
          throw new StartRefused(`target tables already hold rows: ${describeTables(withRows)}; empty or drop them, then retry`);
        }
        const { skipped } = await copyTableDefinitions({
          pools,
          source,
          target,
          tables: onTarget.filter((table) => !table.exists),
          selected: resolved.tables,
          pgDump: this.deps.pgDump,
        });
        if (skipped.length > 0) this.deps.log.info({ jobId: this.jobId, skipped }, 'parts of the table definitions were not copied');
        await ensurePublication(pools, source, names.publication, resolved.tables);
        const targetMajor = (await serverFacts(pools, target)).major;
        subscription = await ensureSubscription(pools, { names, source, target, copyData: job.taskType !== 'INCR_TRANS', targetMajor });
      }
      subscriptionOid = subscription.oid;
    } catch (error) {
      const failure = error instanceof StartRefused ? { errorCode: TASK_FAILURE_CODE, errorMsg: error.message } : taskFailure(error, 'setting up replication failed');
      this.deps.log.warn({ jobId: this.jobId, err: error }, 'starting replication failed');
      await this.report((_job, ctx) => ctx.emit({ type: 'failed', ...failure }));
      return false;
    }
    const startedAt = this.deps.host.now();
    const to: JobStatus = job.taskType === 'INCR_TRANS' ? 'INCRE_TRANSFER_STARTED' : 'FULL_TRANSFER_STARTED';
    this.deps.reports.set(this.jobId, { percent: to === 'INCRE_TRANSFER_STARTED' ? 100 : 0, remainingSeconds: 0, phases: phasesOf(true, undefined) });
    await this.report((current, ctx) => {
      ctx.setState(patchedState(current, { tables: weights, structCopied: true, subscriptionOid, fullStartedAt: startedAt, enable: undefined }));
      ctx.emit({ type: 'status', to });
    });
    return true;
  }

  /** Full sync or incremental streaming: the subscription must exist and run; measure how far it is. */
  private async transferring(job: JobRecord, state: PgTaskState, phase: 'full' | 'incremental'): Promise<boolean> {
    const { pools } = this.deps;
    const { source, target } = taskEndpoints(job);
    const names = state.names;
    if (phase === 'full' && state.finishing) return this.finishFullOnly(job, state);
    const subscription = await subscriptionState(pools, target, names.subscription);
    if (!subscription) {
      await this.fail(`subscription ${names.subscription} no longer exists on the target (dropped outside the engine): stop this task and create a new one`);
      return false;
    }
    if (!subscription.enabled) {
      if (!state.enable) {
        await this.fail(
          `subscription ${names.subscription} on the target was disabled — after an apply error (see the target server log and pg_stat_subscription_stats) or by hand: fix the cause, then call batch-retry-task`,
        );
        return false;
      }
      await setSubscriptionEnabled(pools, target, names.subscription, true);
    }
    if (state.enable) await this.patch({ enable: undefined });

    if (phase === 'full') {
      const states = await tableSyncStates(pools, target, subscription.oid);
      // Weights were fixed at start; without them (never expected) every table weighs the same.
      const weights = state.tables?.length ? state.tables : states.map(({ schema, name }) => ({ schema, name, bytes: 0, estimatedRows: 0 }));
      const full = fullSyncProgress(weights, states);
      this.deps.reports.set(this.jobId, {
        percent: full.percent,
        remainingSeconds: remainingSeconds(full.percent, state.fullStartedAt, this.deps.host.now()),
        phases: phasesOf(true, full),
      });
      if (!full.allReady) return true;
      if (job.taskType === 'FULL_TRANS') {
        await this.patch({ finishing: true });
        return this.finishFullOnly(job, { ...state, finishing: true });
      }
      await this.report((_job, ctx) => {
        ctx.emit({ type: 'status', to: 'FULL_TRANSFER_COMPLETE' });
        ctx.emit({ type: 'status', to: 'INCRE_TRANSFER_STARTED' });
      });
      return true;
    }
    await this.measureDelay(source, state);
    return true;
  }

  /** FULL_TRANS: every table is copied; set sequences, drop subscription/slot/publication, report complete. */
  private async finishFullOnly(job: JobRecord, state: PgTaskState): Promise<boolean> {
    const { source, target } = taskEndpoints(job);
    await this.syncSequences(source, target, state);
    await teardown(this.deps.pools, { names: state.names, source, target, force: false });
    this.deps.reports.set(this.jobId, { percent: 100, remainingSeconds: 0, phases: { struct: 100, data: 100, index: 100 } });
    await this.report((_job, ctx) => ctx.emit({ type: 'status', to: 'FULL_TRANSFER_COMPLETE' }));
    return false;
  }

  private async pausing(job: JobRecord, state: PgTaskState): Promise<boolean> {
    const { pools } = this.deps;
    const { source, target } = taskEndpoints(job);
    if (job.pause?.phase === 'pausing') {
      const subscription = await subscriptionState(pools, target, state.names.subscription);
      if (subscription?.enabled) {
        await setSubscriptionEnabled(pools, target, state.names.subscription, false);
        this.disabledAt = this.deps.host.now();
      }
      // DISABLE returns before the workers have exited; "paused" means nothing is applied any more.
      if (subscription && (await runningWorkers(pools, target, subscription.oid)) > 0) {
        this.disabledAt ??= this.deps.host.now();
        if (this.deps.host.now() - this.disabledAt >= WORKER_EXIT_GRACE_MS) await terminateWorkers(pools, target, subscription.oid);
        return true;
      }
      this.disabledAt = undefined;
      await this.report((_job, ctx) => ctx.emit({ type: 'paused' }));
      return true;
    }
    // Paused: the backlog grows on the source; keep the delay honest.
    if (job.pause?.resumeTo === 'INCRE_TRANSFER_STARTED') await this.measureDelay(source, state);
    return true;
  }

  private async releasing(job: JobRecord, state: PgTaskState): Promise<boolean> {
    const { source, target } = taskEndpoints(job);
    try {
      if (job.taskType !== 'FULL_TRANS') await this.syncSequences(source, target, state);
      const { warnings } = await teardown(this.deps.pools, { names: state.names, source, target, force: state.forceStop === true });
      if (warnings.length > 0) this.deps.log.warn({ jobId: this.jobId, warnings }, 'force_terminate left something behind');
    } catch (error) {
      this.releaseAttempts += 1;
      this.deps.log.warn({ jobId: this.jobId, err: error, attempt: this.releaseAttempts }, 'releasing replication resources failed');
      if (this.releaseAttempts < RELEASE_ATTEMPTS) return true;
      await this.report((_job, ctx) => ctx.emit({ type: 'failed', ...taskFailure(error, 'releasing the replication resources failed') }));
      return false;
    }
    this.deps.reports.delete(this.jobId);
    await this.report((_job, ctx) => ctx.emit({ type: 'status', to: 'RELEASE_RESOURCE_COMPLETE' }));
    return false;
  }

  private async measureDelay(source: ReturnType<typeof taskEndpoints>['source'], state: PgTaskState): Promise<void> {
    const position = await slotPosition(this.deps.pools, source, state.names.slot);
    const delayMs = this.lag.observe(this.deps.host.now(), position.currentLsn, position.confirmedLsn);
    const previous = this.deps.reports.get(this.jobId);
    this.deps.reports.set(this.jobId, { percent: 100, remainingSeconds: 0, phases: previous?.phases ?? { struct: 100, data: 100, index: 100 }, delayMs });
  }

  /** Best effort: a sequence that cannot be set is logged, not a reason to fail the task. */
  private async syncSequences(source: ReturnType<typeof taskEndpoints>['source'], target: ReturnType<typeof taskEndpoints>['target'], state: PgTaskState): Promise<void> {
    if (!state.tables || state.tables.length === 0) return;
    try {
      await syncOwnedSequences(this.deps.pools, source, target, state.tables);
    } catch (error) {
      this.deps.log.warn({ jobId: this.jobId, err: error }, 'copying sequence values to the target failed');
    }
  }

  private pollFailed(job: JobRecord, error: unknown): void {
    this.pollErrors += 1;
    // Replication itself runs in PostgreSQL; a failed poll only means we cannot see it right now.
    if (this.pollErrors === 1 || this.pollErrors % 50 === 0) {
      this.deps.log.warn({ jobId: this.jobId, status: job.status, err: error, failures: this.pollErrors }, 'polling PostgreSQL failed; retrying');
    }
  }

  private async fail(errorMsg: string): Promise<void> {
    await this.report((_job, ctx) => ctx.emit({ type: 'failed', errorCode: TASK_FAILURE_CODE, errorMsg }));
  }

  private async read(): Promise<JobRecord | undefined> {
    let snapshot: JobRecord | undefined;
    const found = await this.deps.host.update(this.jobId, (job) => {
      snapshot = structuredClone(job) as JobRecord;
    });
    return found ? snapshot : undefined;
  }

  private async report(fn: (job: Readonly<JobRecord>, ctx: JobContext) => void): Promise<void> {
    await this.deps.host.update(this.jobId, fn);
  }

  private async patch(patch: Partial<PgTaskState>): Promise<void> {
    await this.report((job, ctx) => ctx.setState(patchedState(job, patch)));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}

/** A start that cannot succeed as configured (not a connectivity problem): fails the task at once. */
class StartRefused extends Error {}
