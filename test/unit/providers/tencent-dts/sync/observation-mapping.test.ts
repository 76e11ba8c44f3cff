import { describe, expect, it } from 'vitest';
import {
  needsCheckRead,
  snapshotOf,
  toError,
  toObservation,
  type DtsSyncSnapshot,
} from '../../../../../controller/src/providers/tencent-dts/sync/observation-mapping.ts';
import { snapshotChanged } from '../../../../../controller/src/providers/tencent-dts/sync/poller.ts';

const base = (s: Partial<DtsSyncSnapshot>): DtsSyncSnapshot => ({ jobId: 'sync-abcd1234', status: 'Running', tradeStatus: 'Normal', ...s });

describe('DescribeSyncJobs item → observation', () => {
  it('incremental sync: progress and delay from Detail', () => {
    const o = toObservation(base({ detail: { StepAll: 4, StepNow: 4, Progress: 100, SecondsBehindMaster: 7 } }));
    expect(o).toEqual({ jobId: 'sync-abcd1234', providerStatus: 'Running', phase: 'IncrementalSync', deletable: false, progress: { percent: 100, incrementalDelaySeconds: 7 } });
  });

  it('full sync: percent only (SecondsBehindMaster is -1 before the last step)', () => {
    const o = toObservation(base({ detail: { StepAll: 4, StepNow: 3, Progress: 41.6, SecondsBehindMaster: -1 } }));
    expect(o).toMatchObject({ phase: 'FullSync', progress: { percent: 42 } });
    expect(o.progress).not.toHaveProperty('incrementalDelaySeconds');
  });

  it('ResumableErr is a recoverable failure carrying ErrInfo; Failed is not recoverable', () => {
    const errInfo = { Reason: 'SrcBinlogPurged', Message: 'binlog mysql-bin.000042 was purged', Solution: 'Keep binlogs longer' };
    expect(toObservation(base({ status: 'ResumableErr', detail: { ErrInfo: errInfo } }))).toMatchObject({
      phase: 'Failed',
      recoverable: true,
      deletable: false,
      error: { code: 'SrcBinlogPurged', message: 'binlog mysql-bin.000042 was purged. Fix: Keep binlogs longer' },
    });
    expect(toObservation(base({ status: 'Failed', detail: { ErrInfo: errInfo } }))).toMatchObject({ phase: 'Failed', recoverable: false, deletable: true });
  });

  it('an isolated job is Stopped and deletable; the billing state shows in providerStatus', () => {
    expect(toObservation(base({ status: 'Stopped', tradeStatus: 'Isolated' }))).toMatchObject({ providerStatus: 'Stopped/Isolated', phase: 'Stopped', deletable: true });
    expect(toObservation(base({ status: 'UnInitialized', tradeStatus: 'NotBilled' })).providerStatus).toBe('UnInitialized');
  });

  it('carries the check in the check phase only, and only when read in the current status', () => {
    const result = { Status: 'failed', StepInfos: [{ StepId: 'TargetTableCheck', StepName: 'Target table conflict check', Status: 'failed', Errors: [{ Message: 'exists' }] }] };
    expect(toObservation(base({ status: 'Checking' })).precheck).toMatchObject({ purpose: 'start', finished: false });
    expect(toObservation(base({ status: 'CheckNotPass', check: { readInStatus: 'Checking', result } })).precheck).toMatchObject({ finished: false });
    expect(toObservation(base({ status: 'CheckNotPass', check: { readInStatus: 'CheckNotPass', result } })).precheck).toMatchObject({
      finished: true,
      passed: false,
      items: [{ item: 'Target table conflict check', result: 'FAILED', failedReason: 'exists' }],
    });
    expect(toObservation(base({ status: 'Initialized' }))).not.toHaveProperty('precheck');
  });

  it('asks for the check result while checking, and once more when the job settles', () => {
    expect(needsCheckRead(base({ status: 'Checking', check: { readInStatus: 'Checking', result: {} } }))).toBe(true);
    expect(needsCheckRead(base({ status: 'CheckPass', check: { readInStatus: 'Checking', result: {} } }))).toBe(true);
    expect(needsCheckRead(base({ status: 'CheckPass', check: { readInStatus: 'CheckPass', result: {} } }))).toBe(false);
    expect(needsCheckRead(base({ status: 'CheckNotPass' }))).toBe(true);
    expect(needsCheckRead(base({ status: 'Running' }))).toBe(false);
  });

  it('keeps the last check result across rounds in the check phase, drops it afterwards', () => {
    const previous = base({ status: 'Checking', check: { readInStatus: 'Checking', result: { Status: 'running' } } });
    expect(snapshotOf({ JobId: 'sync-abcd1234', Status: 'CheckPass', TradeStatus: 'NotBilled' }, previous).check).toEqual(previous.check);
    expect(snapshotOf({ JobId: 'sync-abcd1234', Status: 'ReadyRunning', TradeStatus: 'Normal' }, previous)).not.toHaveProperty('check');
  });

  it('makes an error from whatever ErrInfo has', () => {
    expect(toError({ Reason: 'Timeout' })).toEqual({ message: 'Timeout' });
    expect(toError({})).toBeUndefined();
    expect(toError(null)).toBeUndefined();
  });
});

describe('what counts as a change worth a reconcile', () => {
  const running = base({ detail: { StepAll: 4, StepNow: 4, Progress: 100, SecondsBehindMaster: 10 } });
  it('status, step, progress, errors and checks do; delay jitter does not', () => {
    expect(snapshotChanged(undefined, running)).toBe(true);
    expect(snapshotChanged(running, { ...running, status: 'Pausing' })).toBe(true);
    expect(snapshotChanged(running, { ...running, tradeStatus: 'Isolating' })).toBe(true);
    expect(snapshotChanged(running, { ...running, detail: { ...running.detail, SecondsBehindMaster: 11 } })).toBe(false);
    expect(snapshotChanged(running, { ...running, detail: { ...running.detail, SecondsBehindMaster: 40 } })).toBe(true);
    expect(snapshotChanged(running, { ...running, detail: { ...running.detail, ErrInfo: { Message: 'x' } } })).toBe(true);
    const checking = base({ status: 'Checking', check: { readInStatus: 'Checking', result: { Status: 'running', StepCur: 2 } } });
    expect(snapshotChanged(checking, { ...checking, check: { readInStatus: 'Checking', result: { Status: 'running', StepCur: 3 } } })).toBe(true);
  });
});
