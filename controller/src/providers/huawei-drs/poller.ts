import type { Clock } from '../../clock.ts';
import { isMaterialDelayChange } from '../../reconcile/delay-change.ts';
import type { DrsClient } from './client.ts';
import type { DrsSnapshot } from './observation-mapping.ts';
import { toProgress } from './observation-mapping.ts';

/**
 * One poller per DRS account. Each round refreshes every tracked job with batch-status (≤100
 * IDs a call), then batch-progress only for jobs that are transferring and
 * batch-precheck-result only for pre-checks still pending. Steady cost per interval:
 * ceil(N/100) batch-status calls, plus ceil(N/100) batch-progress calls for replicating jobs
 * (INCRE_TRANSFER_STARTED is polled for its delay). Reconciles read the snapshot; a job whose status, progress or pre-check
 * changed is reported through onChange so its reconcile runs — level-triggered, batched.
 */
export interface PollerOptions {
  client: Pick<DrsClient, 'getStatuses' | 'getProgress' | 'getPrecheckResults'>;
  activeMs: number;
  steadyMs: number;
  /** The account's request budget; polling uses at most half of it, stretching the interval. */
  requestsPerSecond: number;
  clock: Clock;
  random?: () => number;
  onChange: (jobId: string) => void;
  onStretched?: () => void;
  log?: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

export type Tracked = {
  snapshot?: DrsSnapshot;
  gone: boolean;
  /** An action changed the job: its snapshot is not to be trusted until a round started after it. */
  stale: boolean;
  /** The first round number whose answers reflect the latest action. */
  freshFromRound: number;
  /** The last round could not read the job (provider error). */
  unreadable?: string;
  precheckPending?: 'start' | 'retry';
};

/** Statuses with nothing moving: the slow interval applies when every job is in one. */
const STEADY = new Set(['INCRE_TRANSFER_STARTED', 'PAUSING', 'RELEASE_RESOURCE_COMPLETE', 'FULL_TRANSFER_COMPLETE', 'CHILD_TRANSFER_COMPLETE', 'RELEASE_CHILD_TRANSFER_COMPLETE', 'CREATE_FAILED', 'START_JOB_FAILED', 'FULL_TRANSFER_FAILED', 'INCRE_TRANSFER_FAILED', 'RELEASE_RESOURCE_FAILED', 'CHANGE_JOB_FAILED', 'CHILD_TRANSFER_FAILED', 'CONFIGURATION']);
/** Statuses worth a batch-progress call. */
const TRANSFERRING = new Set(['FULL_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED', 'CHILD_TRANSFER_STARTED', 'FULL_TRANSFER_COMPLETE']);
const BATCH = 100;

export class DrsPoller {
  readonly #o: PollerOptions & { random: () => number };
  readonly #jobs = new Map<string, Tracked>();
  readonly #waiters: (() => void)[] = [];
  #timer: unknown;
  #running = false;
  #round: Promise<void> | undefined;
  #kickArmed = false;
  #stopped = true;
  /** Number of the round in progress (or last started). */
  #roundNo = 0;
  /** Rounds completed, for tests and the benchmark. */
  rounds = 0;

  constructor(options: PollerOptions) {
    this.#o = { random: Math.random, ...options };
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    await this.#round;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  track(jobId: string): void {
    if (!this.#jobs.has(jobId)) {
      this.#jobs.set(jobId, { gone: false, stale: true, freshFromRound: 0 });
      this.kick();
    }
  }

  untrack(jobId: string): void {
    this.#jobs.delete(jobId);
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** An action changed the job: distrust the snapshot until the next round, and come soon. */
  markStale(jobId: string): void {
    // A round already in flight may have read the job before the action: only a later one counts.
    const freshFromRound = this.#roundNo + 1;
    const job = this.#jobs.get(jobId);
    if (job) Object.assign(job, { stale: true, freshFromRound });
    else this.#jobs.set(jobId, { gone: false, stale: true, freshFromRound });
    this.kick();
  }

  expectPrecheck(jobId: string, purpose: 'start' | 'retry'): void {
    this.markStale(jobId);
    const job = this.#jobs.get(jobId)!;
    job.precheckPending = purpose;
    if (job.snapshot) job.snapshot = { ...job.snapshot, precheck: { purpose } };
  }

  /** The freshest knowledge of a job; waits for a round when it is unknown or stale. */
  async read(jobId: string): Promise<Tracked> {
    this.track(jobId);
    // Two rounds at most: one may already be in flight with answers from before an action.
    for (let i = 0; i < 2; i++) {
      const job = this.#jobs.get(jobId);
      if (!job || (!job.stale && (job.snapshot || job.gone))) break;
      await this.#nextRound();
    }
    return this.#jobs.get(jobId) ?? { gone: true, stale: false, freshFromRound: 0 };
  }

  /** Run a round soon (coalescing the many reconciles that ask at once into one). */
  kick(): void {
    if (this.#kickArmed || this.#stopped) return;
    this.#kickArmed = true;
    this.#o.clock.setTimeout(() => {
      this.#kickArmed = false;
      if (!this.#running) this.#schedule(0);
    }, 20);
  }

  #nextRound(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.kick();
    });
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#round = this.#runRound();
    }, ms);
  }

  async #runRound(): Promise<void> {
    if (this.#running || this.#stopped) return;
    this.#running = true;
    this.#roundNo++;
    const waiters = this.#waiters.splice(0);
    try {
      await this.#refresh();
    } catch (error) {
      this.#o.log?.warn({ error: String(error) }, 'DRS poll round failed; retrying next interval');
    } finally {
      this.#running = false;
      this.rounds++;
      for (const resolve of waiters) resolve();
      // Reconciles that asked during this round need the next one.
      if (this.#waiters.length > 0) this.#schedule(20);
      else this.#schedule(this.#interval());
    }
  }

  async #refresh(): Promise<void> {
    const ids = [...this.#jobs.keys()];
    if (ids.length === 0) return;
    const changed = new Set<string>();
    for (const outcome of await this.#o.client.getStatuses(ids)) {
      const job = this.#jobs.get(outcome.jobId);
      if (!job) continue;
      if (outcome.ok) {
        const error = outcome.result.error_code ? { code: outcome.result.error_code, message: outcome.result.error_message ?? outcome.result.error_code } : undefined;
        if (outcome.status === 'DELETED') {
          if (!job.gone) changed.add(outcome.jobId);
          job.gone = true;
        } else {
          const before = job.snapshot;
          job.snapshot = { ...before, jobId: outcome.jobId, status: outcome.status, ...(error ? { error } : {}) };
          if (!error) delete job.snapshot.error;
          if (before?.status !== outcome.status || before?.error?.code !== error?.code) changed.add(outcome.jobId);
          job.gone = false;
        }
        if (this.#roundNo >= job.freshFromRound) job.stale = false;
        delete job.unreadable;
      } else if (outcome.gone && outcome.code !== 'MissingResult') {
        // An explicit "no such job" from DRS. A job merely missing from an answer is not
        // trusted as gone: that would remove finalizers or re-create jobs on a glitch.
        if (!job.gone) changed.add(outcome.jobId);
        job.gone = true;
        if (this.#roundNo >= job.freshFromRound) job.stale = false;
      } else {
        job.unreadable = `${outcome.code}: ${outcome.message}`;
      }
    }
    await this.#refreshProgress(changed);
    await this.#refreshPrechecks(changed);
    for (const jobId of changed) this.#o.onChange(jobId);
  }

  async #refreshProgress(changed: Set<string>): Promise<void> {
    const ids = [...this.#jobs].filter(([, j]) => !j.gone && j.snapshot && TRANSFERRING.has(j.snapshot.status)).map(([id]) => id);
    if (ids.length === 0) return;
    for (const outcome of await this.#o.client.getProgress(ids)) {
      const job = this.#jobs.get(outcome.jobId);
      if (!job?.snapshot || !outcome.ok) continue;
      const before = job.snapshot.progress ? toProgress(job.snapshot.progress) : undefined;
      const after = toProgress(outcome.progress);
      job.snapshot = { ...job.snapshot, progress: outcome.progress };
      if (before?.percent !== after.percent || isMaterialDelayChange(before?.incrementalDelaySeconds, after.incrementalDelaySeconds)) {
        changed.add(outcome.jobId);
      }
    }
  }

  async #refreshPrechecks(changed: Set<string>): Promise<void> {
    const ids = [...this.#jobs].filter(([, j]) => j.precheckPending && !j.gone).map(([id]) => id);
    if (ids.length === 0) return;
    for (const outcome of await this.#o.client.getPrecheckResults(ids)) {
      const job = this.#jobs.get(outcome.jobId);
      if (!job?.snapshot || !job.precheckPending || !outcome.ok) continue;
      const purpose = job.precheckPending;
      const before = job.snapshot.precheck?.result;
      job.snapshot = { ...job.snapshot, precheck: { purpose, result: outcome.result } };
      if (outcome.result.process === '100%') delete job.precheckPending;
      if (before?.process !== outcome.result.process || before?.result !== outcome.result.result) changed.add(outcome.jobId);
    }
  }

  /** Active while anything moves, steady otherwise; stretched to fit the request budget; jittered. */
  #interval(): number {
    const jobs = [...this.#jobs.values()];
    const moving = jobs.some((j) => j.stale || j.precheckPending || (j.snapshot && !STEADY.has(j.snapshot.status)));
    const base = moving ? this.#o.activeMs : this.#o.steadyMs;
    const transferring = jobs.filter((j) => j.snapshot && TRANSFERRING.has(j.snapshot.status)).length;
    const callsPerRound = Math.ceil(jobs.length / BATCH) + Math.ceil(transferring / BATCH);
    const minMs = (callsPerRound / (this.#o.requestsPerSecond / 2)) * 1000;
    let interval = base;
    if (minMs > base) {
      interval = minMs;
      this.#o.onStretched?.();
    }
    return Math.round(interval * (0.9 + this.#o.random() * 0.2));
  }
}
