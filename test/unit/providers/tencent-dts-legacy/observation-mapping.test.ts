import { describe, expect, it } from 'vitest';
import { snapshotChanged, toObservation, type LegacySnapshot } from '../../../../controller/src/providers/tencent-dts-legacy/observation-mapping.ts';
import { awaitsCompletion, isSteadyStatus } from '../../../../controller/src/providers/tencent-dts-legacy/status-map.ts';

const snap = (status: number, extra: Partial<LegacySnapshot> = {}): LegacySnapshot => ({ jobId: 'dts-1kl0iy0v', jobName: 'rj-1', status, migrateType: 3, ...extra });

describe('tencent-dts-legacy status → Observation', () => {
  // status, MigrateType, phase, deletable, providerStatus
  const rows: [number, number, string, boolean, string][] = [
    [1, 3, 'Configuring', true, '1 Creating'],
    [3, 3, 'Configuring', false, '3 Checking'],
    [4, 3, 'Configuring', true, '4 CheckPass'],
    [5, 3, 'Configuring', true, '5 CheckNotPass'],
    [7, 3, 'FullSync', false, '7 Running'],
    [7, 2, 'FullSync', false, '7 Running'],
    [8, 3, 'IncrementalSync', false, '8 ReadyComplete'],
    [8, 2, 'FullSync', false, '8 ReadyComplete'],
    [8, 1, 'FullSync', false, '8 ReadyComplete'],
    [9, 2, 'Completed', true, '9 Success'],
    [9, 3, 'Stopped', true, '9 Success'],
    [10, 3, 'Failed', true, '10 Failed'],
    [11, 3, 'Stopping', false, '11 Stopping'],
    [12, 2, 'FullSync', false, '12 Completing'],
    [12, 3, 'Stopping', false, '12 Completing'],
    [23, 3, 'Starting', true, '23 Unknown'],
  ];
  it.each(rows)('status %i (MigrateType %i) → %s, deletable %s', (status, type, phase, deletable, text) => {
    expect(toObservation(snap(status, { migrateType: type }))).toMatchObject({ phase, deletable, providerStatus: text });
  });

  it('reports the running copy progress, and 100% plus the delay once streaming', () => {
    expect(toObservation(snap(7, { detail: { Progress: '42', SecondsBehindMaster: 0, StepAll: 3, StepNow: 2 } })).progress).toEqual({ percent: 42 });
    expect(toObservation(snap(8, { detail: { Progress: '100', SecondsBehindMaster: 7, StepAll: 3, StepNow: 3 } })).progress).toEqual({ percent: 100, incrementalDelaySeconds: 7 });
    expect(toObservation(snap(9, { migrateType: 2 })).progress).toEqual({ percent: 100 });
    expect(toObservation(snap(1)).progress).toBeUndefined();
  });

  it('turns the check into status.precheck: running, passed, failed with its message', () => {
    expect(toObservation(snap(3)).precheck).toEqual({ purpose: 'start', finished: false, passed: false, hasAlarms: false, items: [] });
    expect(toObservation(snap(4, { check: { Status: 'finished', ErrorCode: 0, ErrorMessage: 'ok', Progress: '100', CheckFlag: 1 } })).precheck).toMatchObject({
      finished: true,
      passed: true,
      passedRate: '100%',
      items: [{ result: 'PASSED' }],
    });
    const failed = toObservation(snap(5, { check: { Status: 'finished', ErrorCode: -1, ErrorMessage: '选择的库表不存在，请重新选择', Progress: '100', CheckFlag: 0 } })).precheck!;
    expect(failed).toMatchObject({ finished: true, passed: false, hasAlarms: false });
    expect(failed.items).toEqual([{ item: 'Migration check (CreateMigrateCheckJob)', result: 'FAILED', failedReason: '选择的库表不存在，请重新选择 (ErrorCode -1)' }]);
    // The status decides even before the check answer was read.
    expect(toObservation(snap(5)).precheck!.items[0]!.failedReason).toMatch(/did not pass/);
    // Only a passed check lets a job start: started jobs keep saying so.
    expect(toObservation(snap(7)).precheck).toMatchObject({ finished: true, passed: true });
    expect(toObservation(snap(1)).precheck).toBeUndefined();
    expect(toObservation(snap(10)).precheck).toBeUndefined();
  });

  it('reports a failed job as not recoverable in place, with its error logs', () => {
    expect(toObservation(snap(10, { errorLogs: ['disk full on target', 'task aborted'] }))).toMatchObject({
      phase: 'Failed',
      recoverable: false,
      error: { message: 'disk full on target; task aborted' },
    });
  });

  it('knows which statuses are steady and which wait for completion', () => {
    expect([1, 4, 5, 9, 10].every((s) => isSteadyStatus(s, 2))).toBe(true);
    expect(isSteadyStatus(8, 3)).toBe(true);
    expect(isSteadyStatus(8, 2)).toBe(false);
    expect([3, 7, 11, 12, 23].some((s) => isSteadyStatus(s, 3))).toBe(false);
    expect(awaitsCompletion(8, 2)).toBe(true);
    expect(awaitsCompletion(8, 1)).toBe(true);
    expect(awaitsCompletion(8, 3)).toBe(false);
    expect(awaitsCompletion(7, 2)).toBe(false);
  });

  it('counts status, progress, material delay, check and error changes as changes, jitter not', () => {
    const base = snap(8, { detail: { Progress: '100', SecondsBehindMaster: 100, StepAll: 3, StepNow: 3 } });
    expect(snapshotChanged(undefined, base)).toBe(true);
    expect(snapshotChanged(base, { ...base })).toBe(false);
    expect(snapshotChanged(base, { ...base, detail: { ...base.detail!, SecondsBehindMaster: 103 } })).toBe(false);
    expect(snapshotChanged(base, { ...base, detail: { ...base.detail!, SecondsBehindMaster: 300 } })).toBe(true);
    expect(snapshotChanged(base, { ...base, status: 12 })).toBe(true);
    expect(snapshotChanged(snap(5), snap(5, { check: { Status: 'finished', ErrorCode: -1, ErrorMessage: 'x', Progress: '100', CheckFlag: 0 } }))).toBe(true);
    expect(snapshotChanged(snap(10), snap(10, { errorLogs: ['boom'] }))).toBe(true);
  });
});
