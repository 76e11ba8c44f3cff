import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/src/clock.ts';
import { Api3Error, type Api3Handler } from '../../../simulators/tencent-api3/server.ts';
import { dtsMigrationApi } from '../../../simulators/tencent-dts/migration/api.ts';
import { startDtsMigrationSimulator } from '../../../simulators/tencent-dts/migration/server.ts';
import { dtsSdkClient } from './dts-sdk-client.ts';

/**
 * The DTS 2021-12-06 migration simulator's state machine, driven through its action handlers with
 * a manual clock (one tick = 40 ms at the fast pace), and one call signed by the official SDK.
 */
const TICK = 40;
const REGION = 'ap-guangzhou';

const SRC = { Region: REGION, AccessType: 'extranet', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ Host: '203.0.113.10', Port: 3306, User: 'repl', Password: 'Src-Passw0rd' }] };
const DST = { Region: REGION, AccessType: 'cdb', DatabaseType: 'mysql', NodeType: 'simple', Info: [{ InstanceId: 'cdb-c1nl9rpv', User: 'root', Password: 'Dst-Passw0rd' }] };
const modify = (JobId: string, MigrateType = 'fullAndIncrement') => ({
  JobId,
  RunMode: 'immediate',
  MigrateOption: { DatabaseTable: { ObjectMode: 'partial', Databases: [{ DbName: 'orders', DBMode: 'partial', TableMode: 'partial', Tables: [{ TableName: 'orders' }] }] }, MigrateType },
  SrcInfo: SRC,
  DstInfo: DST,
});

describe('DTS migration simulator state machine', () => {
  let clock: ManualClock;
  let api: ReturnType<typeof dtsMigrationApi>;
  beforeEach(() => {
    clock = new ManualClock();
    let seed = 1;
    api = dtsMigrationApi({ clock, pace: 'fast', random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647) });
  });
  afterEach(() => api.close());

  const call = async (action: string, params: object = {}) => {
    const handler = api.handlers.get(`2021-12-06/${action}`) as Api3Handler;
    return (await handler(params as Record<string, unknown>, { region: REGION, requestId: 'r' })) as Record<string, any>;
  };
  const refused = (action: string, params: object) => call(action, params).then(() => undefined, (e: Api3Error) => e.code);
  const job = async (id: string) => (await call('DescribeMigrationJobs', { JobId: id })).JobList[0];
  const status = async (id: string) => (await job(id))?.Status;
  const ticks = (n: number) => clock.advance(n * TICK);

  async function created(extra: object = {}): Promise<string> {
    const answer = await call('CreateMigrationService', { SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: REGION, DstRegion: REGION, InstanceClass: 'medium', Count: 1, JobName: 'rj-1', Tags: [{ TagKey: 'managed-by', TagValue: 'drs-operator' }], ...extra });
    const id = answer.JobIds[0] as string;
    expect(id).toMatch(/^dts-[a-z0-9]{8}$/);
    expect(await status(id)).toBe('creating');
    ticks(1);
    expect(await status(id)).toBe('created');
    return id;
  }

  async function checked(id: string, type?: string): Promise<void> {
    await call('ModifyMigrationJob', modify(id, type));
    await call('CreateMigrateCheckJob', { JobId: id });
    expect(await status(id)).toBe('checking');
    ticks(5);
  }

  /** Configures, checks and starts the job, then lets it run two ticks: it is mid full copy. */
  async function running(id: string): Promise<void> {
    await checked(id);
    await call('StartMigrateJob', { JobId: id });
    ticks(2);
  }

  it('runs a full-and-incremental migration: check, start, full steps, readyComplete with delay, complete', async () => {
    const id = await created();
    expect(await refused('CreateMigrateCheckJob', { JobId: id })).toBe('FailedOperation.StatusInConflict'); // not configured yet
    await checked(id);
    expect(await status(id)).toBe('checkPass');
    const check = await call('DescribeMigrationCheckJob', { JobId: id });
    expect(check).toMatchObject({ Status: 'success', CheckFlag: 'checkPass' });
    expect(check.StepInfo.map((s: { StepId: string }) => s.StepId)).toEqual(['ConnectDBCheck', 'VersionCheck', 'SrcPrivilegeCheck', 'DstPrivilegeCheck', 'ObjectCheck']);
    await call('StartMigrateJob', { JobId: id });
    expect(await status(id)).toBe('readyRun');
    ticks(1);
    expect(await status(id)).toBe('running');
    ticks(6); // three full steps, two ticks each
    const streaming = await job(id);
    expect(streaming.StepInfo.StepInfo.map((s: { Status: string }) => s.Status)).toEqual(['success', 'success', 'success', 'running']);
    ticks(1);
    expect(await status(id)).toBe('readyComplete');
    // Behind the source: running again, with the delay in StepInfo.
    api.admin.get('migration/jobs')!({ path: `${id}/lag`, body: { seconds: 30 } }, 'POST');
    expect(await job(id)).toMatchObject({ Status: 'running', StepInfo: { SecondsBehindMaster: 30 } });
    expect(await refused('CompleteMigrateJob', { JobId: id })).toBe('FailedOperation.StatusInConflict');
    api.admin.get('migration/jobs')!({ path: `${id}/lag`, body: { seconds: 0 } }, 'POST');
    expect(await status(id)).toBe('readyComplete');
    await call('CompleteMigrateJob', { JobId: id, CompleteMode: 'waitForSync' });
    expect(await status(id)).toBe('completing');
    ticks(1);
    expect(await job(id)).toMatchObject({ Status: 'success', EndTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
  });

  it('ends a full migration by itself', async () => {
    const id = await created();
    await checked(id, 'full');
    await call('StartMigrateJob', { JobId: id });
    ticks(1 + 6);
    expect(await status(id)).toBe('success');
  });

  it('reports failed pre-check items step by step and refuses to start', async () => {
    api.admin.get('migration/check-outcome')!({ failures: [{ item: 'Primary key check', reason: 'orders.audit has no primary key', solution: 'Add a primary key' }], warnings: [{ item: 'Database version compatibility', reason: '5.6 → 8.0' }] }, 'POST');
    const id = await created();
    await checked(id);
    expect(await status(id)).toBe('checkNotPass');
    const check = await call('DescribeMigrationCheckJob', { JobId: id });
    expect(check.CheckFlag).toBe('checkNotPass');
    const object = check.StepInfo.find((s: { StepId: string }) => s.StepId === 'ObjectCheck');
    expect(object.StepStatus).toBe('failed');
    expect(object.DetailCheckItems).toContainEqual(expect.objectContaining({ CheckItemName: 'Primary key check', CheckResult: 'failed', FailureReason: 'orders.audit has no primary key', Solution: 'Add a primary key' }));
    expect(check.StepInfo.find((s: { StepId: string }) => s.StepId === 'VersionCheck').StepStatus).toBe('warning');
    expect(await refused('StartMigrateJob', { JobId: id })).toBe('FailedOperation.StatusInConflict');
    // Fixed: a new check passes.
    api.admin.get('migration/check-outcome')!(undefined, 'DELETE');
    await call('CreateMigrateCheckJob', { JobId: id });
    ticks(5);
    expect(await status(id)).toBe('checkPass');
  });

  it('pauses and continues a running job, and refuses pause where it makes no sense', async () => {
    const id = await created();
    expect(await refused('PauseMigrateJob', { JobId: id })).toBe('FailedOperation.StatusInConflict');
    await running(id);
    await call('PauseMigrateJob', { JobId: id });
    expect(await status(id)).toBe('pausing');
    ticks(1);
    expect(await status(id)).toBe('manualPaused');
    const frozen = (await job(id)).StepInfo.StepInfo;
    ticks(10);
    expect((await job(id)).StepInfo.StepInfo).toEqual(frozen);
    expect(await refused('PauseMigrateJob', { JobId: id })).toBe('FailedOperation.StatusInConflict');
    await call('ContinueMigrateJob', { JobId: id });
    expect(await status(id)).toBe('running');
    expect(await refused('ContinueMigrateJob', { JobId: id })).toBe('FailedOperation.StatusInConflict');
  });

  it('stops a running job into failed, which cannot be resumed; a job failing on its own can', async () => {
    const id = await created();
    await running(id);
    await call('StopMigrateJob', { JobId: id });
    expect(await status(id)).toBe('stopping');
    ticks(1);
    expect(await job(id)).toMatchObject({ Status: 'failed', BriefMsg: 'The task was stopped by the user' });
    expect(await refused('ResumeMigrateJob', { JobId: id })).toBe('OperationDenied.JobOperationDeniedError');

    const other = await created({ JobName: 'rj-2' });
    await running(other);
    api.admin.get('migration/jobs')!({ path: `${other}/fail`, body: { code: 'MigrateError.BinlogPurged', message: 'source binlog purged' } }, 'POST');
    expect(await status(other)).toBe('failed');
    const detail = await call('DescribeMigrationDetail', { JobId: other });
    expect(detail.ErrorInfo[0]).toMatchObject({ Code: 'MigrateError.BinlogPurged', ErrorLog: 'source binlog purged' });
    await call('ResumeMigrateJob', { JobId: other, ResumeOption: 'normal' });
    expect(await status(other)).toBe('resuming');
    ticks(1);
    expect(await status(other)).toBe('running');
  });

  it('deletes by isolating (TradeStatus isolating → isolated) and destroying (offlining → gone)', async () => {
    const id = await created();
    await running(id);
    expect(await refused('IsolateMigrateJob', { JobId: id })).toBe('FailedOperation.StatusInConflict'); // running
    expect(await refused('DestroyMigrateJob', { JobId: id })).toBe('OperationDenied.JobOperationDeniedError'); // not isolated
    await call('StopMigrateJob', { JobId: id });
    ticks(1);
    await call('IsolateMigrateJob', { JobId: id });
    expect((await job(id)).TradeInfo.TradeStatus).toBe('isolating');
    expect(await refused('IsolateMigrateJob', { JobId: id })).toBe('OperationDenied.JobOperationDeniedError');
    ticks(1);
    expect((await job(id)).TradeInfo.TradeStatus).toBe('isolated');
    expect((await job(id)).Action.AllowedAction).toEqual(['destroy', 'recover']);
    await call('DestroyMigrateJob', { JobId: id });
    expect((await job(id)).TradeInfo.TradeStatus).toBe('offlining');
    ticks(1);
    expect(await job(id)).toBeUndefined();
    expect(await refused('DescribeMigrationDetail', { JobId: id })).toBe('ResourceNotFound.JobNotExist');
  });

  it('destroys a notBilled job on isolation', async () => {
    api.admin.get('migration/billing')!({ tradeStatus: 'notBilled' }, 'POST');
    const id = await created();
    await call('IsolateMigrateJob', { JobId: id });
    expect(await job(id)).toBeUndefined();
  });

  it('refuses malformed requests with the API error codes', async () => {
    const id = await created();
    expect(await refused('StartMigrateJob', { JobId: 'dts-nothere' })).toBe('ResourceNotFound.JobNotExist');
    expect(await refused('StartMigrateJob', {})).toBe('MissingParameter');
    expect(await refused('DescribeMigrationJobs', { JobIds: [id] })).toBe('UnknownParameter');
    expect(await refused('DescribeMigrationJobs', { Limit: 101 })).toBe('InvalidParameterValue');
    expect(await refused('CreateMigrationService', { SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: REGION, DstRegion: 'ap-shanghai', InstanceClass: 'medium' })).toBe('InvalidParameterValue');
    expect(await refused('CreateMigrationService', { SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: REGION, DstRegion: REGION, InstanceClass: 'huge' })).toBe('InvalidParameterValue');
    expect(await refused('ModifyMigrationJob', { ...modify(id), SrcInfo: { ...SRC, Info: [{ Host: '203.0.113.10', Port: 3306, User: 'repl' }] } })).toBe('MissingParameter');
    expect(await refused('ModifyMigrationJob', { ...modify(id), DstInfo: { ...DST, Info: [{ User: 'root', Password: 'x' }] } })).toBe('MissingParameter'); // cdb needs InstanceId
    expect(await refused('ModifyMigrationJob', { ...modify(id), DstInfo: { ...DST, DatabaseType: 'postgresql' } })).toBe('InvalidParameterValue');
    expect(await refused('ModifyMigrationJob', { ...modify(id), MigrateOption: { DatabaseTable: { ObjectMode: 'partial' }, MigrateType: 'full' } })).toBe('MissingParameter');
  });

  it('lists by tag and name 100 a page, and never answers passwords', async () => {
    const first = await created();
    await call('ModifyMigrationJob', modify(first));
    await call('CreateMigrationService', { SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: REGION, DstRegion: REGION, InstanceClass: 'small', Count: 15, JobName: 'other' });
    const tagged = await call('DescribeMigrationJobs', { TagFilters: [{ TagKey: 'managed-by', TagValue: ['drs-operator'] }], Limit: 100 });
    expect(tagged.TotalCount).toBe(1);
    expect(JSON.stringify(tagged)).not.toContain('Passw0rd');
    const page = await call('DescribeMigrationJobs', { JobName: 'other', OrderSeq: 'asc', Limit: 10, Offset: 10 });
    expect(page.TotalCount).toBe(15);
    expect(page.JobList).toHaveLength(5);
    // JobName matches loosely (a substring): callers compare names exactly.
    expect((await call('DescribeMigrationJobs', { JobName: 'rj' })).TotalCount).toBe(1);
  });
});

describe('DTS migration simulator over HTTP', () => {
  let sim: Awaited<ReturnType<typeof startDtsMigrationSimulator>>;
  beforeAll(async () => {
    sim = await startDtsMigrationSimulator({ credentials: { id: 'AKIDsimulatorEXAMPLE', key: 'simulator-secret-key' }, pace: 'fast' });
  });
  afterAll(() => sim.close());

  it('accepts CreateMigrationService signed by tencentcloud-sdk-nodejs-common and lists the job', async () => {
    const sdk = dtsSdkClient(sim.url, '2021-12-06', { secretId: 'AKIDsimulatorEXAMPLE', secretKey: 'simulator-secret-key' }, REGION);
    const created = (await sdk.request('CreateMigrationService', { SrcDatabaseType: 'mysql', DstDatabaseType: 'mysql', SrcRegion: REGION, DstRegion: REGION, InstanceClass: 'small', JobName: 'sdk-job' })) as { JobIds: string[] };
    expect(created.JobIds[0]).toMatch(/^dts-/);
    const listed = (await sdk.request('DescribeMigrationJobs', { JobName: 'sdk-job' })) as { TotalCount: number; JobList: { JobId: string }[] };
    expect(listed).toMatchObject({ TotalCount: 1, JobList: [{ JobId: created.JobIds[0] }] });
    await expect(sdk.request('StartMigrateJob', { JobId: created.JobIds[0] })).rejects.toMatchObject({ code: 'FailedOperation.StatusInConflict' });
  });
});
