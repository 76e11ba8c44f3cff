import { ENGINE_TYPES } from '../../../controller/src/providers/huawei-drs/enums.ts';
import type { ConnectionTarget, ConnectionTestResult, Executor, ExecutorHost, JobContext, ProgressReport } from '../executor.ts';
import type { ExecutorEvent, JobRecord } from '../job.ts';
import { stateViewOf } from '../job-transitions.ts';
import { failureStatusFor } from '../state-machine.ts';
import { messageFor } from '../drs-errors.ts';
import { type EndpointType, type JobStatus, type PauseMode, type PrecheckMode } from '../statuses.ts';
import { OutcomeRules, type OutcomeMatch } from './outcome-rules.ts';
import { precheckItems, type PrecheckOverride } from './precheck-catalog.ts';

/**
 * A data plane that only pretends: every asynchronous step is a scheduled event after a
 * configurable delay, progress is computed from the clock, and outcomes (failed pre-check
 * items, connection errors, creation/stop failures, failures of running tasks, replication
 * lag) are set from outside through `controls` (the /_sim admin API) or by input conventions:
 *
 * - connection test to an address in 192.0.2.0/24 (TEST-NET-1) → DRS.KE001 (network);
 *   password "wrong-password" → DRS.KE002 (username or password incorrect);
 * - source db_user "no-privilege" → pre-check item srcDbPrivilegesIsEnoughForIncre FAILED.
 */
export interface SimulatedDelays {
  /** CREATING → CONFIGURATION. */
  createMs: number;
  /** Pre-check 0% → 100%. */
  precheckMs: number;
  /** STARTJOBING → FULL_TRANSFER_STARTED (or INCRE_TRANSFER_STARTED for INCR_TRANS). */
  startMs: number;
  /** FULL_TRANSFER_STARTED → FULL_TRANSFER_COMPLETE (progress climbs 0 → 100 meanwhile). */
  fullTransferMs: number;
  /** FULL_TRANSFER_COMPLETE → INCRE_TRANSFER_STARTED for FULL_INCR_TRANS. */
  fullToIncrementalMs: number;
  /** PAUSING (in progress) → paused. */
  pauseMs: number;
  /** RELEASE_RESOURCE_STARTED → RELEASE_RESOURCE_COMPLETE. */
  releaseMs: number;
  /** Same, for force_terminate. */
  forceReleaseMs: number;
}

/** Roughly DRS-like pacing, compressed: a job is replicating about 15 s after start. */
export const DEFAULT_SIMULATED_DELAYS: SimulatedDelays = {
  createMs: 2000,
  precheckMs: 3000,
  startMs: 2000,
  fullTransferMs: 10_000,
  fullToIncrementalMs: 1000,
  pauseMs: 1000,
  releaseMs: 2000,
  forceReleaseMs: 500,
};

/** For tests and benchmarks: every step in tens of milliseconds. */
export const FAST_SIMULATED_DELAYS: SimulatedDelays = {
  createMs: 20,
  precheckMs: 30,
  startMs: 20,
  fullTransferMs: 100,
  fullToIncrementalMs: 10,
  pauseMs: 20,
  releaseMs: 20,
  forceReleaseMs: 10,
};

export interface SimulatedExecutorOptions {
  delays?: Partial<SimulatedDelays>;
  /** engine_type values accepted at creation (default: the seed's list). */
  engines?: readonly string[];
  /** Incremental replication delay reported for every job unless set per job (default 0). */
  defaultLagMs?: number;
}

/** A failure to hand out: DRS error code and message. */
export interface SimulatedFailure {
  errorCode: string;
  errorMsg?: string;
}

/** When a started task should fail: at start, mid-way through the full phase, or after incremental began. */
export interface FailurePlan extends SimulatedFailure {
  phase: 'start' | 'full' | 'incremental';
  /** Delay after the phase began (default: half the full phase, or pauseMs after incremental began). */
  afterMs?: number;
}

/** Persisted per job (JobRecord.exec). */
interface SimState {
  fullTotalMs: number;
  /** Full-phase time already done while not running. */
  fullDoneMs: number;
  /** When the full phase (re)started running; undefined while frozen. */
  fullRunningSince?: number;
  lagMs?: number;
  precheck?: { startedAt: number; durationMs: number };
}

export class SimulatedExecutor implements Executor {
  readonly kind = 'simulated';
  readonly delays: SimulatedDelays;
  private readonly engines: ReadonlySet<string>;
  private readonly defaultLagMs: number;
  private host: ExecutorHost | undefined;

  readonly precheckOutcomes = new OutcomeRules<PrecheckOverride[]>();
  readonly connectionOutcomes = new OutcomeRules<SimulatedFailure>();
  readonly createOutcomes = new OutcomeRules<SimulatedFailure>();
  readonly releaseOutcomes = new OutcomeRules<SimulatedFailure>();
  readonly failurePlans = new OutcomeRules<FailurePlan>();

  constructor(options: SimulatedExecutorOptions = {}) {
    this.delays = { ...DEFAULT_SIMULATED_DELAYS, ...options.delays };
    this.engines = new Set(options.engines ?? ENGINE_TYPES);
    this.defaultLagMs = options.defaultLagMs ?? 0;
  }

  attach(host: ExecutorHost): void {
    this.host = host;
  }

  supportsEngine(engineType: string): boolean {
    return this.engines.has(engineType);
  }

  async provision(job: Readonly<JobRecord>, ctx: JobContext): Promise<void> {
    ctx.setState(initialState(this.delays));
    const at = ctx.now() + this.delays.createMs;
    const failure = this.createOutcomes.take({ jobId: job.id, name: job.name });
    if (failure) ctx.schedule(at, failedEvent(failure));
    else ctx.schedule(at, { type: 'status', to: 'CONFIGURATION' });
  }

  async testConnection(job: Readonly<JobRecord>, endpoint: ConnectionTarget): Promise<ConnectionTestResult> {
    const ruled = this.connectionOutcomes.take({ jobId: job.id, name: job.name, endpointType: endpoint.end_point_type });
    if (ruled) return { success: false, errorCode: ruled.errorCode, errorMsg: ruled.errorMsg ?? messageFor(ruled.errorCode) };
    const ip = String(endpoint.ip ?? '');
    if (/(^|[,\s])192\.0\.2\.\d+/.test(ip)) return connectionFailure('DRS.KE001');
    if (endpoint.db_password === 'wrong-password') return connectionFailure('DRS.KE002');
    return { success: true };
  }

  async precheck(job: Readonly<JobRecord>, _mode: PrecheckMode, ctx: JobContext): Promise<void> {
    const overrides = [...(this.precheckOutcomes.take({ jobId: job.id, name: job.name }) ?? [])];
    if (job.source.db_user === 'no-privilege') {
      overrides.push({ item: 'srcDbPrivilegesIsEnoughForIncre', result: 'FAILED', failed_reason: 'SRC_DB_USER_PRIVILEGE_NOT_ENOUGH' });
    }
    const now = ctx.now();
    const state = stateOf(job, this.delays);
    state.precheck = { startedAt: now, durationMs: this.delays.precheckMs };
    ctx.setState(state);
    ctx.schedule(now + this.delays.precheckMs, { type: 'precheckCompleted', items: precheckItems(job.engineType, overrides) });
  }

  precheckProgress(job: Readonly<JobRecord>, now: number): number {
    const run = stateOf(job, this.delays).precheck;
    if (!run || run.durationMs <= 0) return 0;
    // The last percent belongs to the completion event, so "100%" always comes with results.
    return Math.max(0, Math.min(99, Math.floor(((now - run.startedAt) / run.durationMs) * 100)));
  }

  async start(job: Readonly<JobRecord>, options: { startAt?: number }, ctx: JobContext): Promise<void> {
    const now = ctx.now();
    const state = stateOf(job, this.delays);
    state.fullTotalMs = this.delays.fullTransferMs;
    state.fullDoneMs = 0;
    delete state.fullRunningSince;
    const begin = now + this.delays.startMs;
    let transferAt = begin;
    if (options.startAt !== undefined && options.startAt > begin) {
      ctx.schedule(begin, { type: 'status', to: 'WAITING_FOR_START' });
      transferAt = options.startAt;
    }
    const plan = this.failurePlans.take({ jobId: job.id, name: job.name });
    if (plan?.phase === 'start') {
      ctx.setState(state);
      ctx.schedule(begin + (plan.afterMs ?? 0), failedEvent(plan));
      return;
    }
    this.scheduleTransfer(job, state, transferAt, ctx, plan);
    ctx.setState(state);
  }

  async pause(job: Readonly<JobRecord>, _mode: PauseMode, ctx: JobContext): Promise<void> {
    const state = freeze(stateOf(job, this.delays), job, ctx.now());
    ctx.setState(state);
    ctx.schedule(ctx.now() + this.delays.pauseMs, { type: 'paused' });
  }

  async resume(job: Readonly<JobRecord>, ctx: JobContext): Promise<void> {
    const now = ctx.now();
    const state = freeze(stateOf(job, this.delays), job, now);
    if (job.status === 'STARTJOBING') {
      state.fullDoneMs = 0;
      this.scheduleTransfer(job, state, now + this.delays.startMs, ctx, undefined);
    } else if (job.status === 'FULL_TRANSFER_STARTED') {
      this.scheduleFullRemainder(job, state, now, ctx, undefined);
    }
    // INCRE_TRANSFER_STARTED: nothing left to schedule; replication simply goes on.
    ctx.setState(state);
  }

  async stop(job: Readonly<JobRecord>, options: { force: boolean }, ctx: JobContext): Promise<void> {
    const now = ctx.now();
    ctx.setState(freeze(stateOf(job, this.delays), job, now));
    const at = now + (options.force ? this.delays.forceReleaseMs : this.delays.releaseMs);
    const failure = this.releaseOutcomes.take({ jobId: job.id, name: job.name });
    if (failure) ctx.schedule(at, failedEvent(failure));
    else ctx.schedule(at, { type: 'status', to: 'RELEASE_RESOURCE_COMPLETE' });
  }

  async remove(_job: Readonly<JobRecord>, ctx: JobContext): Promise<void> {
    ctx.setState(undefined);
  }

  async changePassword(_job: Readonly<JobRecord>, _endpointType: EndpointType, password: string): Promise<ConnectionTestResult> {
    return password === 'wrong-password' ? connectionFailure('DRS.KE002') : { success: true };
  }

  progress(job: Readonly<JobRecord>, now: number): ProgressReport {
    const state = stateOf(job, this.delays);
    const total = Math.max(1, state.fullTotalMs);
    const phaseStatus: JobStatus = job.status === 'PAUSING' && job.pause ? job.pause.resumeTo : job.status;
    const incremental = phaseStatus === 'INCRE_TRANSFER_STARTED';
    let percent: number;
    if (job.taskType === 'INCR_TRANS') percent = job.actualStartAt !== undefined ? 100 : 0;
    else if (['FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED'].includes(phaseStatus)) percent = 100;
    else percent = Math.floor((Math.min(total, doneMs(state, job, now)) / total) * 100);
    const report: ProgressReport = {
      percent,
      remainingSeconds: percent >= 100 ? 0 : Math.ceil(((100 - percent) / 100) * (total / 1000)),
    };
    if (incremental) report.incrementalDelayMs = state.lagMs ?? this.defaultLagMs;
    if (job.taskType !== 'INCR_TRANS') report.phases = phasesOf(percent);
    return report;
  }

  /** Admin controls, used by the /_sim API. */
  readonly controls = {
    /** Fails a task now (status by its phase, or `status`), e.g. INCRE_TRANSFER_STARTED → INCRE_TRANSFER_FAILED. */
    failJob: async (jobId: string, failure: SimulatedFailure & { status?: JobStatus }): Promise<'failed' | 'not-applicable' | 'not-found'> => {
      let applicable = false;
      const found = await this.requireHost().update(jobId, (job, ctx) => {
        applicable = failure.status ? !['DELETED', 'RELEASE_RESOURCE_COMPLETE'].includes(job.status) : failureStatusFor(stateViewOf(job)) !== undefined;
        if (applicable) ctx.emit(failedEvent(failure, failure.status));
      });
      if (!found) return 'not-found';
      return applicable ? 'failed' : 'not-applicable';
    },
    /** Sets the incremental replication delay a task reports. */
    setLag: async (jobId: string, lagMs: number): Promise<boolean> =>
      this.requireHost().update(jobId, (job, ctx) => {
        const state = stateOf(job, this.delays);
        state.lagMs = lagMs;
        ctx.setState(state);
      }),
    setDelays: (delays: Partial<SimulatedDelays>): SimulatedDelays => Object.assign(this.delays, delays),
    setPrecheckOutcome: (match: OutcomeMatch, items: PrecheckOverride[] | null, once = false): void => {
      this.precheckOutcomes.clear(match);
      if (items) this.precheckOutcomes.add({ ...match, value: items, once });
    },
    setConnectionOutcome: (match: OutcomeMatch, failure: SimulatedFailure | null, once = false): void => {
      this.connectionOutcomes.clear(match);
      if (failure) this.connectionOutcomes.add({ ...match, value: failure, once });
    },
    setCreateOutcome: (match: OutcomeMatch, failure: SimulatedFailure | null, once = false): void => {
      this.createOutcomes.clear(match);
      if (failure) this.createOutcomes.add({ ...match, value: failure, once });
    },
    setReleaseOutcome: (match: OutcomeMatch, failure: SimulatedFailure | null, once = false): void => {
      this.releaseOutcomes.clear(match);
      if (failure) this.releaseOutcomes.add({ ...match, value: failure, once });
    },
    setFailurePlan: (match: OutcomeMatch, plan: FailurePlan | null, once = false): void => {
      this.failurePlans.clear(match);
      if (plan) this.failurePlans.add({ ...match, value: plan, once });
    },
    reset: (): void => {
      for (const rules of [this.precheckOutcomes, this.connectionOutcomes, this.createOutcomes, this.releaseOutcomes, this.failurePlans]) {
        rules.clearAll();
      }
    },
  };

  /** Schedules the transfer timeline from `at`: full phase (if any), then incremental (if any). */
  private scheduleTransfer(job: Readonly<JobRecord>, state: SimState, at: number, ctx: JobContext, plan: FailurePlan | undefined): void {
    if (job.taskType === 'INCR_TRANS') {
      ctx.schedule(at, { type: 'status', to: 'INCRE_TRANSFER_STARTED' });
      this.scheduleIncrementalFailure(at, ctx, plan);
      return;
    }
    ctx.schedule(at, { type: 'status', to: 'FULL_TRANSFER_STARTED' });
    this.scheduleFullRemainder(job, state, at, ctx, plan);
  }

  /** The rest of a full phase that (re)starts running at `at`. */
  private scheduleFullRemainder(job: Readonly<JobRecord>, state: SimState, at: number, ctx: JobContext, plan: FailurePlan | undefined): void {
    state.fullRunningSince = at;
    const remaining = Math.max(0, state.fullTotalMs - state.fullDoneMs);
    if (plan?.phase === 'full') {
      ctx.schedule(at + Math.min(remaining, plan.afterMs ?? Math.floor(remaining / 2)), failedEvent(plan));
      return;
    }
    const completeAt = at + remaining;
    ctx.schedule(completeAt, { type: 'status', to: 'FULL_TRANSFER_COMPLETE' });
    if (job.taskType === 'FULL_INCR_TRANS') {
      const increAt = completeAt + this.delays.fullToIncrementalMs;
      ctx.schedule(increAt, { type: 'status', to: 'INCRE_TRANSFER_STARTED' });
      this.scheduleIncrementalFailure(increAt, ctx, plan);
    }
  }

  private scheduleIncrementalFailure(increAt: number, ctx: JobContext, plan: FailurePlan | undefined): void {
    if (plan?.phase === 'incremental') ctx.schedule(increAt + (plan.afterMs ?? this.delays.pauseMs), failedEvent(plan));
  }

  private requireHost(): ExecutorHost {
    if (!this.host) throw new Error('simulated executor is not attached to an engine yet');
    return this.host;
  }
}

function initialState(delays: SimulatedDelays): SimState {
  return { fullTotalMs: delays.fullTransferMs, fullDoneMs: 0 };
}

function stateOf(job: Readonly<JobRecord>, delays: SimulatedDelays): SimState {
  const state = job.exec as SimState | undefined;
  return state ? structuredClone(state) : initialState(delays);
}

/** Full-phase time done by `now`; a failed task stopped counting when it failed. */
function doneMs(state: SimState, job: Readonly<JobRecord>, now: number): number {
  if (state.fullRunningSince === undefined) return state.fullDoneMs;
  const failedMeanwhile = job.failure !== undefined && job.failure.at >= state.fullRunningSince && job.failure.at <= now;
  const end = failedMeanwhile ? job.failure!.at : now;
  return state.fullDoneMs + Math.max(0, end - state.fullRunningSince);
}

/** Stops the full-phase clock (pause, stop, before a resume), keeping what was done. */
function freeze(state: SimState, job: Readonly<JobRecord>, now: number): SimState {
  state.fullDoneMs = Math.min(state.fullTotalMs, doneMs(state, job, now));
  delete state.fullRunningSince;
  return state;
}

/** Structure first (0-20%), then data (20-90%), then indexes (90-100%). */
function phasesOf(percent: number): { struct: number; data: number; index: number } {
  const scale = (from: number, to: number): number => Math.floor(Math.max(0, Math.min(1, (percent - from) / (to - from))) * 100);
  return { struct: scale(0, 20), data: scale(20, 90), index: scale(90, 100) };
}

function connectionFailure(code: 'DRS.KE001' | 'DRS.KE002'): ConnectionTestResult {
  return { success: false, errorCode: code, errorMsg: messageFor(code) };
}

/** A failure event; where it lands (CREATE_FAILED, FULL_TRANSFER_FAILED, ...) follows from the task's phase. */
function failedEvent(failure: SimulatedFailure, status?: JobStatus): ExecutorEvent {
  return {
    type: 'failed' as const,
    errorCode: failure.errorCode,
    errorMsg: failure.errorMsg ?? messageFor(failure.errorCode, 'The task failed.'),
    ...(status ? { status } : {}),
  };
}
