import type { ExecutorEvent, JobRecord } from './job.ts';
import { applyEvent, type JobStateView, type NextState, type PrecheckState } from './state-machine.ts';

/**
 * The bridge between job records and the pure state machine: the view it reads, and how its
 * answers (a next state, an accepted event) are written back into a record.
 */
export function stateViewOf(job: Readonly<JobRecord>): JobStateView {
  const view: JobStateView = {
    status: job.status,
    taskType: job.taskType,
    dbUseType: job.dbUseType,
    connectionsPassed: job.connections.so?.success === true && job.connections.ta?.success === true,
    configured: job.configured,
    precheck: precheckState(job),
  };
  if (job.pause) {
    view.pausePhase = job.pause.phase;
    view.resumeTo = job.pause.resumeTo;
  }
  return view;
}

export function precheckState(job: Readonly<JobRecord>): PrecheckState {
  if (!job.precheck) return 'none';
  if (job.precheck.finishedAt === undefined) return 'running';
  return job.precheck.passed ? 'passed' : 'failed';
}

/** Writes a state-machine next state into the record, stamping transfer timestamps. */
export function enterState(job: JobRecord, next: NextState, at: number): void {
  const from = job.status;
  job.status = next.status;
  if (next.pause) {
    job.pause = { phase: next.pause.phase, resumeTo: next.pause.resumeTo, mode: next.pause.mode ?? job.pause?.mode ?? 'target' };
  } else {
    delete job.pause;
  }
  if ((next.status === 'FULL_TRANSFER_STARTED' || next.status === 'INCRE_TRANSFER_STARTED') && job.actualStartAt === undefined) {
    job.actualStartAt = at;
  }
  if (next.status === 'FULL_TRANSFER_COMPLETE' && from !== next.status) job.fullCompleteAt = at;
  if (next.status === 'DELETED') job.deletedAt = at;
}

/**
 * Applies an executor event if the state machine still accepts it. Returns false for a stale
 * event (dropped). A failure also drops the task's remaining scheduled transitions: its
 * timeline is void.
 */
export function applyExecutorEvent(job: JobRecord, event: ExecutorEvent, at: number): boolean {
  const next = applyEvent(stateViewOf(job), event);
  if (!next) return false;
  const from = job.status;
  enterState(job, next, at);
  if (event.type === 'precheckCompleted' && job.precheck) {
    job.precheck.finishedAt = at;
    job.precheck.items = event.items;
    job.precheck.passed = event.items.every((item) => item.result !== 'FAILED');
  }
  if (event.type === 'failed') {
    job.failure = { errorCode: event.errorCode, errorMsg: event.errorMsg, at, from };
    dropTimeline(job);
  }
  return true;
}

/** Earliest scheduled deadline of a job, if any. */
export function nextDeadline(job: Readonly<JobRecord>): number | undefined {
  let earliest: number | undefined;
  for (const timer of job.timers) if (earliest === undefined || timer.at < earliest) earliest = timer.at;
  return earliest;
}

/**
 * Drops a job's scheduled transitions (its timeline was superseded by an operation or a
 * failure). A pre-check in progress runs on its own and keeps its completion.
 */
export function dropTimeline(job: JobRecord): void {
  job.timers = job.timers.filter((timer) => timer.event.type === 'precheckCompleted');
}
