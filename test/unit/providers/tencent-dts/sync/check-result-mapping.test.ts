import { describe, expect, it } from 'vitest';
import type { DescribeCheckSyncJobResultResponse } from '../../../../../controller/src/providers/tencent-dts/sync/api-types.ts';
import { reason, toPrecheck } from '../../../../../controller/src/providers/tencent-dts/sync/check-result-mapping.ts';

const failedCheck: DescribeCheckSyncJobResultResponse = {
  Status: 'failed',
  StepCount: 4,
  StepCur: 4,
  Progress: 100,
  StepInfos: [
    { StepNo: 1, StepId: 'ConnectDBCheck', StepName: 'Database connection check', Status: 'finished', Errors: null, Warnings: null, Progress: 100 },
    {
      StepNo: 2,
      StepId: 'BinlogCheck',
      StepName: 'Binlog parameter check',
      Status: 'finished',
      Errors: [],
      Warnings: [{ Code: 'BinlogRowImage', Message: 'binlog_row_image is MINIMAL', Solution: 'SET GLOBAL binlog_row_image = FULL' }],
      Progress: 100,
    },
    {
      StepNo: 3,
      StepId: 'TargetTableCheck',
      StepName: 'Target table conflict check',
      Status: 'failed',
      Errors: [
        { Code: 'TableExists', Message: 'orders.orders exists on the target', Solution: 'Drop or rename it' },
        { Message: 'orders.order_items exists on the target' },
      ],
      Warnings: [],
      Progress: 100,
    },
    { StepNo: 4, StepId: 'VersionCheck', StepName: 'Version check', Status: 'failed', Progress: 100 },
  ],
};

describe('DescribeCheckSyncJobResult → pre-check', () => {
  it('reports every error and warning as its own item, and clean steps as PASSED', () => {
    const check = toPrecheck('CheckNotPass', failedCheck);
    expect(check).toMatchObject({ purpose: 'start', finished: true, passed: false, hasAlarms: true, passedRate: '50%' });
    expect(check.items).toEqual([
      { item: 'Database connection check', group: 'ConnectDBCheck', result: 'PASSED' },
      { item: 'Binlog parameter check', group: 'BinlogCheck', result: 'ALARM', failedReason: 'binlog_row_image is MINIMAL (BinlogRowImage). Fix: SET GLOBAL binlog_row_image = FULL' },
      { item: 'Target table conflict check', group: 'TargetTableCheck', result: 'FAILED', failedReason: 'orders.orders exists on the target (TableExists). Fix: Drop or rename it' },
      { item: 'Target table conflict check', group: 'TargetTableCheck', result: 'FAILED', failedReason: 'orders.order_items exists on the target' },
      { item: 'Version check', group: 'VersionCheck', result: 'FAILED', failedReason: 'DTS reported this check step as failed without details' },
    ]);
  });

  it('passes with alarms when DTS passed the job and only warnings remain', () => {
    const passed = toPrecheck('CheckPass', {
      Status: 'success',
      StepInfos: [failedCheck.StepInfos![0]!, failedCheck.StepInfos![1]!, { StepId: 'X', StepName: 'Skipped check', Status: 'skipped' }],
    });
    expect(passed).toMatchObject({ finished: true, passed: true, hasAlarms: true, passedRate: '100%' });
    expect(passed.items.map((i) => i.result)).toEqual(['PASSED', 'ALARM', 'PASSED']);
  });

  it('is unfinished while the job is still Checking, listing only the steps already over', () => {
    const running = toPrecheck('Checking', {
      Status: 'running',
      StepInfos: [failedCheck.StepInfos![0]!, { StepNo: 2, StepId: 'BinlogCheck', StepName: 'Binlog parameter check', Status: 'running' }],
    });
    expect(running).toMatchObject({ finished: false, passed: false, items: [{ item: 'Database connection check', result: 'PASSED' }] });
    expect(running).not.toHaveProperty('passedRate');
  });

  it('never takes a result read before the job settled as final', () => {
    expect(toPrecheck('CheckNotPass', { Status: 'running', StepInfos: [] }).finished).toBe(false);
    expect(toPrecheck('CheckPass', undefined)).toMatchObject({ finished: false, items: [] });
  });

  it('formats reasons from whatever DTS gave', () => {
    expect(reason({})).toBe('no message');
    expect(reason({ Message: ' m ', Solution: ' s ' })).toBe('m. Fix: s');
  });
});
