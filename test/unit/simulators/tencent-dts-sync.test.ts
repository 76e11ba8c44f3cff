import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/src/clock.ts';
import { dtsSyncApi } from '../../../simulators/tencent-dts/sync/api.ts';
import { startDtsSyncSimulator } from '../../../simulators/tencent-dts/sync/server.ts';
import { PACES } from '../../../simulators/tencent-dts/sync/pace.ts';
import { Api3Error } from '../../../simulators/tencent-api3/server.ts';
import { dtsSdkClient } from './dts-sdk-client.ts';

const REGION = 'ap-guangzhou';
const SECRET_ID = 'AKIDdtsSyncSimulator';
const SECRET_KEY = 'dts-sync-simulator-key';

type Answer = Record<string, unknown> & { JobIds?: string[]; JobList?: Record<string, unknown>[]; TotalCount?: number };

const configureParams = (jobId: string, overrides: Record<string, unknown> = {}) => ({
  JobId: jobId,
  SrcAccessType: 'extranet',
  DstAccessType: 'cdb',
  Objects: { Mode: 'Partial', Databases: [{ DbName: 'orders', DbMode: 'Partial', TableMode: 'Partial', Tables: [{ TableName: 'orders' }] }] },
  RunMode: 'Immediate',
  SrcInfo: { Region: REGION, Ip: '203.0.113.10', Port: 3306, User: 'repl', Password: 'src-Passw0rd' },
  DstInfo: { Region: REGION, InstanceId: 'cdb-abcd1234', User: 'root', Password: 'dst-Passw0rd' },
  SrcNodeType: 'single',
  DstNodeType: 'single',
  Options: { InitType: 'Full', ConflictHandleType: 'Cover' },
  ...overrides,
});

describe('DTS sync simulator state machine (in process, manual clock)', () => {
  let clock: ManualClock;
  let api: ReturnType<typeof dtsSyncApi>;

  beforeEach(() => {
    clock = new ManualClock();
    api = dtsSyncApi({ clock, pace: 'fast' });
  });
  afterEach(() => api.close());

  /** Calls an action as the server would; an Api3Error comes back as {Error: {Code}}. */
  async function call(action: string, params: Record<string, unknown>, region: string | undefined = REGION): Promise<Answer> {
    const handler = api.handlers.get(`2021-12-06/${action}`);
    if (!handler) throw new Error(`no handler ${action}`);
    try {
      return ((await handler(params, { region, requestId: 'test' })) ?? {}) as Answer;
    } catch (error) {
      if (error instanceof Api3Error) return { Error: { Code: error.code, Message: error.message } };
      throw error;
    }
  }
  const codeOf = (a: Answer) => (a.Error as { Code?: string } | undefined)?.Code;
  const job = async (id: string) => (await call('DescribeSyncJobs', { JobIds: [id], Limit: 1 })).JobList?.[0] as Record<string, unknown> & { Detail: Record<string, unknown> };
  const steps = (n: number, ms: number) => clock.advance(n * ms + 1);

  async function created(extra: Record<string, unknown> = {}): Promise<string> {
    const answer = await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION, JobName: 'rj-1', ...extra });
    return answer.JobIds![0]!;
  }

  async function checkedJob(): Promise<string> {
    const id = await created();
    expect(codeOf(await call('ConfigureSyncJob', configureParams(id)))).toBeUndefined();
    await call('CreateCheckSyncJob', { JobId: id });
    steps(6, PACES.fast.checkStepMs);
    return id;
  }

  async function incrementalJob(): Promise<string> {
    const id = await checkedJob();
    expect(codeOf(await call('StartSyncJob', { JobId: id }))).toBeUndefined();
    clock.advance(PACES.fast.startMs + 1);
    steps(8, PACES.fast.runStepMs);
    return id;
  }

  it('creates UnInitialized jobs named sync-xxxxxxxx, not billed until they run', async () => {
    const answer = await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION, Count: 2, JobName: 'twins' });
    expect(answer.JobIds).toHaveLength(2);
    for (const id of answer.JobIds!) {
      expect(id).toMatch(/^sync-[a-z0-9]{8}$/);
      expect(await job(id)).toMatchObject({ JobName: 'twins', Status: 'UnInitialized', TradeStatus: 'NotBilled', Actions: ['Configure', 'Isolate'] });
    }
    expect(codeOf(await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql' }))).toBe('MissingParameter');
    expect(codeOf(await call('CreateSyncJob', { PayMode: 'Free', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION }))).toBe('InvalidParameterValue.InvalidParameterValueError');
  });

  it('enforces the status rules: start only after a passed check', async () => {
    const id = await created();
    expect(codeOf(await call('StartSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    expect(codeOf(await call('CreateCheckSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    expect(codeOf(await call('PauseSyncJob', { JobId: 'sync-nosuchjb' }))).toBe('ResourceNotFound.JobNotExist');
    // ConfigureSyncJob validates what each access type needs.
    const noPassword = configureParams(id, { SrcInfo: { Region: REGION, Ip: '203.0.113.10', Port: 3306, User: 'repl' } });
    expect(await call('ConfigureSyncJob', noPassword)).toMatchObject({ Error: { Code: 'MissingParameter', Message: expect.stringContaining('SrcInfo.Password') } });
    const cdbWithoutInstance = configureParams(id, { DstInfo: { Region: REGION, User: 'root', Password: 'x' } });
    expect(await call('ConfigureSyncJob', cdbWithoutInstance)).toMatchObject({ Error: { Code: 'MissingParameter', Message: expect.stringContaining('DstInfo.InstanceId') } });
    expect(codeOf(await call('ConfigureSyncJob', configureParams(id, { Objects: { Mode: 'Partial', Databases: [] } })))).toBe('InvalidParameterValue.InvalidParameterValueError');
    expect(codeOf(await call('ConfigureSyncJob', configureParams(id)))).toBeUndefined();
    expect((await job(id)).Status).toBe('Initialized');
    await call('CreateCheckSyncJob', { JobId: id });
    expect((await job(id)).Status).toBe('Checking');
    expect(codeOf(await call('StartSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    steps(6, PACES.fast.checkStepMs);
    const check = await call('DescribeCheckSyncJobResult', { JobId: id });
    expect(check).toMatchObject({ Status: 'success', StepCount: 6, StepCur: 6, Progress: 100 });
    expect((check.StepInfos as { Status: string }[]).every((s) => s.Status === 'finished')).toBe(true);
    expect(await job(id)).toMatchObject({ Status: 'CheckPass', Actions: expect.arrayContaining(['Start']) });
  });

  it('runs structure and data, then reports progress 100 and the delay in the incremental step', async () => {
    const id = await checkedJob();
    await call('StartSyncJob', { JobId: id });
    expect(await job(id)).toMatchObject({ Status: 'ReadyRunning', TradeStatus: 'Normal' });
    clock.advance(PACES.fast.startMs + 1);
    expect((await job(id)).Status).toBe('Running');
    clock.advance(PACES.fast.runStepMs * 3 + 1);
    const mid = (await job(id)).Detail;
    expect(mid).toMatchObject({ StepAll: 4, StepNow: 3, SecondsBehindMaster: -1 });
    expect(mid.Progress as number).toBeGreaterThan(0);
    expect(mid.Progress as number).toBeLessThan(100);
    steps(8, PACES.fast.runStepMs);
    expect((await job(id)).Detail).toMatchObject({ StepAll: 4, StepNow: 4, Progress: 100, SecondsBehindMaster: 0 });
    api.admin.get('sync/jobs')!({ path: `${id}/delay`, body: { seconds: 7 } }, 'POST');
    expect((await job(id)).Detail.SecondsBehindMaster).toBe(7);
    // Passwords are stored, never echoed.
    expect(JSON.stringify(await job(id))).not.toContain('src-Passw0rd');
    expect(api.store.jobs.get(id)!.config!.SrcInfo.Password).toBe('src-Passw0rd');
  });

  it('an incremental-only job (InitType None) goes straight to the incremental step', async () => {
    const id = await created();
    await call('ConfigureSyncJob', configureParams(id, { Options: { InitType: 'None' } }));
    await call('CreateCheckSyncJob', { JobId: id });
    steps(6, PACES.fast.checkStepMs);
    await call('StartSyncJob', { JobId: id });
    clock.advance(PACES.fast.startMs + PACES.fast.runStepMs * 2 + 2);
    expect((await job(id)).Detail).toMatchObject({ StepAll: 2, StepNow: 2, Progress: 100 });
  });

  it('pauses only a running job and continues only a paused one', async () => {
    const id = await incrementalJob();
    expect(codeOf(await call('ContinueSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    await call('PauseSyncJob', { JobId: id });
    expect((await job(id)).Status).toBe('Pausing');
    expect(codeOf(await call('PauseSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    clock.advance(PACES.fast.settleMs + 1);
    expect((await job(id)).Status).toBe('Paused');
    await call('ContinueSyncJob', { JobId: id });
    clock.advance(PACES.fast.runStepMs + 1);
    expect(await job(id)).toMatchObject({ Status: 'Running', Detail: { StepNow: 4 } });
  });

  it('resumes a ResumableErr job; a Failed one can only be isolated', async () => {
    const id = await incrementalJob();
    api.admin.get('sync/jobs')!({ path: `${id}/fail`, body: { Reason: 'SrcBinlogPurged', Message: 'binlog mysql-bin.000042 was purged' } }, 'POST');
    expect(await job(id)).toMatchObject({ Status: 'ResumableErr', Detail: { ErrInfo: { Reason: 'SrcBinlogPurged', Message: 'binlog mysql-bin.000042 was purged' } }, Actions: ['Resume', 'Stop', 'RateLimit'] });
    await call('ResumeSyncJob', { JobId: id });
    expect((await job(id)).Status).toBe('Resuming');
    clock.advance(PACES.fast.startMs + PACES.fast.runStepMs + 2);
    expect((await job(id)).Status).toBe('Running');
    expect((await job(id)).Detail.ErrInfo).toBeUndefined();

    api.admin.get('sync/jobs')!({ path: `${id}/fail`, body: { resumable: false } }, 'POST');
    expect((await job(id)).Status).toBe('Failed');
    expect(codeOf(await call('ResumeSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    expect(codeOf(await call('IsolateSyncJob', { JobId: id }))).toBeUndefined();
  });

  it('deletes a billed job in two steps: stop, isolate → Isolated, destroy → gone', async () => {
    const id = await incrementalJob();
    expect(codeOf(await call('IsolateSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    expect(codeOf(await call('DestroySyncJob', { JobId: id }))).toBe('OperationDenied.JobOperationDeniedError');
    await call('StopSyncJob', { JobId: id });
    clock.advance(PACES.fast.settleMs + 1);
    expect((await job(id)).Status).toBe('Stopped');
    await call('IsolateSyncJob', { JobId: id });
    expect((await job(id)).TradeStatus).toBe('Isolating');
    expect(codeOf(await call('IsolateSyncJob', { JobId: id }))).toBe('OperationDenied.JobOperationDeniedError');
    clock.advance(PACES.fast.billingMs + 1);
    expect(await job(id)).toMatchObject({ TradeStatus: 'Isolated', Actions: ['Destroy'] });
    await call('DestroySyncJob', { JobId: id });
    expect((await job(id)).TradeStatus).toBe('Offlining');
    clock.advance(PACES.fast.billingMs + 1);
    expect(await job(id)).toMatchObject({ Status: 'Released', TradeStatus: 'Offlined' });
    clock.advance(PACES.fast.billingMs + 1);
    expect(await job(id)).toBeUndefined();
    expect(codeOf(await call('DestroySyncJob', { JobId: id }))).toBe('ResourceNotFound.JobNotExist');
  });

  it('releases a job that was never billed as soon as it is isolated', async () => {
    const id = await created();
    await call('IsolateSyncJob', { JobId: id });
    expect((await job(id)).Status).toBe('Released');
    clock.advance(PACES.fast.billingMs + 1);
    expect(await job(id)).toBeUndefined();
  });

  it('reports what the check-outcome hook says, step by step, and lets failed steps be skipped', async () => {
    api.admin.get('sync/check-outcome')!(
      {
        errors: [{ StepId: 'TargetTableCheck', Code: 'TableExists', Message: 'orders.orders exists on the target', Solution: 'Drop it or rename it' }],
        warnings: [{ StepId: 'BinlogCheck', Message: 'binlog_row_image is not FULL' }],
      },
      'POST',
    );
    const id = await checkedJob();
    expect((await job(id)).Status).toBe('CheckNotPass');
    const result = await call('DescribeCheckSyncJobResult', { JobId: id });
    expect(result.Status).toBe('failed');
    const infos = result.StepInfos as { StepId: string; Status: string; Errors: unknown[]; Warnings: unknown[] }[];
    expect(infos.find((s) => s.StepId === 'TargetTableCheck')).toMatchObject({ Status: 'failed', Errors: [{ Code: 'TableExists', Message: 'orders.orders exists on the target', Solution: 'Drop it or rename it' }] });
    expect(infos.find((s) => s.StepId === 'BinlogCheck')).toMatchObject({ Status: 'finished', Warnings: [{ Message: 'binlog_row_image is not FULL' }] });
    expect(codeOf(await call('StartSyncJob', { JobId: id }))).toBe('FailedOperation.StatusInConflict');
    await call('SkipSyncCheckItem', { JobId: id, StepIds: ['TargetTableCheck'] });
    expect((await job(id)).Status).toBe('CheckPass');
    api.admin.get('sync/check-outcome')!(undefined, 'DELETE');
  });

  it('limits unconfigured jobs (LimitExceeded.MaxUnusedJobs)', async () => {
    api.admin.get('sync/limits')!({ maxUnusedJobs: 3 }, 'POST');
    await created({ Count: 3 });
    expect(codeOf(await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION }))).toBe('LimitExceeded.MaxUnusedJobs');
  });

  it('answers DescribeSyncJobs by JobIds (≤100), honouring Limit (default 20), and per region', async () => {
    const ids = (await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION, Count: 10 })).JobIds!;
    ids.push(...(await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION, Count: 10 })).JobIds!);
    ids.push(...(await call('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'mysql', DstRegion: REGION, Count: 5 })).JobIds!);
    const byDefault = await call('DescribeSyncJobs', { JobIds: ids });
    expect(byDefault.TotalCount).toBe(25);
    expect(byDefault.JobList).toHaveLength(20);
    expect((await call('DescribeSyncJobs', { JobIds: ids, Limit: 100 })).JobList).toHaveLength(25);
    expect(codeOf(await call('DescribeSyncJobs', { JobIds: Array.from({ length: 101 }, (_, i) => `sync-${i}`) }))).toBe('InvalidParameterValue.InvalidParameterValueError');
    expect((await call('DescribeSyncJobs', { JobIds: ids }, 'ap-shanghai')).TotalCount).toBe(0);
    expect(codeOf(await call('PauseSyncJob', { JobId: ids[0] }, 'ap-shanghai'))).toBe('ResourceNotFound.JobNotExist');
  });

  it('stores ModifySyncRateLimit values (0 keeps the current one) from CheckPass on', async () => {
    const id = await created();
    expect(codeOf(await call('ModifySyncRateLimit', { JobId: id, DumpThread: 4 }))).toBe('FailedOperation.StatusInConflict');
    await call('ConfigureSyncJob', configureParams(id));
    await call('CreateCheckSyncJob', { JobId: id });
    steps(6, PACES.fast.checkStepMs);
    expect(codeOf(await call('ModifySyncRateLimit', { JobId: id, DumpThread: 17 }))).toBe('InvalidParameterValue.InvalidParameterValueError');
    await call('ModifySyncRateLimit', { JobId: id, DumpThread: 4, DumpRps: 0, SinkerThread: 64 });
    expect(((await job(id)).Options as { RateLimitOption: Record<string, unknown> }).RateLimitOption).toMatchObject({
      CurrentDumpThread: 4,
      CurrentDumpRps: 50_000_000,
      CurrentSinkerThread: 64,
      HasUserSetRateLimit: 'yes',
    });
  });
});

describe('DTS sync simulator over HTTP', () => {
  let sim: Awaited<ReturnType<typeof startDtsSyncSimulator>>;
  beforeAll(async () => {
    sim = await startDtsSyncSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' });
  });
  afterAll(() => sim.close());

  it('accepts the official SDK: create, describe by name, and DTS error codes', async () => {
    const sdk = dtsSdkClient(sim.url, '2021-12-06', { secretId: SECRET_ID, secretKey: SECRET_KEY }, REGION);
    const created = (await sdk.request('CreateSyncJob', { PayMode: 'PostPay', SrcDatabaseType: 'mysql', SrcRegion: REGION, DstDatabaseType: 'cynosdbmysql', DstRegion: REGION, JobName: 'rj-sdk' })) as { JobIds: string[] };
    expect(created.JobIds[0]).toMatch(/^sync-/);
    const listed = (await sdk.request('DescribeSyncJobs', { JobName: 'rj-sdk' })) as { TotalCount: number; JobList: { JobId: string; Status: string; DstDatabaseType: string }[] };
    expect(listed).toMatchObject({ TotalCount: 1, JobList: [{ JobId: created.JobIds[0], Status: 'UnInitialized', DstDatabaseType: 'cynosdbmysql' }] });
    await expect(sdk.request('PauseSyncJob', { JobId: created.JobIds[0] })).rejects.toMatchObject({ code: 'FailedOperation.StatusInConflict' });
    await expect(sdk.request('StopSyncJob', { JobId: 'sync-00000000' })).rejects.toMatchObject({ code: 'ResourceNotFound.JobNotExist' });
  });

  it('lists jobs for tests on /_sim/sync/jobs and counts calls on /_sim/calls', async () => {
    const jobs = (await (await fetch(`${sim.url}/_sim/sync/jobs`)).json()) as { JobName: string }[];
    expect(jobs.map((j) => j.JobName)).toContain('rj-sdk');
    const calls = (await (await fetch(`${sim.url}/_sim/calls`)).json()) as Record<string, number>;
    expect(calls.CreateSyncJob).toBeGreaterThanOrEqual(1);
  });
});
