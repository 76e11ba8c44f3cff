import { describe, expect, it } from 'vitest';
import {
  ALLOWED_STATES,
  applyEvent,
  BUSY_STATES,
  checkOperation,
  failureStatusFor,
  jobActions,
  type JobStateView,
  type Operation,
  type StateKey,
} from '../../../engine/src/state-machine.ts';
import { JOB_STATUSES, type JobStatus } from '../../../engine/src/statuses.ts';

/** A task in `key` that has passed its connection tests, been modified and pre-checked. */
function view(key: StateKey, overrides: Partial<JobStateView> = {}): JobStateView {
  const base: JobStateView = {
    status: key === 'PAUSED' ? 'PAUSING' : key,
    taskType: 'FULL_INCR_TRANS',
    dbUseType: 'sync',
    connectionsPassed: true,
    configured: true,
    precheck: 'passed',
  };
  if (key === 'PAUSED' || key === 'PAUSING') {
    base.pausePhase = key === 'PAUSED' ? 'paused' : 'pausing';
    base.resumeTo = 'INCRE_TRANSFER_STARTED';
  }
  return { ...base, ...overrides };
}

function outcome(op: Operation, key: StateKey, overrides: Partial<JobStateView> = {}): string {
  const verdict = checkOperation(op, view(key, overrides));
  return verdict.allowed ? `ok:${verdict.next.status}${verdict.next.pause ? `/${verdict.next.pause.phase}` : ''}` : verdict.code;
}

const ALL_KEYS: StateKey[] = [...JOB_STATUSES, 'PAUSED'];
const OPERATIONS = Object.keys(ALLOWED_STATES) as Operation[];

describe('state machine: operation constraints (seed "Constraints" sections, A.3 codes)', () => {
  it.each<[Operation, StateKey, string]>([
    // 4.1.2 / 4.1.4 / 4.1.5 / 4.1.6 / 4.3.2: CONFIGURATION only
    ['test-connection', 'CONFIGURATION', 'ok:CONFIGURATION'],
    ['test-connection', 'CREATING', 'DRS.M01504'],
    ['test-connection', 'INCRE_TRANSFER_STARTED', 'DRS.M00304'],
    ['modify-config', 'CONFIGURATION', 'ok:CONFIGURATION'],
    ['modify-config', 'INCRE_TRANSFER_STARTED', 'DRS.M00304'],
    ['modify-info', 'INCRE_TRANSFER_STARTED', 'ok:INCRE_TRANSFER_STARTED'],
    ['modify-info', 'RELEASE_RESOURCE_COMPLETE', 'DRS.M00304'],
    ['modify-info', 'STARTJOBING', 'DRS.M01504'],
    ['select-objects', 'CONFIGURATION', 'ok:CONFIGURATION'],
    ['select-objects', 'FULL_TRANSFER_STARTED', 'DRS.M00304'],
    ['sync-policy', 'CONFIGURATION', 'ok:CONFIGURATION'],
    ['precheck-start', 'CONFIGURATION', 'ok:CONFIGURATION'],
    ['precheck-start', 'INCRE_TRANSFER_FAILED', 'DRS.M00304'],
    ['precheck-retry', 'INCRE_TRANSFER_FAILED', 'ok:INCRE_TRANSFER_FAILED'],
    ['precheck-retry', 'CONFIGURATION', 'DRS.M00304'],
    // 4.1.11: start after a passed pre-check
    ['start', 'CONFIGURATION', 'ok:STARTJOBING'],
    ['start', 'INCRE_TRANSFER_STARTED', 'DRS.M00304'],
    // 4.1.13: pause a task being transferred → PAUSING (pause in progress)
    ['pause', 'FULL_TRANSFER_STARTED', 'ok:PAUSING/pausing'],
    ['pause', 'INCRE_TRANSFER_STARTED', 'ok:PAUSING/pausing'],
    ['pause', 'CONFIGURATION', 'DRS.M00304'],
    ['pause', 'PAUSING', 'DRS.M01504'],
    ['pause', 'PAUSED', 'DRS.M00304'],
    ['pause', 'FULL_TRANSFER_COMPLETE', 'DRS.M00304'],
    // 4.1.12: resume paused, retry failed
    ['retry', 'PAUSED', 'ok:INCRE_TRANSFER_STARTED'],
    ['retry', 'PAUSING', 'DRS.M01504'],
    ['retry', 'FULL_TRANSFER_FAILED', 'ok:FULL_TRANSFER_STARTED'],
    ['retry', 'INCRE_TRANSFER_FAILED', 'ok:INCRE_TRANSFER_STARTED'],
    ['retry', 'START_JOB_FAILED', 'ok:STARTJOBING'],
    ['retry', 'INCRE_TRANSFER_STARTED', 'DRS.M00304'],
    ['retry', 'CREATE_FAILED', 'DRS.M00304'],
    // 4.1.14: stop from running states; delete only when failed at creation or released
    ['terminate', 'INCRE_TRANSFER_STARTED', 'ok:RELEASE_RESOURCE_STARTED'],
    ['terminate', 'CONFIGURATION', 'ok:RELEASE_RESOURCE_STARTED'],
    ['terminate', 'PAUSED', 'ok:RELEASE_RESOURCE_STARTED'],
    ['terminate', 'RELEASE_RESOURCE_FAILED', 'ok:RELEASE_RESOURCE_STARTED'],
    ['terminate', 'STARTJOBING', 'DRS.M01504'],
    ['terminate', 'RELEASE_RESOURCE_STARTED', 'DRS.M01504'],
    ['terminate', 'RELEASE_RESOURCE_COMPLETE', 'DRS.M05004'],
    ['terminate', 'CREATE_FAILED', 'DRS.M00304'],
    ['force-terminate', 'STARTJOBING', 'ok:RELEASE_RESOURCE_STARTED'],
    ['force-terminate', 'CREATING', 'ok:RELEASE_RESOURCE_STARTED'],
    ['force-terminate', 'RELEASE_RESOURCE_STARTED', 'DRS.M01504'],
    ['delete', 'CREATE_FAILED', 'ok:DELETED'],
    ['delete', 'RELEASE_RESOURCE_COMPLETE', 'ok:DELETED'],
    ['delete', 'RELEASE_CHILD_TRANSFER_COMPLETE', 'ok:DELETED'],
    ['delete', 'INCRE_TRANSFER_STARTED', 'DRS.M00304'],
    ['delete', 'CONFIGURATION', 'DRS.M00304'],
    ['delete', 'RELEASE_RESOURCE_STARTED', 'DRS.M01504'],
    // 4.1.15: password changes in running states, PAUSING included
    ['modify-password', 'STARTJOBING', 'ok:STARTJOBING'],
    ['modify-password', 'PAUSING', 'ok:PAUSING/pausing'],
    ['modify-password', 'PAUSED', 'ok:PAUSING/paused'],
    ['modify-password', 'FULL_TRANSFER_COMPLETE', 'ok:FULL_TRANSFER_COMPLETE'],
    ['modify-password', 'CONFIGURATION', 'DRS.M00304'],
    ['modify-password', 'RELEASE_RESOURCE_COMPLETE', 'DRS.M00304'],
    // 4.1.8: flow control in configuration and while running
    ['limit-speed', 'CONFIGURATION', 'ok:CONFIGURATION'],
    ['limit-speed', 'INCRE_TRANSFER_STARTED', 'ok:INCRE_TRANSFER_STARTED'],
    ['limit-speed', 'RELEASE_RESOURCE_COMPLETE', 'DRS.M00304'],
  ])('%s in %s → %s', (op, key, expected) => {
    expect(outcome(op, key)).toBe(expected);
  });

  it('every operation on a DELETED task answers DRS.M05004', () => {
    for (const op of OPERATIONS) expect(outcome(op, 'DELETED'), op).toBe('DRS.M05004');
  });

  it('transient states answer DRS.M01504 (busy) for every operation not allowed in them', () => {
    for (const key of BUSY_STATES) {
      for (const op of OPERATIONS) {
        if (ALLOWED_STATES[op].has(key)) continue;
        expect(outcome(op, key), `${op} in ${key}`).toBe('DRS.M01504');
      }
    }
  });

  it('every (operation, state) pair has a defined answer', () => {
    for (const key of ALL_KEYS) {
      for (const op of OPERATIONS) expect(outcome(op, key)).toMatch(/^(ok:|DRS\.M0)/);
    }
  });

  it('limit-speed is refused for INCR_TRANS tasks in any state (DRS.M00403)', () => {
    expect(outcome('limit-speed', 'CONFIGURATION', { taskType: 'INCR_TRANS' })).toBe('DRS.M00403');
    expect(outcome('limit-speed', 'INCRE_TRANSFER_STARTED', { taskType: 'INCR_TRANS' })).toBe('DRS.M00403');
  });

  it('prerequisites: connections + modification before select/sync/precheck; passed pre-check before start', () => {
    expect(outcome('select-objects', 'CONFIGURATION', { connectionsPassed: false })).toBe('DRS.M00304');
    expect(outcome('sync-policy', 'CONFIGURATION', { configured: false })).toBe('DRS.M00304');
    expect(outcome('precheck-start', 'CONFIGURATION', { configured: false })).toBe('DRS.M00304');
    expect(outcome('start', 'CONFIGURATION', { precheck: 'none' })).toBe('DRS.M00304');
    expect(outcome('start', 'CONFIGURATION', { precheck: 'failed' })).toBe('DRS.M00304');
    expect(outcome('start', 'CONFIGURATION', { precheck: 'running' })).toBe('DRS.M01504');
    expect(outcome('modify-config', 'CONFIGURATION', { precheck: 'running' })).toBe('DRS.M01504');
    expect(outcome('terminate', 'CONFIGURATION', { precheck: 'running' })).toBe('ok:RELEASE_RESOURCE_STARTED');
  });

  it('scenario rules: no object selection for DR tasks, sync policy only for sync tasks (DRS.M00300)', () => {
    expect(outcome('select-objects', 'CONFIGURATION', { dbUseType: 'cloudDataGuard' })).toBe('DRS.M00300');
    expect(outcome('sync-policy', 'CONFIGURATION', { dbUseType: 'migration' })).toBe('DRS.M00300');
  });

  it('pause remembers the transfer state to resume into, and the pause mode', () => {
    const verdict = checkOperation('pause', view('FULL_TRANSFER_STARTED'), 'all');
    expect(verdict).toEqual({ allowed: true, next: { status: 'PAUSING', pause: { phase: 'pausing', resumeTo: 'FULL_TRANSFER_STARTED', mode: 'all' } } });
    expect(checkOperation('retry', view('PAUSED', { resumeTo: 'FULL_TRANSFER_STARTED' }))).toEqual({
      allowed: true,
      next: { status: 'FULL_TRANSFER_STARTED' },
    });
  });
});

describe('state machine: executor events', () => {
  const status = (to: JobStatus) => ({ type: 'status' as const, to });

  it.each<[StateKey, JobStateView['taskType'], JobStatus, JobStatus | undefined]>([
    ['CREATING', 'FULL_INCR_TRANS', 'CONFIGURATION', 'CONFIGURATION'],
    ['STARTJOBING', 'FULL_INCR_TRANS', 'FULL_TRANSFER_STARTED', 'FULL_TRANSFER_STARTED'],
    ['STARTJOBING', 'INCR_TRANS', 'FULL_TRANSFER_STARTED', undefined],
    ['STARTJOBING', 'INCR_TRANS', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED'],
    ['STARTJOBING', 'FULL_INCR_TRANS', 'INCRE_TRANSFER_STARTED', undefined],
    ['STARTJOBING', 'FULL_TRANS', 'WAITING_FOR_START', 'WAITING_FOR_START'],
    ['FULL_TRANSFER_STARTED', 'FULL_TRANS', 'FULL_TRANSFER_COMPLETE', 'FULL_TRANSFER_COMPLETE'],
    ['FULL_TRANSFER_COMPLETE', 'FULL_INCR_TRANS', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED'],
    ['FULL_TRANSFER_COMPLETE', 'FULL_TRANS', 'INCRE_TRANSFER_STARTED', undefined],
    ['RELEASE_RESOURCE_STARTED', 'FULL_INCR_TRANS', 'RELEASE_RESOURCE_COMPLETE', 'RELEASE_RESOURCE_COMPLETE'],
    // Stale: the task was paused or stopped before the scheduled step.
    ['PAUSING', 'FULL_INCR_TRANS', 'FULL_TRANSFER_COMPLETE', undefined],
    ['RELEASE_RESOURCE_STARTED', 'FULL_INCR_TRANS', 'INCRE_TRANSFER_STARTED', undefined],
    ['CONFIGURATION', 'FULL_INCR_TRANS', 'CONFIGURATION', undefined],
  ])('in %s (%s) a report of %s → %s', (key, taskType, to, expected) => {
    expect(applyEvent(view(key, { taskType }), status(to))?.status).toBe(expected);
  });

  it('paused completes a pause in progress only', () => {
    expect(applyEvent(view('PAUSING'), { type: 'paused' })).toEqual({
      status: 'PAUSING',
      pause: { phase: 'paused', resumeTo: 'INCRE_TRANSFER_STARTED' },
    });
    expect(applyEvent(view('PAUSED'), { type: 'paused' })).toBeUndefined();
    expect(applyEvent(view('INCRE_TRANSFER_STARTED'), { type: 'paused' })).toBeUndefined();
  });

  it.each<[StateKey, JobStateView['taskType'], JobStatus | undefined]>([
    ['CREATING', 'FULL_INCR_TRANS', 'CREATE_FAILED'],
    ['STARTJOBING', 'FULL_INCR_TRANS', 'START_JOB_FAILED'],
    ['WAITING_FOR_START', 'FULL_INCR_TRANS', 'START_JOB_FAILED'],
    ['FULL_TRANSFER_STARTED', 'FULL_INCR_TRANS', 'FULL_TRANSFER_FAILED'],
    ['FULL_TRANSFER_COMPLETE', 'FULL_INCR_TRANS', 'INCRE_TRANSFER_FAILED'],
    ['FULL_TRANSFER_COMPLETE', 'FULL_TRANS', undefined],
    ['INCRE_TRANSFER_STARTED', 'FULL_INCR_TRANS', 'INCRE_TRANSFER_FAILED'],
    ['PAUSED', 'FULL_INCR_TRANS', 'INCRE_TRANSFER_FAILED'],
    ['RELEASE_RESOURCE_STARTED', 'FULL_INCR_TRANS', 'RELEASE_RESOURCE_FAILED'],
    ['CONFIGURATION', 'FULL_INCR_TRANS', undefined],
    ['RELEASE_RESOURCE_COMPLETE', 'FULL_INCR_TRANS', undefined],
  ])('a failure in %s (%s) lands in %s', (key, taskType, expected) => {
    expect(failureStatusFor(view(key, { taskType }))).toBe(expected);
    expect(applyEvent(view(key, { taskType }), { type: 'failed', errorCode: 'DRS.M01501', errorMsg: 'x' })?.status).toBe(expected);
  });

  it('precheckCompleted applies only while a pre-check runs', () => {
    expect(applyEvent(view('CONFIGURATION', { precheck: 'running' }), { type: 'precheckCompleted', items: [] })).toEqual({ status: 'CONFIGURATION' });
    expect(applyEvent(view('CONFIGURATION', { precheck: 'none' }), { type: 'precheckCompleted', items: [] })).toBeUndefined();
  });
});

describe('state machine: job_action matrix (list API)', () => {
  it('CONFIGURATION offers START/PRE_CHECK/CHOOSE_OBJECT; INCRE_TRANSFER_STARTED offers PAUSE/FREE_RESOURCE/RESET_DB_PWD', () => {
    const configuring = jobActions(view('CONFIGURATION'));
    expect(configuring.available_actions).toEqual(expect.arrayContaining(['CREATE', 'START', 'PRE_CHECK', 'CHOOSE_OBJECT', 'FREE_RESOURCE']));
    expect(configuring.unavailable_actions).toEqual(expect.arrayContaining(['PAUSE', 'RETRY', 'DELETE', 'RESET_DB_PWD']));
    const running = jobActions(view('INCRE_TRANSFER_STARTED'));
    expect(running.available_actions).toEqual(expect.arrayContaining(['PAUSE', 'FREE_RESOURCE', 'RESET_DB_PWD', 'PRE_CHECK']));
    expect(running.unavailable_actions).toEqual(expect.arrayContaining(['START', 'DELETE', 'RETRY']));
    const released = jobActions(view('RELEASE_RESOURCE_COMPLETE'));
    expect(released.available_actions).toContain('DELETE');
    expect(jobActions(view('PAUSING')).current_action).toBe('STOP_JOB');
  });
});
