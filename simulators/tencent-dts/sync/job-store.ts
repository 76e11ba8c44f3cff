import type { Clock, TimerHandle } from '../../../engine/src/clock.ts';
import { Api3Error } from '../../tencent-api3/server.ts';
import { advanceCheck, newCheck, runSteps, type CheckOutcome } from './check-steps.ts';
import { DEFAULT_RATE_LIMIT, type RateLimit, type SimSyncJob, type SyncConfig } from './model.ts';
import type { SyncPace } from './pace.ts';
import { jobNotExist } from './rules.ts';
import type { CreateInput } from './validation.ts';

/**
 * The simulated jobs and the clock-driven transitions between their statuses. Each job has at
 * most one pending transition (a check step, start, a run step, pause, stop, billing); an action
 * that changes course replaces it. Handlers check the rules (rules.ts) before calling in here.
 */
export class SyncJobStore {
  readonly jobs = new Map<string, SimSyncJob>();
  /** LimitExceeded.MaxUnusedJobs beyond this many UnInitialized jobs (admin sync/limits). */
  maxUnusedJobs = 50;
  readonly #timers = new Map<string, TimerHandle>();
  readonly #clock: Clock;
  readonly #pace: SyncPace;
  readonly #random: () => number;

  constructor(clock: Clock, pace: SyncPace, random: () => number) {
    this.#clock = clock;
    this.#pace = pace;
    this.#random = random;
  }

  /** A job visible to a caller in `region` (jobs are regional; no region header sees all). */
  get(jobId: unknown, region?: string): SimSyncJob {
    const job = typeof jobId === 'string' ? this.jobs.get(jobId) : undefined;
    if (!job || (region && job.region && job.region !== region)) throw jobNotExist(jobId);
    return job;
  }

  create(input: CreateInput, region: string | undefined): SimSyncJob[] {
    const unused = [...this.jobs.values()].filter((j) => j.Status === 'UnInitialized' && j.TradeStatus !== 'Isolating').length;
    if (unused + input.Count > this.maxUnusedJobs) {
      throw new Api3Error('LimitExceeded.MaxUnusedJobs', `There are ${unused} unconfigured sync jobs; at most ${this.maxUnusedJobs} are allowed: configure or isolate some first`);
    }
    const created: SimSyncJob[] = [];
    for (let i = 0; i < input.Count; i++) {
      const { Count: _count, ...fields } = input;
      const job: SimSyncJob = {
        ...fields,
        JobId: this.#newId(),
        region,
        createdAt: this.#clock.now(),
        Status: 'UnInitialized',
        // Pay-as-you-go billing starts with the run; a subscription is paid at purchase.
        TradeStatus: input.PayMode === 'PostPay' ? 'NotBilled' : 'Normal',
        run: [],
        rateLimit: { ...DEFAULT_RATE_LIMIT, userSet: false },
        delaySeconds: 0,
      };
      this.jobs.set(job.JobId, job);
      created.push(job);
    }
    return created;
  }

  configure(job: SimSyncJob, config: SyncConfig, name: string | undefined): void {
    this.#cancel(job);
    job.config = config;
    if (name) job.JobName = name;
    job.Status = 'Initialized';
    delete job.check;
    job.run = runSteps(config.Options.InitType);
  }

  startCheck(job: SimSyncJob, outcome: CheckOutcome): void {
    job.Status = 'Checking';
    job.check = newCheck();
    const snapshot: CheckOutcome = structuredClone(outcome);
    const tick = () => {
      if (job.Status !== 'Checking' || !job.check) return;
      if (!advanceCheck(job.check, snapshot)) return this.#after(job, this.#pace.checkStepMs, tick);
      job.Status = job.check.Status === 'success' ? 'CheckPass' : 'CheckNotPass';
    };
    this.#after(job, this.#pace.checkStepMs, tick);
  }

  start(job: SimSyncJob): void {
    job.Status = 'ReadyRunning';
    job.startedAt = this.#clock.now();
    if (job.TradeStatus === 'NotBilled') job.TradeStatus = 'Normal';
    this.#after(job, this.#pace.startMs, () => this.#run(job));
  }

  pause(job: SimSyncJob): void {
    job.Status = 'Pausing';
    const step = currentStep(job);
    if (step) step.Status = 'paused';
    this.#after(job, this.#pace.settleMs, () => {
      job.Status = 'Paused';
    });
  }

  continue(job: SimSyncJob): void {
    this.#run(job);
  }

  resume(job: SimSyncJob): void {
    job.Status = 'Resuming';
    delete job.ErrInfo;
    this.#after(job, this.#pace.startMs, () => this.#run(job));
  }

  stop(job: SimSyncJob): void {
    job.Status = 'Stopping';
    this.#after(job, this.#pace.settleMs, () => {
      job.Status = 'Stopped';
      job.endedAt = this.#clock.now();
      const step = currentStep(job);
      if (step) step.Status = 'finished';
    });
  }

  /** A failure injected by the admin hook: ResumableErr (ResumeSyncJob helps) or Failed. */
  fail(job: SimSyncJob, error: { resumable: boolean; Reason: string; Message: string; Solution: string }): void {
    this.#cancel(job);
    job.Status = error.resumable ? 'ResumableErr' : 'Failed';
    job.ErrInfo = { Reason: error.Reason, Message: error.Message, Solution: error.Solution };
    const step = currentStep(job);
    if (step) step.Status = 'failed';
    if (!error.resumable) job.endedAt = this.#clock.now();
  }

  /** A job never billed is released at once and disappears; a billed one isolates. */
  isolate(job: SimSyncJob): void {
    this.#cancel(job);
    if (job.TradeStatus === 'NotBilled') {
      job.Status = 'Released';
      this.#after(job, this.#pace.billingMs, () => this.#remove(job));
      return;
    }
    job.TradeStatus = 'Isolating';
    this.#after(job, this.#pace.billingMs, () => {
      job.TradeStatus = 'Isolated';
    });
  }

  destroy(job: SimSyncJob): void {
    job.TradeStatus = 'Offlining';
    this.#after(job, this.#pace.billingMs, () => {
      job.TradeStatus = 'Offlined';
      job.Status = 'Released';
      this.#after(job, this.#pace.billingMs, () => this.#remove(job));
    });
  }

  setRateLimit(job: SimSyncJob, limit: Partial<Omit<RateLimit, 'userSet'>>): void {
    job.rateLimit = { ...job.rateLimit, ...limit, userSet: true };
  }

  close(): void {
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
  }

  /** Running: advance one step (or a quarter of the data step) per tick until the incremental step. */
  #run(job: SimSyncJob): void {
    job.Status = 'Running';
    const tick = () => {
      if (job.Status !== 'Running') return;
      let step = currentStep(job);
      if (!step) {
        step = job.run[0];
        if (!step) return;
      }
      step.Status = 'running';
      if (step === job.run[job.run.length - 1]) {
        step.Progress = -1;
        return;
      }
      step.Progress = Math.min(100, step.Progress + (step.StepId === 'FullDataSync' ? 25 : 100));
      if (step.Progress >= 100) {
        step.Status = 'finished';
        const next = job.run[job.run.indexOf(step) + 1];
        if (next) next.Status = 'running';
        if (next === job.run[job.run.length - 1] && next) next.Progress = -1;
      }
      if (currentStep(job) !== job.run[job.run.length - 1]) this.#after(job, this.#pace.runStepMs, tick);
    };
    this.#after(job, this.#pace.runStepMs, tick);
  }

  #after(job: SimSyncJob, ms: number, fn: () => void): void {
    this.#cancel(job);
    const handle = this.#clock.setTimeout(() => {
      this.#timers.delete(job.JobId);
      if (this.jobs.get(job.JobId) === job) fn();
    }, ms);
    this.#timers.set(job.JobId, handle);
  }

  #cancel(job: SimSyncJob): void {
    const handle = this.#timers.get(job.JobId);
    if (handle !== undefined) this.#clock.clearTimeout(handle);
    this.#timers.delete(job.JobId);
  }

  #remove(job: SimSyncJob): void {
    this.#cancel(job);
    this.jobs.delete(job.JobId);
  }

  #newId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let attempt = 0; attempt < 1000; attempt++) {
      let id = 'sync-';
      for (let i = 0; i < 8; i++) id += alphabet[Math.floor(this.#random() * alphabet.length)];
      if (!this.jobs.has(id)) return id;
    }
    throw new Error('could not draw an unused sync job ID: is the random source constant?');
  }
}

/** The step in progress (running or paused), else the last finished one's successor. */
export function currentStep(job: SimSyncJob) {
  return job.run.find((s) => s.Status === 'running' || s.Status === 'paused' || s.Status === 'failed');
}
