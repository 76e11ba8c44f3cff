import type { Clock, TimerHandle } from '../../../engine/src/clock.ts';
import type { TagFilter } from '../../../controller/src/providers/tencent-dts/migration/api-types.ts';
import { Api3Error } from '../../tencent-api3/server.ts';
import { advanceCheck, newCheckRun, NO_CHECK_FINDINGS, type CheckOutcome } from './check-run.ts';
import { INCREMENTAL_STEP_ID, allowedActions, stepsFor, type MigrationAction, type SimJob } from './model.ts';

/** How long one simulated step takes. */
export const PACE_MS = { fast: 40, default: 2000 } as const;
/** Percent a migration step moves per tick. */
const PERCENT_PER_TICK = 50;
/** The incremental step counts as caught up (readyComplete) at or below this delay. */
export const CAUGHT_UP_SECONDS = 5;

/**
 * The simulated DTS migration service: jobs and their state machine, driven by a Clock. Every
 * operation checks the job's status against the allowed-action table (model.ts) and refuses with
 * the API's codes: FailedOperation.StatusInConflict for a status that does not allow it,
 * OperationDenied.JobOperationDeniedError for a job being released, ResourceNotFound.JobNotExist
 * for an unknown ID. Transient statuses move on one step per tick.
 */
export class MigrationJobs {
  readonly #jobs = new Map<string, SimJob>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #clock: Clock;
  readonly #stepMs: number;
  readonly #random: () => number;
  /** What every pre-check finds until reset (admin). */
  checkOutcome: CheckOutcome = NO_CHECK_FINDINGS;
  /** TradeStatus of new jobs: normal (billed) or notBilled (admin). */
  newJobTradeStatus: 'normal' | 'notBilled' = 'normal';

  constructor(options: { clock: Clock; pace: 'fast' | 'default'; random?: () => number }) {
    this.#clock = options.clock;
    this.#stepMs = PACE_MS[options.pace];
    this.#random = options.random ?? Math.random;
  }

  get size(): number {
    return this.#jobs.size;
  }

  list(): SimJob[] {
    return [...this.#jobs.values()];
  }

  get(id: string): SimJob {
    const job = this.#jobs.get(id);
    if (!job) throw new Api3Error('ResourceNotFound.JobNotExist', `The migration job ${id} does not exist`);
    return job;
  }

  find(id: string): SimJob | undefined {
    return this.#jobs.get(id);
  }

  create(service: Pick<SimJob, 'name' | 'tags' | 'srcDatabaseType' | 'dstDatabaseType' | 'srcRegion' | 'dstRegion' | 'instanceClass'>): SimJob {
    const now = this.#clock.now();
    const job: SimJob = { ...service, id: this.#newId(), createdAt: now, updatedAt: now, status: 'creating', tradeStatus: this.newJobTradeStatus, steps: [], lagSeconds: 0, stoppedByUser: false };
    this.#jobs.set(job.id, job);
    this.#schedule(job);
    return job;
  }

  /** Refuse an operation the job's state does not allow. */
  require(job: SimJob, action: MigrationAction): void {
    if (allowedActions(job).includes(action)) return;
    if (job.tradeStatus !== 'normal' && job.tradeStatus !== 'notBilled') {
      throw new Api3Error('OperationDenied.JobOperationDeniedError', `The migration job ${job.id} is ${job.tradeStatus}: only ${allowedActions(job).join(', ') || 'waiting'} is possible`);
    }
    if (action === 'check' && !job.config) throw new Api3Error('FailedOperation.StatusInConflict', `The migration job ${job.id} is not configured: call ModifyMigrationJob first`);
    if (action === 'resume' && job.stoppedByUser) throw new Api3Error('OperationDenied.JobOperationDeniedError', `The migration job ${job.id} was stopped and cannot be resumed`);
    throw new Api3Error('FailedOperation.StatusInConflict', `The migration job ${job.id} is ${job.status}; ${action} is not possible now`);
  }

  configure(job: SimJob, config: NonNullable<SimJob['config']>): void {
    this.require(job, 'modify');
    job.config = config;
    if (config.JobName) job.name = config.JobName;
    if (config.Tags) job.tags = config.Tags;
    delete job.check;
    this.#set(job, 'created');
  }

  startCheck(job: SimJob): void {
    this.require(job, 'check');
    job.check = newCheckRun();
    this.#set(job, 'checking');
  }

  start(job: SimJob): void {
    this.require(job, 'start');
    job.steps = stepsFor(job.config!.MigrateOption.MigrateType);
    job.startedAt = this.#clock.now();
    this.#set(job, 'readyRun');
  }

  pause(job: SimJob): void {
    this.require(job, 'pause');
    job.pausedFrom = job.status === 'readyComplete' ? 'readyComplete' : 'running';
    this.#set(job, 'pausing');
  }

  continue(job: SimJob): void {
    this.require(job, 'continue');
    this.#set(job, job.pausedFrom ?? 'running');
    delete job.pausedFrom;
    this.#settleIncremental(job);
  }

  stop(job: SimJob): void {
    this.require(job, 'stop');
    this.#set(job, 'stopping');
  }

  complete(job: SimJob): void {
    this.require(job, 'complete');
    this.#set(job, 'completing');
  }

  resume(job: SimJob): void {
    this.require(job, 'resume');
    delete job.error;
    delete job.briefMsg;
    this.#set(job, 'resuming');
  }

  /** A notBilled job is destroyed at once; a billed one is isolated (then DestroyMigrateJob). */
  isolate(job: SimJob): void {
    this.require(job, 'isolate');
    if (job.tradeStatus === 'notBilled') {
      this.#remove(job);
      return;
    }
    job.tradeStatus = 'isolating';
    this.#touch(job);
  }

  destroy(job: SimJob): void {
    if (job.tradeStatus !== 'isolated') throw new Api3Error('OperationDenied.JobOperationDeniedError', `The migration job ${job.id} is not isolated: call IsolateMigrateJob first`);
    job.tradeStatus = 'offlining';
    this.#touch(job);
  }

  recover(job: SimJob): void {
    this.require(job, 'recover');
    job.tradeStatus = 'normal';
    delete job.isolatedAt;
    this.#touch(job);
  }

  /** Admin: the job fails on its own (a running step breaks). */
  fail(job: SimJob, error: { code?: string; message?: string; solution?: string }): void {
    if (!['readyRun', 'running', 'readyComplete', 'resuming'].includes(job.status)) {
      throw new Error(`job ${job.id} is ${job.status}: only a running job can fail`);
    }
    const step = job.steps.find((s) => s.Status === 'running');
    job.error = {
      code: error.code ?? 'MigrateError.FullMigrationError',
      message: error.message ?? 'The migration step failed',
      solution: error.solution ?? 'Fix the cause, then retry the task',
    };
    job.briefMsg = job.error.message;
    if (step) {
      step.Status = 'failed';
      step.StepMessage = job.error.message;
      step.Errors = [{ Message: job.error.message, Solution: job.error.solution }];
    }
    this.#set(job, 'failed');
  }

  /** Admin: how far the incremental step is behind the source. */
  setLag(job: SimJob, seconds: number): void {
    job.lagSeconds = seconds;
    this.#settleIncremental(job);
    this.#touch(job);
  }

  /** DescribeMigrationJobs filters; JobName matches as a substring, as the console's search does. */
  query(filter: { JobId?: string; JobName?: string; Status?: string[]; TagFilters?: TagFilter[] }, order: 'asc' | 'desc'): SimJob[] {
    const jobs = this.list().filter(
      (job) =>
        (!filter.JobId || job.id === filter.JobId) &&
        (!filter.JobName || job.name.includes(filter.JobName)) &&
        (!filter.Status?.length || filter.Status.includes(job.status)) &&
        (filter.TagFilters ?? []).every((f) => job.tags.some((t) => t.TagKey === f.TagKey && (!f.TagValue?.length || f.TagValue.includes(t.TagValue ?? '')))),
    );
    jobs.sort((a, b) => (a.createdAt - b.createdAt || a.id.localeCompare(b.id)) * (order === 'asc' ? 1 : -1));
    return jobs;
  }

  close(): void {
    for (const timer of this.#timers.values()) this.#clock.clearTimeout(timer);
    this.#timers.clear();
  }

  #newId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      let id = 'dts-';
      for (let i = 0; i < 8; i++) id += alphabet[Math.floor(this.#random() * alphabet.length)];
      if (!this.#jobs.has(id)) return id;
    }
  }

  #set(job: SimJob, status: SimJob['status']): void {
    job.status = status;
    this.#touch(job);
  }

  #touch(job: SimJob): void {
    job.updatedAt = this.#clock.now();
    this.#schedule(job);
  }

  #remove(job: SimJob): void {
    const timer = this.#timers.get(job.id);
    if (timer !== undefined) this.#clock.clearTimeout(timer);
    this.#timers.delete(job.id);
    this.#jobs.delete(job.id);
  }

  /** Something will happen without a further call: come back in one step. */
  #schedule(job: SimJob): void {
    if (this.#timers.has(job.id) || !this.#moving(job)) return;
    this.#timers.set(
      job.id,
      this.#clock.setTimeout(() => {
        this.#timers.delete(job.id);
        if (this.#jobs.get(job.id) !== job) return;
        this.#tick(job);
        this.#schedule(job);
      }, this.#stepMs),
    );
  }

  #moving(job: SimJob): boolean {
    if (job.tradeStatus === 'isolating' || job.tradeStatus === 'offlining') return true;
    if (['creating', 'checking', 'readyRun', 'stopping', 'completing', 'pausing', 'resuming'].includes(job.status)) return true;
    // Running: a full step still copies, or the incremental step has not caught up the first time.
    return job.status === 'running' && !(this.#streaming(job) && job.lagSeconds > CAUGHT_UP_SECONDS);
  }

  #tick(job: SimJob): void {
    const now = this.#clock.now();
    if (job.tradeStatus === 'isolating') {
      job.tradeStatus = 'isolated';
      job.isolatedAt = now;
      job.updatedAt = now;
      return;
    }
    if (job.tradeStatus === 'offlining') {
      this.#remove(job);
      return;
    }
    switch (job.status) {
      case 'creating':
        return this.#set(job, 'created');
      case 'checking':
        if (advanceCheck(job.check!, this.checkOutcome)) this.#set(job, job.check!.flag === 'checkPass' ? 'checkPass' : 'checkNotPass');
        return;
      case 'readyRun':
        if (job.config?.RunMode === 'timed' && job.config.ExpectRunTime && now < beijingTime(job.config.ExpectRunTime)) return;
        job.steps[0]!.Status = 'running';
        job.steps[0]!.StartTime = formatTime(now);
        return this.#set(job, 'running');
      case 'running':
        return this.#advanceSteps(job);
      case 'pausing':
        return this.#set(job, 'manualPaused');
      case 'stopping':
        job.stoppedByUser = true;
        job.briefMsg = 'The task was stopped by the user';
        job.endedAt = now;
        for (const step of job.steps) if (step.Status === 'running') step.Status = 'failed';
        return this.#set(job, 'failed');
      case 'completing':
        for (const step of job.steps) if (step.Status === 'running') Object.assign(step, { Status: 'success', Percent: 100 });
        job.endedAt = now;
        return this.#set(job, 'success');
      case 'resuming': {
        const broken = job.steps.find((s) => s.Status === 'failed');
        if (broken) Object.assign(broken, { Status: 'running', StepMessage: '', Errors: [] });
        this.#set(job, 'running');
        return this.#settleIncremental(job);
      }
      default:
        return;
    }
  }

  #advanceSteps(job: SimJob): void {
    const step = job.steps.find((s) => s.Status === 'running');
    if (!step) return;
    if (step.StepId === INCREMENTAL_STEP_ID) return this.#settleIncremental(job);
    step.Percent = Math.min(100, (step.Percent ?? 0) + PERCENT_PER_TICK);
    if (step.Percent < 100) return this.#touch(job);
    step.Status = 'success';
    const next = job.steps.find((s) => s.Status === 'notStarted');
    if (!next) {
      job.endedAt = this.#clock.now();
      return this.#set(job, 'success');
    }
    next.Status = 'running';
    next.StartTime = formatTime(this.#clock.now());
    this.#touch(job);
  }

  #streaming(job: SimJob): boolean {
    return job.steps.some((s) => s.StepId === INCREMENTAL_STEP_ID && s.Status === 'running');
  }

  /** In the incremental step the job is readyComplete while caught up, running while behind. */
  #settleIncremental(job: SimJob): void {
    if (!this.#streaming(job) || (job.status !== 'running' && job.status !== 'readyComplete')) return;
    const next = job.lagSeconds <= CAUGHT_UP_SECONDS ? 'readyComplete' : 'running';
    if (next !== job.status) this.#set(job, next);
  }
}

/** 'yyyy-mm-dd hh:mm:ss' in Beijing time, as DTS writes times. */
export function formatTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

function beijingTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}
