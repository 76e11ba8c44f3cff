import type { EndpointRecord, ExecutorEvent, JobRecord, PrecheckItemResult } from './job.ts';
import type { EndpointType, PauseMode, PrecheckMode } from './statuses.ts';

/**
 * The data plane behind the DRS API. The engine owns the API, the job records and the state
 * machine; an executor does the replication work and reports how it goes. Operations are
 * "begin" calls: they return once the work is under way, and completion arrives as events
 * (ExecutorEvent) through the JobContext — either scheduled for a deadline (persisted, so they
 * survive a restart) or emitted when the executor observes something (e.g. a PostgreSQL
 * subscription finished its initial copy).
 *
 * Every call happens under the job's lock with a JobContext bound to it; whatever the call
 * schedules, emits or stores is committed together with the API operation that caused it.
 * Outside API calls, an executor reaches a job through ExecutorHost.update.
 *
 * Events are checked by the state machine before they apply: an executor may report freely,
 * a stale report (the task was paused or stopped meanwhile) is dropped.
 */
export interface Executor {
  /** Short name for logs and /_sim/stats ("simulated", "postgres"). */
  readonly kind: string;

  /** Called once when the engine starts, before any job call. */
  attach(host: ExecutorHost): void;

  /** Can this executor run tasks of this engine_type? Others are refused at creation. */
  supportsEngine(engineType: string): boolean;

  /** A new task (status CREATING): provision what it needs, then report CONFIGURATION (or a failure). */
  provision(job: Readonly<JobRecord>, ctx: JobContext): Promise<void>;

  /** batch-connection: test one endpoint now. */
  testConnection(job: Readonly<JobRecord>, endpoint: ConnectionTarget, ctx: JobContext): Promise<ConnectionTestResult>;

  /** batch-precheck: begin the checks; report `precheckCompleted` with the items when done. */
  precheck(job: Readonly<JobRecord>, mode: PrecheckMode, ctx: JobContext): Promise<void>;

  /** Pre-check progress in percent (0..100) while it runs. */
  precheckProgress(job: Readonly<JobRecord>, now: number): number;

  /**
   * batch-starting (status now STARTJOBING): begin replication, at `startAt` if given. Report
   * WAITING_FOR_START / FULL_TRANSFER_STARTED / FULL_TRANSFER_COMPLETE / INCRE_TRANSFER_STARTED
   * as the task gets there, by task_type.
   */
  start(job: Readonly<JobRecord>, options: { startAt?: number }, ctx: JobContext): Promise<void>;

  /** batch-pause-task (status now PAUSING, pause in progress): stop applying; report `paused`. */
  pause(job: Readonly<JobRecord>, mode: PauseMode, ctx: JobContext): Promise<void>;

  /**
   * batch-retry-task: resume a paused task or retry a failed one. The job already carries the
   * status it goes back to (FULL_TRANSFER_STARTED, INCRE_TRANSFER_STARTED or STARTJOBING).
   */
  resume(job: Readonly<JobRecord>, ctx: JobContext): Promise<void>;

  /** batch-jobs terminate/force_terminate (status now RELEASE_RESOURCE_STARTED): release; report RELEASE_RESOURCE_COMPLETE. */
  stop(job: Readonly<JobRecord>, options: { force: boolean }, ctx: JobContext): Promise<void>;

  /** batch-jobs delete (status now DELETED): forget whatever is left. */
  remove(job: Readonly<JobRecord>, ctx: JobContext): Promise<void>;

  /** batch-modify-pwd: use a new password for one endpoint from now on. */
  changePassword(job: Readonly<JobRecord>, endpointType: EndpointType, password: string, ctx: JobContext): Promise<ConnectionTestResult>;

  /** Configuration changed (modification, objects, sync policy, speed limits): apply it if running. */
  reconfigure?(job: Readonly<JobRecord>, ctx: JobContext): Promise<void>;

  /** batch-progress: where the transfer is. */
  progress(job: Readonly<JobRecord>, now: number): ProgressReport;

  /**
   * After a restart, for each task not deleted: pick up what was in flight. Persisted deadlines
   * are re-armed by the engine itself; an executor that watches live systems re-attaches here.
   */
  recover?(job: Readonly<JobRecord>, ctx: JobContext): Promise<void>;

  close?(): Promise<void>;
}

/** What the engine offers an executor outside API calls. */
export interface ExecutorHost {
  now(): number;
  /**
   * Runs `fn` under the job's lock with a context, then commits what it scheduled, emitted or
   * stored. Resolves false when the job does not exist.
   */
  update(jobId: string, fn: (job: Readonly<JobRecord>, ctx: JobContext) => void | Promise<void>): Promise<boolean>;
}

/** An executor's handle on one job during one call. */
export interface JobContext {
  now(): number;
  /** Deliver `event` at `at` (epoch ms). Persisted with the job; re-armed after a restart. */
  schedule(at: number, event: ExecutorEvent): void;
  /** Apply `event` as soon as the current call returns. */
  emit(event: ExecutorEvent): void;
  /** Drop the job's scheduled transitions (a running pre-check keeps its completion). */
  clearScheduled(): void;
  /** Executor-private state persisted with the job. */
  readonly state: unknown;
  setState(state: unknown): void;
}

/** One batch-connection entry, as the client sent it. */
export type ConnectionTarget = EndpointRecord & { end_point_type: EndpointType };

export interface ConnectionTestResult {
  success: boolean;
  errorCode?: string;
  errorMsg?: string;
}

export interface ProgressReport {
  /** Overall percent, 0..100. */
  percent: number;
  /** Incremental replication delay in ms; undefined outside the incremental phase (reported as -1). */
  incrementalDelayMs?: number;
  /** Estimated seconds left in the full phase. */
  remainingSeconds: number;
  /** struct / data / index progress in percent, for tasks with a full phase. */
  phases?: { struct: number; data: number; index: number };
}

export type { PrecheckItemResult };
