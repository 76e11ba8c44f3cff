import { randomBytes } from 'node:crypto';
import type {
  CreateMigrateJobRequest,
  DescribeMigrateCheckJobResponse,
  DescribeMigrateJobsRequest,
  DescribeMigrateJobsResponse,
  MigrateJobInfo,
  MigrateStepDetailInfo,
  ModifyMigrateJobRequest,
} from '../../controller/src/providers/tencent-dts-legacy/api-types.ts';
import type { Clock, TimerHandle } from '../../engine/src/clock.ts';
import { Api3Error } from '../tencent-api3/server.ts';
import { checkConfiguration, jobName } from './request-validation.ts';

/**
 * The migrate jobs of one simulated account and their state machine (DTS 2018-03-30):
 *
 *   CreateMigrateJob → 1 ─CreateMigrateCheckJob→ 3 Checking → 4 CheckPass | 5 CheckNotPass
 *   4 ─StartMigrateJob→ 7 Running (Detail.Progress grows) → 8 ReadyComplete
 *   8 ─CompleteMigrateJob→ 12 Completing → 9 Success
 *   7, 8 ─StopMigrateJob→ 11 Stopping → 10 Failed (a cancelled migration ends Failed)
 *   1, 4, 5, 10 ─ModifyMigrateJob→ 1 (a modified job must be checked again)
 *   DeleteMigrateJob: any status but 3, 7, 8, 11, 12; the job is gone from DescribeMigrateJobs.
 *
 * Every timed step goes through the Clock. A call in a status that does not allow it fails with
 * FailedOperation.NotAllowOperation; an unknown JobId with ResourceNotFound.
 */

export interface MigratePace {
  /** One step of the check, of the copy (progress +25%), of stopping or completing. */
  stepMs: number;
}

export const FAST_PACE: MigratePace = { stepMs: 30 };
export const DEFAULT_PACE: MigratePace = { stepMs: 2_000 };

export interface CheckOutcome {
  passed: boolean;
  errorCode?: number;
  errorMessage?: string;
}

export interface SimMigrateJob {
  id: string;
  /** Creation order, to keep listings stable within one CreateTime second. */
  seq: number;
  config: CreateMigrateJobRequest;
  status: number;
  createTime: string;
  startTime?: string;
  endTime?: string;
  progress: number;
  /** SecondsBehindMaster while streaming (8, full + incremental). */
  lagSeconds: number;
  /** An admin hold: the copy does not advance. */
  held: boolean;
  check: Omit<DescribeMigrateCheckJobResponse, 'RequestId'>;
  errorLogs: string[];
  timer?: TimerHandle;
}

const NOT_CHECKED: SimMigrateJob['check'] = { Status: 'unavailable', ErrorCode: 0, ErrorMessage: '', Progress: '0', CheckFlag: 3 };
const STATUS_NAMES: Record<number, string> = { 1: 'Creating', 3: 'Checking', 4: 'CheckPass', 5: 'CheckNotPass', 7: 'Running', 8: 'ReadyComplete', 9: 'Success', 10: 'Failed', 11: 'Stopping', 12: 'Completing', 23: 'Unknown' };
const ZERO_TIME = '0000-00-00 00:00:00';
const ORDERS = ['JobId', 'Status', 'JobName', 'MigrateType', 'RunMode', 'CreateTime'];
/** Created, not yet running: what LimitExceeded.MaxUnusedJobs counts. */
const UNUSED = new Set([1, 3, 4, 5]);

export class MigrateJobStore {
  readonly #clock: Clock;
  readonly #jobs = new Map<string, SimMigrateJob>();
  #pace: MigratePace;
  #seq = 0;
  /** What the next checks conclude (admin /_sim/check-outcome). */
  checkOutcome: CheckOutcome = { passed: true };
  /** LimitExceeded.MaxUnusedJobs beyond this many created, never started jobs. */
  maxUnusedJobs = 50;
  /** Jobs started while this is set hold their copy at this percentage (admin /_sim/hold-progress). */
  holdStartsAt: number | undefined;

  constructor(options: { clock: Clock; pace: MigratePace }) {
    this.#clock = options.clock;
    this.#pace = options.pace;
  }

  get(id: string): SimMigrateJob | undefined {
    return this.#jobs.get(id);
  }

  list(): SimMigrateJob[] {
    return [...this.#jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  create(request: CreateMigrateJobRequest): string {
    jobName(request.JobName);
    checkConfiguration(request);
    if (this.list().some((j) => j.config.JobName === request.JobName)) {
      throw new Api3Error('InternalError.DuplicateJob', `A migration task named ${request.JobName} already exists`);
    }
    if (this.list().filter((j) => UNUSED.has(j.status)).length >= this.maxUnusedJobs) {
      throw new Api3Error('LimitExceeded.MaxUnusedJobs', `The account already has ${this.maxUnusedJobs} migration tasks that were never started; start or delete some`);
    }
    const id = this.#newId();
    this.#jobs.set(id, {
      id,
      seq: this.#seq++,
      config: structuredClone(request),
      status: 1,
      createTime: this.#time(),
      progress: 0,
      lagSeconds: 0,
      held: false,
      check: { ...NOT_CHECKED },
      errorLogs: [],
    });
    return id;
  }

  modify(request: ModifyMigrateJobRequest): void {
    const job = this.#job(request.JobId, 'ModifyMigrateJob', [1, 4, 5, 10]);
    const { JobId: _id, ...changes } = request;
    if (changes.JobName !== undefined) {
      jobName(changes.JobName);
      if (this.list().some((j) => j.id !== job.id && j.config.JobName === changes.JobName)) {
        throw new Api3Error('InternalError.DuplicateJob', `A migration task named ${changes.JobName} already exists`);
      }
    }
    if (changes.DstInfo && changes.DstInfo.Region !== job.config.DstInfo.Region) {
      throw new Api3Error('InvalidParameter', 'DstInfo.Region cannot be modified');
    }
    const merged: CreateMigrateJobRequest = { ...job.config, ...structuredClone(changes) };
    if (changes.MigrateOption?.MigrateObject === 1 && changes.DatabaseInfo === undefined) delete merged.DatabaseInfo;
    checkConfiguration(merged);
    job.config = merged;
    // "After a successful check, a modified task must be checked again before it can start."
    job.status = 1;
    job.check = { ...NOT_CHECKED };
    job.errorLogs = [];
  }

  startCheck(id: string): void {
    const job = this.#job(id, 'CreateMigrateCheckJob', [1, 4, 5]);
    job.status = 3;
    job.check = { Status: 'starting', ErrorCode: 0, ErrorMessage: '', Progress: '0', CheckFlag: 3 };
    this.#after(job, () => {
      job.check = { ...job.check, Status: 'running', Progress: '50' };
      this.#after(job, () => this.#finishCheck(job));
    });
  }

  checkResult(id: string): SimMigrateJob['check'] {
    return { ...this.#job(id, 'DescribeMigrateCheckJob').check };
  }

  start(id: string): void {
    const job = this.#job(id, 'StartMigrateJob', [4]);
    job.status = 7;
    job.startTime = this.#time();
    job.progress = this.holdStartsAt ?? 0;
    if (this.holdStartsAt !== undefined) job.held = true;
    const option = job.config.MigrateOption;
    const runAt = option.RunMode === 2 && option.ExpectTime ? Date.parse(`${option.ExpectTime.replace(' ', 'T')}Z`) : NaN;
    const wait = Number.isFinite(runAt) ? Math.max(this.#pace.stepMs, runAt - this.#clock.now()) : this.#pace.stepMs;
    this.#schedule(job, wait, () => this.#advance(job));
  }

  stop(id: string): void {
    const job = this.#job(id, 'StopMigrateJob', [7, 8]);
    job.status = 11;
    this.#after(job, () => {
      job.status = 10;
      job.endTime = this.#time();
      job.errorLogs = ['The migration was cancelled by StopMigrateJob'];
    });
  }

  complete(id: string, mode: unknown): void {
    if (mode !== undefined && mode !== 'waitForSync' && mode !== 'immediately') {
      throw new Api3Error('InvalidParameter', 'CompleteMode must be waitForSync or immediately');
    }
    const job = this.#job(id, 'CompleteMigrateJob', [8]);
    job.status = 12;
    this.#after(job, () => {
      job.lagSeconds = 0;
      job.status = 9;
      job.endTime = this.#time();
    });
  }

  delete(id: string): void {
    const job = this.#job(id, 'DeleteMigrateJob');
    if ([3, 7, 8, 11, 12].includes(job.status)) throw notAllowed(job, 'DeleteMigrateJob');
    this.#cancelTimer(job);
    this.#jobs.delete(id);
  }

  describe(request: DescribeMigrateJobsRequest): DescribeMigrateJobsResponse {
    const offset = request.Offset ?? 0;
    const limit = request.Limit ?? 20;
    if (!Number.isInteger(offset) || offset < 0) throw new Api3Error('InvalidParameter', 'Offset must be an integer >= 0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Api3Error('InvalidParameter', 'Limit must be an integer from 1 to 100');
    const order = request.Order ?? 'CreateTime';
    if (!ORDERS.includes(order)) throw new Api3Error('InvalidParameter', `Order must be one of ${ORDERS.join(', ')}`);
    const seq = request.OrderSeq ?? 'DESC';
    if (seq !== 'ASC' && seq !== 'DESC') throw new Api3Error('InvalidParameter', 'OrderSeq must be ASC or DESC');
    const matching = this.list().filter((j) => (request.JobId === undefined || j.id === request.JobId) && (request.JobName === undefined || j.config.JobName === request.JobName));
    const key = (j: SimMigrateJob): string | number => {
      switch (order) {
        case 'JobId':
          return j.id;
        case 'Status':
          return j.status;
        case 'JobName':
          return j.config.JobName;
        case 'MigrateType':
          return j.config.MigrateOption.MigrateType ?? 0;
        case 'RunMode':
          return j.config.MigrateOption.RunMode;
        default:
          return j.seq;
      }
    };
    matching.sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      const c = x < y ? -1 : x > y ? 1 : a.seq - b.seq;
      return seq === 'ASC' ? c : -c;
    });
    return { TotalCount: matching.length, JobList: matching.slice(offset, offset + limit).map((j) => this.#info(j)) };
  }

  // Admin hooks (tests, trying by hand).

  fail(id: string, errorLog: string): void {
    const job = this.#job(id, 'fail');
    this.#cancelTimer(job);
    job.status = 10;
    job.endTime = this.#time();
    job.errorLogs = [errorLog];
  }

  setProgress(id: string, percent: number, hold: boolean | undefined): void {
    const job = this.#job(id, 'progress');
    job.progress = Math.max(0, Math.min(100, Math.round(percent)));
    if (hold !== undefined) job.held = hold;
    if (job.status === 7 && !job.held && job.timer === undefined) this.#schedule(job, this.#pace.stepMs, () => this.#advance(job));
  }

  setLag(id: string, seconds: number): void {
    this.#job(id, 'lag').lagSeconds = Math.max(0, seconds);
  }

  setPace(pace: MigratePace): void {
    this.#pace = pace;
  }

  close(): void {
    for (const job of this.#jobs.values()) this.#cancelTimer(job);
  }

  #finishCheck(job: SimMigrateJob): void {
    const outcome = this.checkOutcome;
    job.status = outcome.passed ? 4 : 5;
    job.check = outcome.passed
      ? { Status: 'finished', ErrorCode: 0, ErrorMessage: 'ok', Progress: '100', CheckFlag: 1 }
      : { Status: 'finished', ErrorCode: outcome.errorCode ?? -1, ErrorMessage: outcome.errorMessage ?? 'The migration check did not pass', Progress: '100', CheckFlag: 0 };
  }

  /** One copy step: +25%; at 100% the job is ready to complete (a full + incremental one streams). */
  #advance(job: SimMigrateJob): void {
    if (job.status !== 7 || job.held) return;
    job.progress = Math.min(100, job.progress + 25);
    if (job.progress >= 100) {
      job.status = 8;
      return;
    }
    this.#schedule(job, this.#pace.stepMs, () => this.#advance(job));
  }

  #info(j: SimMigrateJob): MigrateJobInfo {
    const { Password: _sp, ...src } = j.config.SrcInfo;
    const { Password: _dp, ...dst } = j.config.DstInfo;
    const streaming = j.status === 8 && j.config.MigrateOption.MigrateType === 3;
    const steps = this.#steps(j);
    return {
      JobId: j.id,
      JobName: j.config.JobName,
      MigrateOption: { ExpectTime: ZERO_TIME, ConsistencyType: 1, IsOverrideRoot: 0, ExternParams: '[]', ...j.config.MigrateOption },
      SrcDatabaseType: j.config.SrcDatabaseType,
      SrcAccessType: j.config.SrcAccessType,
      // Passwords are never returned (the published example answers them empty).
      SrcInfo: { ...src, Password: '' },
      DstDatabaseType: j.config.DstDatabaseType,
      DstAccessType: j.config.DstAccessType,
      DstInfo: { ...dst, Password: '' },
      DatabaseInfo: j.config.DatabaseInfo ?? '[]',
      CreateTime: j.createTime,
      StartTime: j.startTime ?? ZERO_TIME,
      EndTime: j.endTime ?? ZERO_TIME,
      Status: j.status,
      Detail: {
        StepAll: steps.length,
        StepNow: Math.min(steps.length, steps.filter((s) => s.Status === 1).length + 1),
        Progress: String([8, 9, 12].includes(j.status) ? 100 : j.progress),
        CurrentStepProgress: String([8, 9, 12].includes(j.status) ? 100 : j.progress),
        MasterSlaveDistance: streaming ? Math.ceil(j.lagSeconds / 10) : 0,
        SecondsBehindMaster: streaming ? j.lagSeconds : 0,
        StepInfo: steps,
      },
      ErrorInfo: j.errorLogs.map((log) => ({ ErrorLog: log, HelpDoc: '' })),
    };
  }

  /**
   * Structure, full data, then (MigrateType 3) incremental. Step Status: 1 succeeded, 2 failed,
   * 3 running, 4 not run. The copy steps share the progress range evenly.
   */
  #steps(j: SimMigrateJob): MigrateStepDetailInfo[] {
    const type = j.config.MigrateOption.MigrateType ?? 2;
    const copy: [string, string][] = type === 1 ? [['structure', 'Structure migration']] : [['structure', 'Structure migration'], ['fullData', 'Full data migration']];
    const started = [7, 8, 9, 10, 11, 12].includes(j.status);
    const copied = [8, 9, 12].includes(j.status);
    const share = 100 / copy.length;
    const steps = copy.map(([id, name], i): MigrateStepDetailInfo => {
      let status = 4;
      if (copied) status = 1;
      else if (started) {
        const done = j.progress >= (i + 1) * share;
        const running = !done && j.progress >= i * share;
        status = done ? 1 : running ? (j.status === 10 ? 2 : 3) : 4;
      }
      return { StepNo: i + 1, StepName: name, StepId: id, Status: status, StartTime: started ? (j.startTime ?? ZERO_TIME) : '' };
    });
    if (type === 3) {
      const status = j.status === 9 ? 1 : j.status === 8 || j.status === 12 ? 3 : 4;
      steps.push({ StepNo: steps.length + 1, StepName: 'Incremental sync', StepId: 'incremental', Status: status, StartTime: started ? (j.startTime ?? ZERO_TIME) : '' });
    }
    return steps;
  }

  #job(id: unknown, action: string, allowed?: number[]): SimMigrateJob {
    if (typeof id !== 'string' || id === '') throw new Api3Error('InvalidParameter', 'JobId is required: the ID of the data migration task (dts-xxxxxxxx)');
    const job = this.#jobs.get(id);
    if (!job) throw new Api3Error('ResourceNotFound', `The migration task ${id} does not exist`);
    if (allowed && !allowed.includes(job.status)) throw notAllowed(job, action);
    return job;
  }

  #after(job: SimMigrateJob, step: () => void): void {
    this.#schedule(job, this.#pace.stepMs, step);
  }

  #schedule(job: SimMigrateJob, ms: number, step: () => void): void {
    this.#cancelTimer(job);
    job.timer = this.#clock.setTimeout(() => {
      job.timer = undefined;
      if (this.#jobs.get(job.id) === job) step();
    }, ms);
  }

  #cancelTimer(job: SimMigrateJob): void {
    if (job.timer !== undefined) this.#clock.clearTimeout(job.timer);
    job.timer = undefined;
  }

  #newId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      const id = `dts-${[...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join('')}`;
      if (!this.#jobs.has(id)) return id;
    }
  }

  /** yyyy-mm-dd hh:mm:ss (UTC+8, as the API answers in Beijing time). */
  #time(): string {
    return new Date(this.#clock.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  }
}

function notAllowed(job: SimMigrateJob, action: string): Api3Error {
  return new Api3Error('FailedOperation.NotAllowOperation', `The migration task ${job.id} is in status ${job.status} (${STATUS_NAMES[job.status] ?? 'Unknown'}), which does not allow ${action}`);
}
