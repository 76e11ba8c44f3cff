import { describe, expect, it } from 'vitest';
import { ReconcileError } from '../../../controller/src/reconcile/errors.ts';
import { plan } from '../../../controller/src/reconcile/plan.ts';
import { recordAction } from '../../../controller/src/reconcile/record.ts';
import { buildStatus, formatSeconds } from '../../../controller/src/reconcile/status.ts';
import { input, observed } from './plan-fixtures.ts';

const T1 = '2027-01-15T08:00:00Z';
const T2 = '2027-01-15T08:05:00Z';

describe('buildStatus', () => {
  const replicating = observed('IncrementalSync', { progress: { percent: 100, incrementalDelaySeconds: 125 } });

  it('reports phase, raw status, progress with kubectl-friendly text, observedGeneration and Ready', () => {
    const status = buildStatus({
      previous: {},
      plan: plan(input({ observed: replicating, generation: 3 })),
      observed: replicating,
      desiredState: 'Running',
      tolerateAlarms: false,
      generation: 3,
      now: T1,
    });
    expect(status).toMatchObject({
      phase: 'IncrementalSync',
      state: 'Running',
      providerStatus: 'RAW_IncrementalSync',
      jobId: 'job-1',
      observedGeneration: 3,
      progress: { percent: 100, percentText: '100%', incrementalDelaySeconds: 125, delayText: '2m5s' },
      fullSyncCompletedAt: T1,
      lastObservedAt: T1,
    });
    const ready = status.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ status: 'True', reason: 'Replicating', observedGeneration: 3, lastTransitionTime: T1 });
    expect(status.conditions!.find((c) => c.type === 'Synced')!.status).toBe('True');
  });

  it('moves lastTransitionTime only when a condition flips', () => {
    const first = buildStatus({ previous: {}, plan: plan(input({ observed: replicating })), observed: replicating, desiredState: 'Running', tolerateAlarms: false, generation: 1, now: T1 });
    const same = buildStatus({ previous: first, plan: plan(input({ observed: replicating })), observed: replicating, desiredState: 'Running', tolerateAlarms: false, generation: 1, now: T2 });
    expect(same.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe(T1);
    const failedObs = observed('Failed', { error: { message: 'x' } });
    const flipped = buildStatus({ previous: same, plan: plan(input({ observed: failedObs, retryPolicy: { maxRetries: 0, backoffMs: 1 } })), observed: failedObs, desiredState: 'Running', tolerateAlarms: false, generation: 1, now: T2 });
    expect(flipped.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: T2 });
  });

  it('sets Terminal for errors only a spec change can fix, and clears it when they go away', () => {
    const failure = new ReconcileError('UnsupportedEngine', 'engine db2 is not supported by huawei-drs', { terminal: true });
    const bad = buildStatus({ previous: {}, plan: plan(input({ observed: replicating })), observed: replicating, failure, desiredState: 'Running', tolerateAlarms: false, generation: 1, now: T1 });
    expect(bad.conditions!.find((c) => c.type === 'Terminal')).toMatchObject({ status: 'True', reason: 'UnsupportedEngine' });
    expect(bad.conditions!.find((c) => c.type === 'Synced')).toMatchObject({ status: 'False', reason: 'UnsupportedEngine' });
    expect(bad.message).toBe('engine db2 is not supported by huawei-drs');
    const good = buildStatus({ previous: bad, plan: plan(input({ observed: replicating })), observed: replicating, desiredState: 'Running', tolerateAlarms: false, generation: 2, now: T2 });
    expect(good.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
  });

  it('puts FAILED pre-check items first and names them in PrecheckPassed', () => {
    const check = {
      purpose: 'start' as const,
      finished: true,
      passed: false,
      hasAlarms: true,
      passedRate: '50%',
      items: [
        { item: 'wal_level', result: 'PASSED' },
        { item: 'replica identity', result: 'ALARM', failedReason: 'table t uses DEFAULT' },
        { item: 'primary key', result: 'FAILED', failedReason: 'table t has no primary key', group: 'objects' },
      ],
    };
    const obs = observed('Configuring', { precheck: check });
    const status = buildStatus({ previous: {}, plan: plan(input({ observed: obs, precheckRequestedAt: Date.parse(T1) - 1 })), observed: obs, desiredState: 'Running', tolerateAlarms: false, generation: 1, now: T1 });
    expect(status.precheck).toMatchObject({ passed: false, passedRate: '50%', purpose: 'start' });
    expect(status.precheck!.items!.map((i) => i.result)).toEqual(['FAILED', 'ALARM', 'PASSED']);
    const cond = status.conditions!.find((c) => c.type === 'PrecheckPassed')!;
    expect(cond.status).toBe('False');
    expect(cond.message).toContain('primary key (FAILED: table t has no primary key)');
  });
});

describe('recordAction', () => {
  const ctx = { now: T1, generation: 4, desired: { settings: 's2', speedLimits: 'l2', objects: 'o2', sourcePasswordVersion: '17' }, retryNeedsPrecheck: true };

  it('records the job ID and everything create carried', () => {
    const next = recordAction({}, { type: 'Create', lookupFirst: false }, { ...ctx, jobId: 'j', jobName: 'rj-abc' });
    expect(next).toMatchObject({ jobId: 'j', jobName: 'rj-abc', createdAt: T1, applied: { settings: 's2', speedLimits: 'l2', objects: 'o2', sourcePasswordVersion: '17' } });
  });

  it('counts a retry attempt when its pre-check is requested, not again when the retry follows', () => {
    const checked = recordAction({ retries: 1 }, { type: 'StartPrecheck', purpose: 'retry' }, ctx);
    expect(checked).toMatchObject({ retries: 2, lastRetryAt: T1, precheck: { requestedAt: T1, purpose: 'retry' } });
    const retried = recordAction(checked, { type: 'Retry' }, { ...ctx, now: T2 });
    expect(retried).toMatchObject({ retries: 2, lastRetryAt: T2 });
  });

  it('records the configured generation so setup is not repeated', () => {
    expect(recordAction({}, { type: 'Configure' }, ctx).configuredGeneration).toBe(4);
  });

  it('forgets every trace of a vanished job', () => {
    const next = recordAction({ jobId: 'j', createdAt: T1, phase: 'IncrementalSync' }, { type: 'ForgetJob' }, ctx);
    expect(next.jobId).toBeUndefined();
    expect(next.phase).toBe('IncrementalSync');
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [60, '1m0s'],
    [3599, '59m59s'],
    [3600 * 5 + 61, '5h1m'],
  ])('%d → %s', (s, text) => expect(formatSeconds(s)).toBe(text));
});
