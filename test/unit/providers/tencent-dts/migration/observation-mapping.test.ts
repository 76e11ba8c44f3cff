import { describe, expect, it } from 'vitest';
import type { MigrateDetailInfo } from '../../../../../controller/src/providers/tencent-dts/migration/api-types.ts';
import { snapshotChanged, toObservation, toPrecheck, type MigrationSnapshot } from '../../../../../controller/src/providers/tencent-dts/migration/observation-mapping.ts';

const steps = (statuses: string[], percents: number[] = [], behind = -1, incremental = true): MigrateDetailInfo => ({
  StepAll: statuses.length,
  StepNow: statuses.findIndex((s) => s === 'running') + 1,
  SecondsBehindMaster: behind,
  MasterSlaveDistance: behind,
  StepInfo: statuses.map((Status, i) => ({
    StepNo: i + 1,
    StepId: ['InitTask', 'StructMigration', 'FullMigration', incremental ? 'IncrMigration' : 'Extra'][i]!,
    Status,
    Percent: percents[i] ?? (Status === 'success' ? 100 : 0),
  })),
});

const snap = (status: string, extra: Partial<MigrationSnapshot> = {}): MigrationSnapshot => ({ jobId: 'dts-1', status, ...extra });

describe('tencent-dts migration observation mapping', () => {
  it.each([
    ['creating', 'Creating', false],
    ['created', 'Configuring', true],
    ['checking', 'Configuring', false],
    ['checkPass', 'Configuring', true],
    ['checkNotPass', 'Configuring', true],
    ['readyRun', 'Starting', false],
    ['readyComplete', 'IncrementalSync', false],
    ['failed', 'Failed', true],
    ['stopping', 'Stopping', false],
    ['completing', 'Stopping', false],
    ['pausing', 'Paused', false],
    ['manualPaused', 'Paused', false],
    ['canceled', 'Stopped', true],
  ])('%s → %s (deletable %s)', (status, phase, deletable) => {
    expect(toObservation(snap(status))).toMatchObject({ providerStatus: status, phase, deletable });
  });

  it('running is FullSync during the full steps, IncrementalSync in the incremental step, with progress and delay', () => {
    const full = toObservation(snap('running', { steps: steps(['success', 'running', 'notStarted', 'notStarted'], [100, 50]) }));
    expect(full).toMatchObject({ phase: 'FullSync', progress: { percent: 50 } });
    expect(full.progress?.incrementalDelaySeconds).toBeUndefined();
    const streaming = toObservation(snap('running', { steps: steps(['success', 'success', 'success', 'running'], [], 42) }));
    expect(streaming).toMatchObject({ phase: 'IncrementalSync', progress: { percent: 100, incrementalDelaySeconds: 42 } });
    expect(toObservation(snap('readyComplete', { steps: steps(['success', 'success', 'success', 'running'], [], 0) })).progress).toEqual({ percent: 100, incrementalDelaySeconds: 0 });
  });

  it('success completes a full migration; a completed full-and-incremental one has ended (Stopped)', () => {
    expect(toObservation(snap('success', { steps: steps(['success', 'success', 'success'], [], -1, false) }))).toMatchObject({ phase: 'Completed', progress: { percent: 100 } });
    expect(toObservation(snap('success', { steps: steps(['success', 'success', 'success', 'success']) })).phase).toBe('Stopped');
  });

  it('a job being released (isolated) is Stopped and deletable, whatever its status', () => {
    expect(toObservation(snap('created', { tradeStatus: 'isolated' }))).toMatchObject({ phase: 'Stopped', deletable: true, providerStatus: 'created/isolated' });
  });

  it('failed carries ErrorInfo (or BriefMsg) and is recoverable; error is not', () => {
    expect(toObservation(snap('failed', { briefMsg: 'binlog purged' }))).toMatchObject({ phase: 'Failed', recoverable: true, error: { message: 'binlog purged' } });
    expect(toObservation(snap('failed', { error: { code: 'E1', message: 'detail' }, briefMsg: 'brief' })).error).toEqual({ code: 'E1', message: 'detail' });
    expect(toObservation(snap('error'))).toMatchObject({ phase: 'Failed', recoverable: false });
  });

  it('reports a failed pre-check item by item, with reason and solution', () => {
    const check = toPrecheck(
      {
        Status: 'success',
        CheckFlag: 'checkNotPass',
        StepInfo: [
          { StepId: 'ConnectDBCheck', StepName: 'Database connection check', StepStatus: 'pass', DetailCheckItems: [{ CheckItemName: 'Source database connection', CheckResult: 'pass' }] },
          { StepId: 'VersionCheck', StepName: 'Version check', StepStatus: 'warning', DetailCheckItems: [{ CheckItemName: 'Database version compatibility', CheckResult: 'warning', FailureReason: '5.6 → 8.0' }] },
          { StepId: 'ObjectCheck', StepName: 'Migration object check', StepStatus: 'failed', DetailCheckItems: [{ CheckItemName: 'Primary key check', CheckResult: 'failed', FailureReason: 'orders.audit has no primary key', Solution: 'Add one' }] },
        ],
      },
      'checkNotPass',
    );
    expect(check).toMatchObject({ purpose: 'start', finished: true, passed: false, hasAlarms: true, passedRate: '66%' });
    expect(check.items).toContainEqual({ item: 'Primary key check', group: 'Migration object check', result: 'FAILED', failedReason: 'orders.audit has no primary key Solution: Add one' });
    expect(check.items).toContainEqual({ item: 'Source database connection', group: 'Database connection check', result: 'PASSED' });
  });

  it('does not take an earlier check result for the one just started', () => {
    const old = { Status: 'success', CheckFlag: 'checkPass', StepInfo: [] };
    expect(toPrecheck(old, 'checking').finished).toBe(false);
    expect(toPrecheck(old, 'created').finished).toBe(false);
    expect(toPrecheck(old, 'checkPass')).toMatchObject({ finished: true, passed: true });
    expect(toPrecheck({ Status: 'failed', BriefMsg: 'cannot reach the source', CheckFlag: 'checkNotPass' }, 'checkNotPass').items).toEqual([{ item: 'pre-check', result: 'FAILED', failedReason: 'cannot reach the source' }]);
  });

  it('calls a snapshot changed on status, trade status, percent, material delay or check moves only', () => {
    const a = snap('running', { steps: steps(['success', 'success', 'success', 'running'], [], 3) });
    expect(snapshotChanged(a, { ...a, steps: steps(['success', 'success', 'success', 'running'], [], 4) })).toBe(false);
    expect(snapshotChanged(a, { ...a, steps: steps(['success', 'success', 'success', 'running'], [], 60) })).toBe(true);
    expect(snapshotChanged(a, { ...a, status: 'readyComplete' })).toBe(true);
    expect(snapshotChanged(a, { ...a, tradeStatus: 'isolating' })).toBe(true);
    expect(snapshotChanged(a, { ...a, check: {} })).toBe(true);
  });
});
