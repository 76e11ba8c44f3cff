import { describe, expect, it } from 'vitest';
import { toObservation, toSnapshot, type CdbTaskSnapshot } from '../../../../controller/src/providers/tencent-cdb/observation-mapping.ts';
import { TaskItem, TaskList } from '../../../../controller/src/providers/tencent-cdb/schemas.ts';

/** The GetCdbDataSyncTaskList documentation example, verbatim in shape (strings where it has them). */
const DOC_EXAMPLE = {
  totalCount: 1,
  jobList: [
    {
      code: 0,
      message: '',
      jobId: 124,
      type: 10,
      status: 9,
      progress: 100,
      startTime: '2017-02-23 15:04:10',
      endTime: '2017-02-23 15:06:00',
      detail: {
        jobName: 'Synchronization of disaster recovery instance',
        runMode: '1',
        migrateType: '3',
        extMsg: 'Instance upgrade succeeded',
        srcInfo: { regionId: 1, cdbUInstanceId: 'cdb-5u7czxdx', dbInfo: [], isOverrideRoot: 1 },
        dstInfo: { regionId: 4, cdbUInstanceId: 'cdb-ek0t57qd' },
        jobInput: [],
        checkInfo: {
          checkFlag: 1,
          checkResult: {
            code: 0,
            message: 'Disaster recovery instance check succeeded',
            status: 'finished',
            isSuccess: 1,
            stepInfo: [
              { stepNo: 1, stepName: 'Check the parameters', code: 0, message: 'Verification succeeded' },
              { stepNo: 2, stepName: 'Check source instance', code: 0, message: 'Verification succeeded' },
            ],
          },
        },
        jobOutput: { code: 0, message: 'Disaster recovery instance synchronization succeeded', status: 'normal_finish', stepAll: 6, stepNow: 6, stepName: 'Create cold backup', stepPercent: '100.00', costTime: 111 },
        expectTime: '0000-00-00 00:00:00',
        updateTime: '2017-02-23 15:06:00',
        submitTime: '2017-02-22 22:17:23',
      },
    },
  ],
};

const snapshot = (over: Partial<CdbTaskSnapshot>): CdbTaskSnapshot => ({ jobId: '7', status: 1, ...over });

describe('GetCdbDataSyncTaskList entries → snapshots', () => {
  it('reads the documentation example (numbers as strings, objects as PHP [])', () => {
    const list = TaskList.parse(DOC_EXAMPLE);
    const s = toSnapshot(TaskItem.parse(list.jobList[0]));
    expect(s).toMatchObject({ jobId: '124', jobName: 'Synchronization of disaster recovery instance', status: 9, progress: 100, migrateType: 3, checkFlag: 1 });
    expect(s.checkResult?.stepInfo).toHaveLength(2);
    expect(toObservation(s)).toMatchObject({ providerStatus: 'SyncSucceeded(9)', phase: 'IncrementalSync', deletable: true, progress: { percent: 100 } });
  });

  it('reads an unverified task whose checkResult and jobOutput are []', () => {
    const s = toSnapshot(TaskItem.parse({ jobId: '5', status: '1', progress: 0, detail: { jobName: 'x', checkInfo: { checkFlag: 0, checkResult: [] }, jobOutput: [] } }));
    expect(s).toStrictEqual({ jobId: '5', jobName: 'x', status: 1, progress: 0, checkFlag: 0 });
  });
});

describe('statuses → normalized observation', () => {
  it.each([
    [0, undefined, 'Creating', true],
    [1, undefined, 'Configuring', true],
    [2, undefined, 'Configuring', false],
    [3, undefined, 'Configuring', true],
    [4, undefined, 'Configuring', true],
    [5, undefined, 'Starting', false],
    [6, 40, 'FullSync', false],
    [6, 100, 'IncrementalSync', false],
    [7, 100, 'IncrementalSync', false],
    [8, 60, 'Failed', true],
    [9, 100, 'IncrementalSync', true],
  ])('status %d (progress %s) → %s, deletable %s', (status, progress, phase, deletable) => {
    const o = toObservation(snapshot({ status, ...(progress !== undefined ? { progress } : {}) }));
    expect(o).toMatchObject({ phase, deletable });
  });

  it('reports a structure- or full-only task that succeeded as Completed', () => {
    expect(toObservation(snapshot({ status: 9, migrateType: 2, progress: 100 })).phase).toBe('Completed');
  });

  it('reports progress while syncing, not before', () => {
    expect(toObservation(snapshot({ status: 6, progress: 42 })).progress).toEqual({ percent: 42 });
    expect(toObservation(snapshot({ status: 1, progress: 0 })).progress).toBeUndefined();
  });

  it('marks a failed task not recoverable, with the jobOutput error', () => {
    const o = toObservation(snapshot({ status: 8, output: { code: 1062, message: 'duplicate entry' } }));
    expect(o).toMatchObject({ phase: 'Failed', recoverable: false, error: { code: '1062', message: 'duplicate entry' } });
  });
});

describe('verification → pre-check', () => {
  const steps = [
    { stepNo: 1, stepName: 'Check the parameters', code: 0, message: 'Verification succeeded' },
    { stepNo: 7, stepName: 'Check if the destination instance is empty', code: 1, message: 'destination has database myDB' },
  ];

  it('is absent before verification, running while verifying', () => {
    expect(toObservation(snapshot({ status: 1 })).precheck).toBeUndefined();
    expect(toObservation(snapshot({ status: 2, checkResult: { status: 'running', stepInfo: [] } })).precheck).toEqual({ purpose: 'start', finished: false, passed: false, hasAlarms: false, items: [] });
  });

  it('lists each step of a failed verification, with the failing step reason', () => {
    const precheck = toObservation(snapshot({ status: 3, checkFlag: 2, checkResult: { isSuccess: 0, stepInfo: steps } })).precheck!;
    expect(precheck).toMatchObject({ purpose: 'start', finished: true, passed: false, passedRate: '50%' });
    expect(precheck.items).toEqual([
      { item: 'Check the parameters', result: 'PASSED' },
      { item: 'Check if the destination instance is empty', result: 'FAILED', failedReason: 'destination has database myDB' },
    ]);
  });

  it('reports a failed verification without failing steps as one item from the overall message', () => {
    const precheck = toObservation(snapshot({ status: 3, checkResult: { message: 'source binlog_format is not ROW' } })).precheck!;
    expect(precheck.items).toEqual([{ item: 'verification', result: 'FAILED', failedReason: 'source binlog_format is not ROW' }]);
  });

  it('keeps reporting a passed verification once the task started, and nothing for a task never verified', () => {
    expect(toObservation(snapshot({ status: 6, progress: 10, checkFlag: 1, checkResult: { stepInfo: [steps[0]!] } })).precheck).toMatchObject({ finished: true, passed: true });
    expect(toObservation(snapshot({ status: 8, checkFlag: 0 })).precheck).toBeUndefined();
  });

  it('passes at status 4', () => {
    expect(toObservation(snapshot({ status: 4, checkResult: { stepInfo: [steps[0]!] } })).precheck).toMatchObject({ finished: true, passed: true, passedRate: '100%' });
  });
});
