import type { DrsErrorCode } from './drs-errors.ts';
import type { ExecutorEvent } from './job.ts';
import { FAILURE_STATUSES, type JobStatus, type PauseMode, type TaskType } from './statuses.ts';

/**
 * The DRS task state machine, pure: which API operations a task's state allows (each API's
 * "Constraints" in the seed, plus ../shared/reference/huawei-drs-lifecycle.md), what state an
 * accepted operation leads to, and which asynchronous events (reported by an executor) may move
 * a task on.
 *
 * Paused tasks. DRS has no PAUSED status: batch-pause-task moves a task to PAUSING and the
 * task keeps reporting PAUSING until it is resumed (the list API describes PAUSING as "The task
 * is paused", A.4 as "being paused"; the list's job_action.current_action is STOP_JOB while the
 * pause is in progress). We model that with one extra internal key, PAUSED = "PAUSING, pause
 * finished". It never goes on the wire; it only lets the tables below tell "still pausing"
 * (busy, DRS.M01504) from "paused" (resumable with batch-retry-task).
 *
 * Refusal codes (seed A.3):
 * - DRS.M05004 "The task has been deleted or the resource has been released": any operation
 *   on a DELETED task, and terminate on a task whose resources are already released.
 * - DRS.M01504 "Another operation is being performed on the migration task ...": the task is
 *   in a transient state (being created, started, paused, stopped, changed) or its pre-check
 *   is still running. Retriable: the seed answers it with HTTP 202 per item.
 * - DRS.M00403 "This task does not support flow control": batch-limit-speed on INCR_TRANS.
 * - DRS.M00300 "Invalid request": object selection on DR tasks, sync policy on non-sync tasks.
 * - DRS.M00304 "This API cannot be called in the current task status": everything else,
 *   including a missing prerequisite (no passed connection test / batch-modification before
 *   select-objects, sync-policy or precheck; no passed pre-check before start).
 */

export type Operation =
  | 'test-connection'
  | 'modify-config'
  | 'modify-info'
  | 'select-objects'
  | 'sync-policy'
  | 'limit-speed'
  | 'precheck-start'
  | 'precheck-retry'
  | 'start'
  | 'retry'
  | 'pause'
  | 'terminate'
  | 'force-terminate'
  | 'delete'
  | 'modify-password';

/** Internal state key: a JobStatus, or PAUSED for "PAUSING with the pause completed". */
export type StateKey = JobStatus | 'PAUSED';

export type PrecheckState = 'none' | 'running' | 'passed' | 'failed';

/** What the state machine needs to know about a task. */
export interface JobStateView {
  status: JobStatus;
  pausePhase?: 'pausing' | 'paused';
  resumeTo?: JobStatus;
  taskType: TaskType;
  dbUseType: string;
  connectionsPassed: boolean;
  configured: boolean;
  precheck: PrecheckState;
}

export interface NextState {
  status: JobStatus;
  pause?: { phase: 'pausing' | 'paused'; resumeTo: JobStatus; mode?: PauseMode };
}

export type Verdict = { allowed: true; next: NextState } | { allowed: false; code: DrsErrorCode; reason: string };

const TRANSFER_FAILED: StateKey[] = ['START_JOB_FAILED', 'FULL_TRANSFER_FAILED', 'INCRE_TRANSFER_FAILED'];

const TERMINABLE: StateKey[] = [
  'CONFIGURATION',
  'WAITING_FOR_START',
  'FULL_TRANSFER_STARTED',
  'FULL_TRANSFER_COMPLETE',
  'INCRE_TRANSFER_STARTED',
  'PAUSED',
  ...TRANSFER_FAILED,
  // A failed stop is retried by stopping again.
  'RELEASE_RESOURCE_FAILED',
  'CHILD_TRANSFER_STARTED',
  'CHILD_TRANSFER_COMPLETE',
  'CHILD_TRANSFER_FAILED',
  'CHANGE_JOB_FAILED',
  'REBUILD_NODE_FAILED',
  'NODE_UPGRADE_COMPLETE',
  'NODE_UPGRADE_FAILED',
];

/** States where an operation is in progress: other operations get DRS.M01504 (busy). */
export const BUSY_STATES: ReadonlySet<StateKey> = new Set<StateKey>([
  'CREATING',
  'STARTJOBING',
  'PAUSING',
  'RELEASE_RESOURCE_STARTED',
  'CHANGE_JOB_STARTED',
  'REBUILD_NODE_STARTED',
  'CHILD_TRANSFER_STARTING',
  'RELEASE_CHILD_TRANSFER_STARTED',
  'NODE_UPGRADE_START',
]);

const RELEASED: ReadonlySet<StateKey> = new Set<StateKey>(['RELEASE_RESOURCE_COMPLETE', 'RELEASE_CHILD_TRANSFER_COMPLETE']);

/**
 * Operation → states it is accepted in. Sources: seed 4.1.2 (connection: CONFIGURATION),
 * 4.1.4 (modification: CONFIGURATION; name/description/alarm changes in any state but stopped
 * or deleted), 4.1.5 / 4.3.2 / 4.1.6 (select objects, sync policy, precheck forStartJob:
 * CONFIGURATION after connection test + modification), 4.1.6 precheck_mode forRetryJob
 * (after a failure or object editing during incremental transfer), 4.1.8 (limit speed: not
 * INCR_TRANS), 4.1.11 (start: configured, pre-check passed), 4.1.12 (retry: paused or failed),
 * 4.1.13 (pause: task being migrated/synchronized), 4.1.14 (delete: CREATE_FAILED,
 * RELEASE_RESOURCE_COMPLETE, RELEASE_CHILD_TRANSFER_COMPLETE; otherwise stop first),
 * 4.1.15 (modify-pwd: STARTJOBING, START_JOB_FAILED, FULL_TRANSFER_*, INCRE_TRANSFER_*,
 * PAUSING).
 */
export const ALLOWED_STATES: Readonly<Record<Operation, ReadonlySet<StateKey>>> = {
  'test-connection': new Set(['CONFIGURATION']),
  'modify-config': new Set(['CONFIGURATION']),
  'modify-info': new Set<StateKey>([
    'CONFIGURATION',
    'CREATE_FAILED',
    'WAITING_FOR_START',
    'FULL_TRANSFER_STARTED',
    'FULL_TRANSFER_COMPLETE',
    'INCRE_TRANSFER_STARTED',
    'PAUSED',
    ...TRANSFER_FAILED,
    'CHILD_TRANSFER_STARTED',
    'CHILD_TRANSFER_COMPLETE',
    'CHILD_TRANSFER_FAILED',
    'CHANGE_JOB_FAILED',
    'REBUILD_NODE_FAILED',
    'NODE_UPGRADE_COMPLETE',
    'NODE_UPGRADE_FAILED',
  ]),
  'select-objects': new Set(['CONFIGURATION']),
  'sync-policy': new Set(['CONFIGURATION']),
  'limit-speed': new Set<StateKey>([
    'CONFIGURATION',
    'WAITING_FOR_START',
    'FULL_TRANSFER_STARTED',
    'FULL_TRANSFER_COMPLETE',
    'INCRE_TRANSFER_STARTED',
    'PAUSED',
    ...TRANSFER_FAILED,
  ]),
  'precheck-start': new Set(['CONFIGURATION']),
  'precheck-retry': new Set<StateKey>([...TRANSFER_FAILED, 'INCRE_TRANSFER_STARTED', 'PAUSED']),
  start: new Set(['CONFIGURATION']),
  retry: new Set<StateKey>(['PAUSED', ...TRANSFER_FAILED]),
  pause: new Set(['FULL_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED']),
  terminate: new Set(TERMINABLE),
  'force-terminate': new Set<StateKey>([
    ...TERMINABLE,
    'CREATING',
    'STARTJOBING',
    'PAUSING',
    'CHANGE_JOB_STARTED',
    'REBUILD_NODE_STARTED',
    'CHILD_TRANSFER_STARTING',
    'NODE_UPGRADE_START',
  ]),
  delete: new Set(['CREATE_FAILED', 'RELEASE_RESOURCE_COMPLETE', 'RELEASE_CHILD_TRANSFER_COMPLETE']),
  'modify-password': new Set<StateKey>([
    'STARTJOBING',
    'START_JOB_FAILED',
    'FULL_TRANSFER_STARTED',
    'FULL_TRANSFER_FAILED',
    'FULL_TRANSFER_COMPLETE',
    'INCRE_TRANSFER_STARTED',
    'INCRE_TRANSFER_FAILED',
    'PAUSING',
    'PAUSED',
  ]),
};

/** Operations that need the connection test passed and batch-modification done first. */
const NEEDS_CONFIGURED: ReadonlySet<Operation> = new Set(['select-objects', 'sync-policy', 'precheck-start']);

/** Operations refused (busy) while a pre-check runs: they would change what is being checked. */
const BLOCKED_BY_RUNNING_PRECHECK: ReadonlySet<Operation> = new Set([
  'modify-config',
  'select-objects',
  'sync-policy',
  'precheck-start',
  'precheck-retry',
  'start',
]);

export function stateKey(view: Pick<JobStateView, 'status' | 'pausePhase'>): StateKey {
  return view.status === 'PAUSING' && view.pausePhase === 'paused' ? 'PAUSED' : view.status;
}

/** Is `op` accepted by the task's state alone (no prerequisites)? Used for job_action. */
export function allowedByState(op: Operation, view: Pick<JobStateView, 'status' | 'pausePhase'>): boolean {
  return ALLOWED_STATES[op].has(stateKey(view));
}

export function checkOperation(op: Operation, view: JobStateView, pauseMode?: PauseMode): Verdict {
  const key = stateKey(view);
  if (view.status === 'DELETED') return refuse('DRS.M05004', 'the task has been deleted');
  if (op === 'limit-speed' && view.taskType === 'INCR_TRANS') {
    return refuse('DRS.M00403', 'flow control is not available for INCR_TRANS tasks');
  }
  if (op === 'select-objects' && view.dbUseType === 'cloudDataGuard') {
    return refuse('DRS.M00300', 'only real-time migration and synchronization tasks support object selection');
  }
  if (op === 'sync-policy' && view.dbUseType !== 'sync') {
    return refuse('DRS.M00300', 'synchronization policies apply to real-time synchronization tasks only');
  }
  if (!ALLOWED_STATES[op].has(key)) {
    if (BUSY_STATES.has(key)) return refuse('DRS.M01504', `the task is ${describe(key)}`);
    if ((op === 'terminate' || op === 'force-terminate') && RELEASED.has(key)) {
      return refuse('DRS.M05004', 'the task resources have already been released');
    }
    return refuse('DRS.M00304', `${op} is not allowed in status ${describe(key)}`);
  }
  if (view.precheck === 'running' && BLOCKED_BY_RUNNING_PRECHECK.has(op)) {
    return refuse('DRS.M01504', 'a pre-check is in progress');
  }
  if (NEEDS_CONFIGURED.has(op) && !(view.connectionsPassed && view.configured)) {
    return refuse('DRS.M00304', 'test the source and destination connections and call batch-modification first');
  }
  if (op === 'start' && view.precheck !== 'passed') {
    return refuse('DRS.M00304', 'the task can be started only after its pre-check has passed');
  }
  return { allowed: true, next: nextStateFor(op, view, key, pauseMode) };
}

function nextStateFor(op: Operation, view: JobStateView, key: StateKey, pauseMode: PauseMode | undefined): NextState {
  switch (op) {
    case 'start':
      return { status: 'STARTJOBING' };
    case 'pause':
      return { status: 'PAUSING', pause: { phase: 'pausing', resumeTo: view.status, mode: pauseMode ?? 'target' } };
    case 'retry':
      if (key === 'PAUSED') return { status: view.resumeTo ?? 'INCRE_TRANSFER_STARTED' };
      return { status: RETRY_TARGET[view.status] ?? view.status };
    case 'terminate':
    case 'force-terminate':
      return { status: 'RELEASE_RESOURCE_STARTED' };
    case 'delete':
      return { status: 'DELETED' };
    default:
      return keep(view);
  }
}

const RETRY_TARGET: Partial<Record<JobStatus, JobStatus>> = {
  START_JOB_FAILED: 'STARTJOBING',
  FULL_TRANSFER_FAILED: 'FULL_TRANSFER_STARTED',
  INCRE_TRANSFER_FAILED: 'INCRE_TRANSFER_STARTED',
};

/**
 * Asynchronous progress an executor may report, from → allowed targets. Task mode decides
 * the path: FULL_TRANS ends in FULL_TRANSFER_COMPLETE; FULL_INCR_TRANS goes on to
 * INCRE_TRANSFER_STARTED; INCR_TRANS starts incremental directly (lifecycle reference, step 7).
 */
const AUTOMATIC: Partial<Record<JobStatus, readonly JobStatus[]>> = {
  CREATING: ['CONFIGURATION'],
  STARTJOBING: ['WAITING_FOR_START', 'FULL_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED'],
  WAITING_FOR_START: ['FULL_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED'],
  FULL_TRANSFER_STARTED: ['FULL_TRANSFER_COMPLETE'],
  FULL_TRANSFER_COMPLETE: ['INCRE_TRANSFER_STARTED'],
  RELEASE_RESOURCE_STARTED: ['RELEASE_RESOURCE_COMPLETE'],
};

/** Where a failure lands, by the state the task failed in. */
const FAILURE_OF: Partial<Record<JobStatus, JobStatus>> = {
  CREATING: 'CREATE_FAILED',
  STARTJOBING: 'START_JOB_FAILED',
  WAITING_FOR_START: 'START_JOB_FAILED',
  FULL_TRANSFER_STARTED: 'FULL_TRANSFER_FAILED',
  INCRE_TRANSFER_STARTED: 'INCRE_TRANSFER_FAILED',
  RELEASE_RESOURCE_STARTED: 'RELEASE_RESOURCE_FAILED',
  CHILD_TRANSFER_STARTING: 'CHILD_TRANSFER_FAILED',
  CHILD_TRANSFER_STARTED: 'CHILD_TRANSFER_FAILED',
  CHANGE_JOB_STARTED: 'CHANGE_JOB_FAILED',
  REBUILD_NODE_STARTED: 'REBUILD_NODE_FAILED',
  NODE_UPGRADE_START: 'NODE_UPGRADE_FAILED',
};

/** The failure status for a task failing now, or undefined when it cannot fail (idle/terminal). */
export function failureStatusFor(view: JobStateView): JobStatus | undefined {
  if (view.status === 'PAUSING') return view.resumeTo ? failureStatusFor({ ...view, status: view.resumeTo, pausePhase: undefined }) : undefined;
  if (view.status === 'FULL_TRANSFER_COMPLETE') return view.taskType === 'FULL_TRANS' ? undefined : 'INCRE_TRANSFER_FAILED';
  return FAILURE_OF[view.status];
}

/**
 * Applies an executor event. Returns the next state, or undefined when the event no longer
 * applies (stale: the task moved on, e.g. it was paused or stopped meanwhile).
 */
export function applyEvent(view: JobStateView, event: ExecutorEvent): NextState | undefined {
  switch (event.type) {
    case 'status': {
      if (!(AUTOMATIC[view.status] ?? []).includes(event.to)) return undefined;
      if (!pathFitsTaskType(view.status, event.to, view.taskType)) return undefined;
      return { status: event.to };
    }
    case 'paused':
      if (view.status !== 'PAUSING' || view.pausePhase !== 'pausing' || !view.resumeTo) return undefined;
      return { status: 'PAUSING', pause: { phase: 'paused', resumeTo: view.resumeTo } };
    case 'precheckCompleted':
      return view.precheck === 'running' ? keep(view) : undefined;
    case 'failed': {
      if (view.status === 'DELETED' || RELEASED.has(view.status)) return undefined;
      if (event.status) return FAILURE_STATUSES.has(event.status) ? { status: event.status } : undefined;
      const status = failureStatusFor(view);
      return status ? { status } : undefined;
    }
  }
}

function pathFitsTaskType(from: JobStatus, to: JobStatus, taskType: TaskType): boolean {
  if (to === 'FULL_TRANSFER_STARTED') return taskType !== 'INCR_TRANS';
  if (to === 'INCRE_TRANSFER_STARTED') {
    if (from === 'FULL_TRANSFER_COMPLETE') return taskType === 'FULL_INCR_TRANS';
    return taskType === 'INCR_TRANS';
  }
  return true;
}

function keep(view: JobStateView): NextState {
  return view.status === 'PAUSING' && view.pausePhase && view.resumeTo
    ? { status: 'PAUSING', pause: { phase: view.pausePhase, resumeTo: view.resumeTo } }
    : { status: view.status };
}

function refuse(code: DrsErrorCode, reason: string): Verdict {
  return { allowed: false, code, reason };
}

function describe(key: StateKey): string {
  return key === 'PAUSED' ? 'PAUSING (paused)' : key;
}

/** job_action command names (list API Table 4-151) and the operation each stands for. */
const ACTION_OPERATIONS: ReadonlyArray<[string, Operation[]]> = [
  ['CHOOSE_OBJECT', ['select-objects']],
  ['PRE_CHECK', ['precheck-start', 'precheck-retry']],
  ['START', ['start']],
  ['CHANGE', ['modify-config']],
  ['MODIFY_CONFIGURATION', ['modify-info']],
  ['RESET_DB_PWD', ['modify-password']],
  ['PAUSE', ['pause']],
  ['RETRY', ['retry']],
  ['FREE_RESOURCE', ['terminate']],
  ['DELETE', ['delete']],
];

export interface JobActions {
  available_actions: string[];
  unavailable_actions: string[];
  current_action?: string;
}

/** The list API's job_action matrix for a task. */
export function jobActions(view: JobStateView): JobActions {
  const available = ['CREATE'];
  const unavailable: string[] = [];
  for (const [action, ops] of ACTION_OPERATIONS) {
    (ops.some((op) => allowedByState(op, view)) ? available : unavailable).push(action);
  }
  (view.precheck === 'none' ? unavailable : available).push('QUERY_PRE_CHECK');
  unavailable.push('SWITCH_OVER', 'CLONE');
  const actions: JobActions = { available_actions: available, unavailable_actions: unavailable };
  if (view.status === 'PAUSING' && view.pausePhase === 'pausing') actions.current_action = 'STOP_JOB';
  return actions;
}
