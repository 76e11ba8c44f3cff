import { describe, expect, it } from 'vitest';
import type { Action } from '../../../controller/src/reconcile/actions.ts';
import type { ProviderPhase } from '../../../controller/src/reconcile/observation.ts';
import { plan } from '../../../controller/src/reconcile/plan.ts';
import type { PlanInput } from '../../../controller/src/reconcile/plan-input.ts';
import { ALL_CAPABILITIES, NOW, input, observed, passedCheck } from './plan-fixtures.ts';

const types = (actions: Action[]) => actions.map((a) => ('purpose' in a ? `${a.type}:${a.purpose}` : 'force' in a ? `${a.type}${a.force ? ':force' : ''}` : 'endpoint' in a ? `${a.type}:${a.endpoint}` : a.type));

/**
 * Every provider phase × every desired state (and deletion). Each row: what the planner asks
 * for, the phase it reports, and whether Ready is True.
 */
type Row = [ProviderPhase, 'Running' | 'Paused' | 'Stopped' | 'deleted', Partial<PlanInput>, string[], string, boolean];
const matrix: Row[] = [
  ['Creating', 'Running', {}, [], 'Creating', false],
  ['Creating', 'Paused', {}, [], 'Creating', false],
  ['Creating', 'Stopped', {}, [], 'Creating', false],
  ['Creating', 'deleted', {}, [], 'Deleting', false],
  ['Configuring', 'Running', { configuredGeneration: undefined }, ['Configure', 'StartPrecheck:start'], 'Prechecking', false],
  ['Configuring', 'Paused', { configuredGeneration: undefined }, ['Configure', 'StartPrecheck:start'], 'Prechecking', false],
  ['Configuring', 'Stopped', {}, ['Stop'], 'Stopping', false],
  ['Configuring', 'deleted', {}, ['Stop'], 'Deleting', false],
  ['Starting', 'Running', {}, [], 'Starting', false],
  ['Starting', 'Paused', {}, [], 'Starting', false],
  ['Starting', 'Stopped', {}, ['Stop'], 'Stopping', false],
  ['Starting', 'deleted', {}, ['Stop'], 'Deleting', false],
  ['FullSync', 'Running', {}, [], 'FullSync', false],
  ['FullSync', 'Paused', {}, ['Pause'], 'FullSync', false],
  ['FullSync', 'Stopped', {}, ['Stop'], 'Stopping', false],
  ['FullSync', 'deleted', {}, ['Stop'], 'Deleting', false],
  ['IncrementalSync', 'Running', {}, [], 'IncrementalSync', true],
  ['IncrementalSync', 'Paused', {}, ['Pause'], 'IncrementalSync', false],
  ['IncrementalSync', 'Stopped', {}, ['Stop'], 'Stopping', false],
  ['IncrementalSync', 'deleted', {}, ['Stop'], 'Deleting', false],
  ['Completed', 'Running', { mode: 'full' }, [], 'Completed', true],
  ['Completed', 'Paused', { mode: 'full' }, [], 'Completed', true],
  ['Completed', 'Stopped', { mode: 'full' }, ['Stop'], 'Stopping', false],
  ['Completed', 'deleted', { mode: 'full' }, ['Stop'], 'Deleting', false],
  ['Paused', 'Running', {}, ['Resume'], 'Paused', false],
  ['Paused', 'Paused', {}, [], 'Paused', true],
  ['Paused', 'Stopped', {}, ['Stop'], 'Stopping', false],
  ['Paused', 'deleted', {}, ['Stop'], 'Deleting', false],
  ['Failed', 'Running', {}, ['StartPrecheck:retry'], 'Failed', false],
  ['Failed', 'Paused', {}, [], 'Failed', false],
  ['Failed', 'Stopped', {}, ['Stop'], 'Stopping', false],
  ['Failed', 'deleted', {}, ['Stop'], 'Deleting', false],
  ['Stopping', 'Running', {}, [], 'Stopping', false],
  ['Stopping', 'Paused', {}, [], 'Stopping', false],
  ['Stopping', 'Stopped', {}, [], 'Stopping', false],
  ['Stopping', 'deleted', { stopRequestedAt: NOW - 1000 }, [], 'Deleting', false],
  ['Stopped', 'Running', {}, [], 'Stopped', false],
  ['Stopped', 'Paused', {}, [], 'Stopped', false],
  ['Stopped', 'Stopped', {}, [], 'Stopped', true],
  ['Stopped', 'deleted', {}, ['Delete'], 'Deleting', false],
];

describe('plan: provider phase × desired state', () => {
  it.each(matrix)('%s + %s → %j', (phase, desired, extra, actions, reportedPhase, isReady) => {
    const result = plan(
      input({
        ...(desired === 'deleted' ? { deleting: true } : { desiredState: desired }),
        observed: observed(phase),
        ...extra,
      }),
    );
    expect(types(result.actions)).toEqual(actions);
    expect(result.phase).toBe(reportedPhase);
    expect(result.verdict.ready).toBe(isReady);
  });

  it('covers every provider phase with every desired state', () => {
    const phases = new Set(matrix.map((r) => `${r[0]}/${r[1]}`));
    expect(phases.size).toBe(10 * 4);
  });
});

describe('plan: stop on APIs that end a stopped job as failed or finished', () => {
  it.each(['Failed', 'Completed'] as const)('%s after the stop was requested is Stopped, with nothing more to do', (phase) => {
    const result = plan(input({ desiredState: 'Stopped', mode: 'full', stopRequestedAt: NOW - 1000, observed: observed(phase) }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('Stopped');
    expect(result.verdict).toMatchObject({ ready: true, reason: 'Stopped' });
  });

  it('without stop capability, stopping a failed job releases it by deleting', () => {
    const result = plan(input({ desiredState: 'Stopped', capabilities: { ...ALL_CAPABILITIES, stop: false }, observed: observed('Failed') }));
    expect(types(result.actions)).toEqual(['Delete']);
  });
});

describe('plan: creation', () => {
  it('adds the finalizer before anything reaches the provider', () => {
    const result = plan(input({ hasFinalizer: false, jobId: undefined, observed: undefined }));
    expect(types(result.actions)).toEqual(['AddFinalizer']);
  });

  it('creates when no job is known', () => {
    expect(types(plan(input({ jobId: undefined, createdAt: undefined, observed: undefined })).actions)).toEqual(['Create']);
  });

  it('looks the job up by name first when a create may have happened before a crash', () => {
    const result = plan(input({ jobId: undefined, createdAt: undefined, createPending: true, observed: undefined }));
    expect(result.actions).toEqual([{ type: 'Create', lookupFirst: true }]);
  });

  it('treats a just-created job that is not visible yet as eventual consistency, not as gone', () => {
    const result = plan(input({ createdAt: NOW - 5_000, everObserved: false, observed: undefined }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('Creating');
  });

  it('forgets a job that vanished outside the operator so it is created again', () => {
    const result = plan(input({ observed: undefined }));
    expect(types(result.actions)).toEqual(['ForgetJob']);
    expect(result.verdict.reason).toBe('ProviderJobGone');
  });

  it('creates nothing for a job that starts life Stopped', () => {
    const result = plan(input({ desiredState: 'Stopped', jobId: undefined, createdAt: undefined, observed: undefined }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('Stopped');
  });
});

describe('plan: setup and pre-check', () => {
  const configuring = (extra: Partial<PlanInput>) => input({ observed: observed('Configuring', extra.observed ?? {}), ...extra });

  it('re-configures when spec changed during setup', () => {
    const result = plan(configuring({ generation: 2, configuredGeneration: 1, precheckRequestedAt: NOW - 1000 }));
    expect(types(result.actions)).toEqual(['Configure', 'StartPrecheck:start']);
  });

  it('waits while the pre-check runs', () => {
    const running = { ...passedCheck, finished: false, passed: false };
    const result = plan(input({ precheckRequestedAt: NOW - 1000, observed: observed('Configuring', { precheck: running }) }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('Prechecking');
  });

  it('waits for a freshly requested pre-check to show up instead of requesting another', () => {
    const result = plan(input({ precheckRequestedAt: NOW - 1000, observed: observed('Configuring') }));
    expect(result.actions).toEqual([]);
  });

  it('starts after a passed pre-check', () => {
    const result = plan(input({ precheckRequestedAt: NOW - 1000, observed: observed('Configuring', { precheck: passedCheck }) }));
    expect(types(result.actions)).toEqual(['Start']);
  });

  it('holds the start while spec.state is Paused', () => {
    const result = plan(input({ desiredState: 'Paused', precheckRequestedAt: NOW - 1000, observed: observed('Configuring', { precheck: passedCheck }) }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('Paused');
    expect(result.verdict.ready).toBe(true);
  });

  it('blocks start on FAILED items and names the state PrecheckFailed', () => {
    const failed = { ...passedCheck, passed: false, items: [{ item: 'primary key check', result: 'FAILED', failedReason: 'table t has none' }] };
    const result = plan(input({ precheckRequestedAt: NOW - 1000, observed: observed('Configuring', { precheck: failed }) }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('PrecheckFailed');
    expect(result.verdict.reason).toBe('PrecheckFailed');
    expect(result.requeueAfterMs).toBe(300_000 - 1000);
  });

  it('blocks start on ALARM items unless alarms are tolerated', () => {
    const alarm = { ...passedCheck, hasAlarms: true };
    const strict = plan(input({ precheckRequestedAt: NOW - 1000, observed: observed('Configuring', { precheck: alarm }) }));
    expect(strict.phase).toBe('PrecheckFailed');
    expect(strict.verdict.reason).toBe('PrecheckAlarms');
    const tolerant = plan(input({ tolerateAlarms: true, precheckRequestedAt: NOW - 1000, observed: observed('Configuring', { precheck: alarm }) }));
    expect(types(tolerant.actions)).toEqual(['Start']);
  });

  it('re-runs a failed pre-check after the recheck interval (the fix may be in the database)', () => {
    const failed = { ...passedCheck, passed: false };
    const result = plan(input({ precheckRequestedAt: NOW - 300_000, observed: observed('Configuring', { precheck: failed }) }));
    expect(types(result.actions)).toEqual(['StartPrecheck:start']);
  });

  it('starts right after configuration for providers without a pre-check', () => {
    const result = plan(input({ capabilities: { ...ALL_CAPABILITIES, precheck: false }, observed: observed('Configuring') }));
    expect(types(result.actions)).toEqual(['Start']);
  });
});

describe('plan: failures and retries', () => {
  const failed = (extra: Partial<PlanInput>, obs = {}) => input({ observed: observed('Failed', { error: { code: 'DRS.X', message: 'boom' }, ...obs }), ...extra });
  const retryCheck = { purpose: 'retry' as const, finished: true, passed: true, hasAlarms: false, items: [] };

  it('retries after a passed retry pre-check of the current attempt', () => {
    const result = plan(failed({ retries: 1, lastRetryAt: NOW - 5000, precheckRequestedAt: NOW - 5000 }, { precheck: retryCheck }));
    expect(types(result.actions)).toEqual(['Retry']);
  });

  it('finishes the last allowed attempt: its pre-check counted, its retry still goes out', () => {
    const result = plan(failed({ retries: 3, lastRetryAt: NOW - 5000, precheckRequestedAt: NOW - 5000 }, { precheck: retryCheck }));
    expect(types(result.actions)).toEqual(['Retry']);
  });

  it('backs off exponentially between attempts', () => {
    const result = plan(failed({ retries: 2, lastRetryAt: NOW - 60_000, precheckRequestedAt: NOW - 120_000 }));
    expect(result.actions).toEqual([]);
    expect(result.requeueAfterMs).toBe(60_000 * 4 - 60_000);
  });

  it('backs off after a failed retry pre-check instead of looping', () => {
    const result = plan(failed({ retries: 1, lastRetryAt: NOW - 1000, precheckRequestedAt: NOW - 1000 }, { precheck: { ...retryCheck, passed: false } }));
    expect(result.actions).toEqual([]);
    expect(result.verdict.reason).toBe('RetryBackoff');
  });

  it('gives up after maxRetries and says how to retry by hand', () => {
    const result = plan(failed({ retries: 3, lastRetryAt: NOW - 10_000_000 }));
    expect(result.actions).toEqual([]);
    expect(result.verdict.reason).toBe('RetriesExhausted');
    expect(result.verdict.message).toContain('boom (DRS.X)');
    // Only a change to the object (the reconcile-request annotation) helps now: Terminal.
    expect(result.terminal).toEqual({ reason: 'RetriesExhausted', message: result.verdict.message });
  });

  it('does not retry what the provider cannot retry, and says to re-create', () => {
    const result = plan(failed({}, { recoverable: false }));
    expect(result.actions).toEqual([]);
    expect(result.terminal?.reason).toBe('JobFailedPermanently');
  });

  it.each([
    ['retries are off', failed({ retryPolicy: { maxRetries: 0, backoffMs: 1 } })],
    ['the provider cannot retry', failed({ capabilities: { ...ALL_CAPABILITIES, retry: false } })],
    ['spec.state is Paused', failed({ desiredState: 'Paused' })],
  ])('does not retry when %s, and says so with a Terminal condition (a person is needed)', (_why, input) => {
    const result = plan(input);
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('Failed');
    expect(result.verdict.reason).toBe('JobFailed');
    expect(result.terminal).toEqual({ reason: 'JobFailed', message: result.verdict.message });
  });

  it('clears the Terminal condition when the provider job recovers on its own', () => {
    expect(plan(failed({ retries: 3, lastRetryAt: NOW - 10_000_000 })).terminal?.reason).toBe('RetriesExhausted');
    const recovered = plan(input({ retries: 3, lastRetryAt: NOW - 10_000_000, observed: observed('IncrementalSync') }));
    expect(recovered.terminal).toBeUndefined();
    expect(recovered.phase).toBe('IncrementalSync');
  });

  it('retries directly where the provider has no retry pre-check', () => {
    const result = plan(failed({ capabilities: { ...ALL_CAPABILITIES, precheckBeforeRetry: false } }));
    expect(types(result.actions)).toEqual(['Retry']);
  });
});

describe('plan: in-place changes', () => {
  it('applies drifted settings, speed limits and rotated passwords to a running job', () => {
    const drift = { settings: true, speedLimits: true, sourcePassword: true, targetPassword: true, objects: false };
    const result = plan(input({ drift, observed: observed('IncrementalSync') }));
    expect(types(result.actions)).toEqual(['ApplySettings', 'ApplySpeedLimits', 'RotatePassword:source', 'RotatePassword:target']);
  });

  it('skips what the provider cannot change in place', () => {
    const drift = { settings: true, speedLimits: true, sourcePassword: true, targetPassword: false, objects: false };
    const caps = { ...ALL_CAPABILITIES, speedLimits: false, passwordRotation: false };
    expect(types(plan(input({ drift, capabilities: caps, observed: observed('FullSync') })).actions)).toEqual(['ApplySettings']);
  });
});

describe('plan: full sync completing', () => {
  it('waits for incremental sync after a completed full copy when the mode streams changes', () => {
    const result = plan(input({ observed: observed('Completed') }));
    expect(result.actions).toEqual([]);
    expect(result.phase).toBe('FullSync');
  });
});

describe('plan: refusals', () => {
  it('refuses a change of objects on a started job where the provider cannot apply it, and acts on nothing', () => {
    const result = plan(input({ drift: { settings: true, speedLimits: false, sourcePassword: false, targetPassword: false, objects: true }, observed: observed('IncrementalSync') }));
    expect(result.actions).toEqual([]);
    expect(result.terminal?.reason).toBe('ObjectsChangeUnsupported');
  });

  it('re-configures a changed object selection during setup', () => {
    const result = plan(input({ generation: 2, drift: { settings: false, speedLimits: false, sourcePassword: false, targetPassword: false, objects: true }, observed: observed('Configuring') }));
    expect(result.actions.map((a) => a.type)).toEqual(['Configure', 'StartPrecheck']);
  });

  it('refuses a changed object selection before start where create carried the configuration (no configure step)', () => {
    const drift = { settings: false, speedLimits: false, sourcePassword: false, targetPassword: false, objects: true };
    const result = plan(input({ generation: 2, drift, capabilities: { ...ALL_CAPABILITIES, configure: false }, observed: observed('Configuring') }));
    expect(result.actions).toEqual([]);
    expect(result.terminal).toMatchObject({ reason: 'ObjectsChangeUnsupported', message: expect.stringContaining('after the job was created') });
  });

  it('reports a terminal condition when the provider cannot pause', () => {
    const result = plan(input({ desiredState: 'Paused', capabilities: { ...ALL_CAPABILITIES, pause: false }, observed: observed('IncrementalSync') }));
    expect(result.actions).toEqual([]);
    expect(result.terminal?.reason).toBe('PauseUnsupported');
  });

  it('is terminal when the job was stopped outside the operator', () => {
    expect(plan(input({ observed: observed('Stopped') })).terminal?.reason).toBe('StoppedOutsideOperator');
  });
});

describe('plan: deletion', () => {
  const deleting = (extra: Partial<PlanInput>) => input({ deleting: true, ...extra });

  it('orphans at once with deletionPolicy Orphan', () => {
    expect(types(plan(deleting({ deletionPolicy: 'Orphan', observed: observed('IncrementalSync') })).actions)).toEqual(['RemoveFinalizer']);
  });

  it('deletes a deletable job and removes the finalizer only once the job is gone', () => {
    expect(types(plan(deleting({ observed: observed('Stopped') })).actions)).toEqual(['Delete']);
    expect(types(plan(deleting({ observed: undefined })).actions)).toEqual(['RemoveFinalizer']);
  });

  it('waits for a requested stop, then forces it after the timeout', () => {
    expect(plan(deleting({ stopRequestedAt: NOW - 1000, observed: observed('IncrementalSync') })).actions).toEqual([]);
    expect(plan(deleting({ stopRequestedAt: NOW - 600_000, observed: observed('Stopping') })).actions).toEqual([{ type: 'Stop', force: true }]);
  });

  it('looks for a job created before a crash rather than leaking it', () => {
    expect(plan(deleting({ jobId: undefined, createPending: true, observed: undefined })).actions).toEqual([{ type: 'Create', lookupFirst: true }]);
  });

  it('does not remove the finalizer while a just-created job is not visible yet', () => {
    expect(plan(deleting({ createdAt: NOW - 1000, everObserved: false, observed: undefined })).actions).toEqual([]);
    // Once seen, "not found" means gone: our own delete finished.
    expect(types(plan(deleting({ createdAt: NOW - 1000, everObserved: true, observed: undefined })).actions)).toEqual(['RemoveFinalizer']);
  });

  it('does nothing once our finalizer is gone', () => {
    expect(plan(deleting({ hasFinalizer: false, observed: observed('IncrementalSync') })).actions).toEqual([]);
  });
});

describe('plan: invariants over every combination', () => {
  const phases: ProviderPhase[] = ['Creating', 'Configuring', 'Starting', 'FullSync', 'IncrementalSync', 'Completed', 'Paused', 'Failed', 'Stopping', 'Stopped'];
  const combos = phases.flatMap((phase) =>
    (['Running', 'Paused', 'Stopped'] as const).flatMap((desiredState) =>
      [true, false].flatMap((deleting) => [true, false].map((hasFinalizer) => ({ phase, desiredState, deleting, hasFinalizer }))),
    ),
  );

  it.each(combos)('$phase/$desiredState deleting=$deleting finalizer=$hasFinalizer', ({ phase, desiredState, deleting, hasFinalizer }) => {
    const result = plan(input({ desiredState, deleting, hasFinalizer, observed: observed(phase) }));
    const kinds = types(result.actions);
    if (!hasFinalizer) {
      // Without our finalizer nothing may reach the provider.
      expect(kinds.filter((k) => k !== 'AddFinalizer')).toEqual([]);
    }
    if (deleting) {
      // The finalizer goes only when the provider job is gone (or orphaned).
      expect(kinds).not.toContain('RemoveFinalizer');
      expect(kinds).not.toContain('AddFinalizer');
    }
    if (result.terminal) expect(result.actions).toEqual([]);
    expect(result.verdict.message.length).toBeGreaterThan(0);
  });
});
