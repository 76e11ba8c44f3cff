import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CreateMigrateJobRequest, DescribeMigrateJobsResponse, MigrateJobInfo } from '../../../controller/src/providers/tencent-dts-legacy/api-types.ts';
import { ProviderHttpError } from '../../../controller/src/providers/http/errors.ts';
import { TencentApiClient } from '../../../controller/src/providers/tencent/api3-client.ts';
import { ManualClock } from '../../../engine/src/clock.ts';
import { startDtsLegacySimulator, type DtsLegacySimulator } from '../../../simulators/tencent-dts-legacy/simulator.ts';
import { MigrateJobStore, FAST_PACE } from '../../../simulators/tencent-dts-legacy/migrate-jobs.ts';
import { dtsSdkClient } from './dts-sdk-client.ts';

const SECRET_ID = 'AKIDsimulatorEXAMPLE';
const SECRET_KEY = 'simulator-secret-key';

/** The seed's CreateMigrateJob example, as a JSON body. */
function seedExample(overrides: Partial<CreateMigrateJobRequest> = {}): CreateMigrateJobRequest {
  return {
    JobName: 'usertest',
    SrcDatabaseType: 'mysql',
    SrcAccessType: 'extranet',
    DstDatabaseType: 'mysql',
    DstAccessType: 'cdb',
    MigrateOption: { RunMode: 1, MigrateType: 1, MigrateObject: 1, ConsistencyType: 1, IsOverrideRoot: 0 },
    SrcInfo: { Ip: '14.17.22.36', Port: 10301, User: 'root', Supplier: 'others', Password: '123456', Region: 'ap-guangzhou' },
    DstInfo: { InstanceId: 'cdb-e78e0nnv', Region: 'ap-shanghai' },
    ...overrides,
  };
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e as { code?: string }).code);

describe('DTS 2018-03-30 migrate-job state machine (manual clock)', () => {
  const clock = new ManualClock();
  const store = new MigrateJobStore({ clock, pace: FAST_PACE });
  const step = () => clock.advance(FAST_PACE.stepMs);
  const expectCode = (fn: () => unknown, code: string) => expect(fn).toThrow(expect.objectContaining({ code }));

  it('creates in status 1 and checks 1 → 3 → 4 (or 5 with the admin outcome)', () => {
    const id = store.create(seedExample());
    expect(id).toMatch(/^dts-[a-z0-9]{8}$/);
    expect(store.get(id)!.status).toBe(1);
    expect(store.checkResult(id)).toMatchObject({ Status: 'unavailable', CheckFlag: 3 });
    store.startCheck(id);
    expect(store.get(id)!.status).toBe(3);
    step();
    expect(store.checkResult(id)).toMatchObject({ Status: 'running', Progress: '50' });
    step();
    expect(store.get(id)!.status).toBe(4);
    expect(store.checkResult(id)).toEqual({ Status: 'finished', ErrorCode: 0, ErrorMessage: 'ok', Progress: '100', CheckFlag: 1 });

    store.checkOutcome = { passed: false, errorMessage: 'table orders.audit does not exist in the source' };
    store.startCheck(id);
    step();
    step();
    store.checkOutcome = { passed: true };
    expect(store.get(id)!.status).toBe(5);
    expect(store.checkResult(id)).toMatchObject({ CheckFlag: 0, ErrorCode: -1, ErrorMessage: 'table orders.audit does not exist in the source' });
    expectCode(() => store.start(id), 'FailedOperation.NotAllowOperation');
  });

  it('runs 4 → 7 with growing progress → 8 → CompleteMigrateJob → 12 → 9', () => {
    const id = store.create(seedExample({ JobName: 'full', MigrateOption: { RunMode: 1, MigrateType: 2, MigrateObject: 1 } }));
    store.startCheck(id);
    step();
    step();
    expectCode(() => store.complete(id, undefined), 'FailedOperation.NotAllowOperation');
    store.start(id);
    const progress = () => store.describe({ JobId: id }).JobList[0]!.Detail!.Progress;
    expect(store.get(id)!.status).toBe(7);
    expect(progress()).toBe('0');
    step();
    expect(progress()).toBe('25');
    expectCode(() => store.delete(id), 'FailedOperation.NotAllowOperation');
    step();
    step();
    step();
    expect(store.get(id)!.status).toBe(8);
    store.complete(id, 'waitForSync');
    expect(store.get(id)!.status).toBe(12);
    step();
    expect(store.get(id)!.status).toBe(9);
    store.delete(id);
    expect(store.get(id)).toBeUndefined();
    expectCode(() => store.delete(id), 'ResourceNotFound');
  });

  it('stops 7 → 11 → 10 with an error log, and allows ModifyMigrateJob only in 1, 4, 5, 10 (back to 1)', () => {
    const id = store.create(seedExample({ JobName: 'to-stop', MigrateOption: { RunMode: 1, MigrateType: 3, MigrateObject: 1 } }));
    expectCode(() => store.stop(id), 'FailedOperation.NotAllowOperation');
    store.startCheck(id);
    expectCode(() => store.modify({ JobId: id, SrcInfo: { ...seedExample().SrcInfo, Port: 3306 } }), 'FailedOperation.NotAllowOperation');
    step();
    step();
    store.start(id);
    step();
    store.stop(id);
    expect(store.get(id)!.status).toBe(11);
    step();
    expect(store.get(id)!.status).toBe(10);
    expect(store.describe({ JobId: id }).JobList[0]!.ErrorInfo).toEqual([{ ErrorLog: 'The migration was cancelled by StopMigrateJob', HelpDoc: '' }]);
    store.modify({ JobId: id, SrcInfo: { ...seedExample().SrcInfo, Port: 3306 } });
    expect(store.get(id)!).toMatchObject({ status: 1, check: { CheckFlag: 3 } });
    expect(store.get(id)!.config.SrcInfo.Port).toBe(3306);
    expectCode(() => store.modify({ JobId: id, DstInfo: { InstanceId: 'cdb-e78e0nnv', Region: 'ap-beijing' } }), 'InvalidParameter');
  });

  it('streams a full + incremental migration in 8 with SecondsBehindMaster until completed', () => {
    const id = store.create(seedExample({ JobName: 'stream', MigrateOption: { RunMode: 1, MigrateType: 3, MigrateObject: 1 } }));
    store.startCheck(id);
    step();
    step();
    store.start(id);
    store.setProgress(id, 50, true);
    step();
    step();
    expect(store.get(id)!.status).toBe(7);
    store.setProgress(id, 75, false);
    step();
    expect(store.get(id)!.status).toBe(8);
    store.setLag(id, 9);
    const detail = store.describe({ JobId: id }).JobList[0]!.Detail!;
    expect(detail).toMatchObject({ Progress: '100', SecondsBehindMaster: 9 });
    expect(detail.StepInfo.map((s) => [s.StepId, s.Status])).toEqual([['structure', 1], ['fullData', 1], ['incremental', 3]]);
  });

  it('refuses a duplicate name, too many unused jobs, and malformed configurations with the 2018-03-30 codes', () => {
    expectCode(() => store.create(seedExample()), 'InternalError.DuplicateJob');
    expectCode(() => store.create(seedExample({ JobName: 'x1', DstAccessType: 'extranet' })), 'InvalidParameter');
    expectCode(() => store.create(seedExample({ JobName: 'x2', SrcDatabaseType: 'oracle' })), 'InvalidParameter');
    expectCode(() => store.create(seedExample({ JobName: 'x3', MigrateOption: { RunMode: 1, MigrateType: 2, MigrateObject: 2 } })), 'InvalidParameter');
    expectCode(() => store.create(seedExample({ JobName: 'x4', MigrateOption: { RunMode: 1, MigrateType: 2, MigrateObject: 2 }, DatabaseInfo: '[{"Table":["t"]}]' })), 'InvalidParameter');
    expectCode(() => store.create(seedExample({ JobName: 'x5', SrcAccessType: 'cdb' })), 'InvalidParameter');
    expectCode(() => store.create(seedExample({ JobName: 'x6', MigrateOption: { RunMode: 1, MigrateType: 1, MigrateObject: 1, IsOverrideRoot: 1 } })), 'InvalidParameter');
    store.create(seedExample({ JobName: 'tables', MigrateOption: { RunMode: 1, MigrateType: 2, MigrateObject: 2 }, DatabaseInfo: '[{"Database":"orders","Table":["orders"]},{"Database":"crm"}]' }));
    store.maxUnusedJobs = store.list().filter((j) => [1, 3, 4, 5].includes(j.status)).length;
    expectCode(() => store.create(seedExample({ JobName: 'one-too-many' })), 'LimitExceeded.MaxUnusedJobs');
    store.maxUnusedJobs = 50;
  });

  it('pages DescribeMigrateJobs by CreateTime with Offset/Limit ≤ 100, and never returns passwords', () => {
    const page = store.describe({ Order: 'CreateTime', OrderSeq: 'ASC', Offset: 1, Limit: 2 });
    expect(page.TotalCount).toBe(store.list().length);
    expect(page.JobList.map((j) => j.JobId)).toEqual(store.list().slice(1, 3).map((j) => j.id));
    expect(() => store.describe({ Limit: 101 })).toThrow(expect.objectContaining({ code: 'InvalidParameter' }));
    expect(store.describe({ JobName: 'stream' }).JobList.map((j) => j.JobName)).toEqual(['stream']);
    expect(JSON.stringify(store.describe({ Limit: 100 }))).not.toContain('123456');
  });
});

describe('DTS 2018-03-30 simulator over signed HTTP', () => {
  let sim: DtsLegacySimulator;
  let client: TencentApiClient;
  beforeAll(async () => {
    sim = await startDtsLegacySimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' });
    client = new TencentApiClient({ provider: 'tencent-dts-legacy', endpoint: sim.url, service: 'dts', version: '2018-03-30', region: 'ap-guangzhou', credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY }, sleep: async () => {} });
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });
  afterEach(() => fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' }));

  /** Polls DescribeMigrateCheckJob until the check is finished (the simulator's clock moves it). */
  async function finishedCheck(JobId: string): Promise<{ Status: string; CheckFlag: number; ErrorMessage: string }> {
    for (;;) {
      const check = await client.call<{ Status: string; CheckFlag: number; ErrorMessage: string }>('DescribeMigrateCheckJob', { JobId });
      if (check.Status === 'finished') return check;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('accepts CreateMigrateJob signed by tencentcloud-sdk-nodejs-common and lists it', async () => {
    const sdk = dtsSdkClient(sim.url, '2018-03-30', { secretId: SECRET_ID, secretKey: SECRET_KEY });
    const created = (await sdk.request('CreateMigrateJob', seedExample({ JobName: 'sdk-made' }))) as { JobId: string; RequestId: string };
    expect(created.JobId).toMatch(/^dts-/);
    const listed = (await sdk.request('DescribeMigrateJobs', { JobId: created.JobId })) as DescribeMigrateJobsResponse;
    expect(listed.TotalCount).toBe(1);
    const job = listed.JobList[0] as MigrateJobInfo;
    expect(job).toMatchObject({ JobName: 'sdk-made', Status: 1, SrcAccessType: 'extranet', DstAccessType: 'cdb', SrcInfo: { Password: '' } });
    await expect(sdk.request('StartMigrateJob', { JobId: created.JobId })).rejects.toMatchObject({ code: 'FailedOperation.NotAllowOperation' });
  });

  it('answers the business errors through Response.Error, which the provider client maps', async () => {
    const missing = (await client.call('DescribeMigrateCheckJob', { JobId: 'dts-00000000' }).catch((e: unknown) => e)) as ProviderHttpError;
    expect(missing).toMatchObject({ code: 'ResourceNotFound', kind: 'notFound' });
    expect(await codeOf(client.call('CreateMigrateJob', { ...seedExample({ JobName: 'bad' }), Surprise: 1 }))).toBe('UnknownParameter');
    expect(await codeOf(client.call('DescribeMigrateJobs', { Limit: 0 }))).toBe('InvalidParameter');
  });

  it('runs the check over HTTP and moves on with the clock', async () => {
    const { JobId } = await client.call<{ JobId: string }>('CreateMigrateJob', seedExample({ JobName: 'http-check' }));
    await client.call('CreateMigrateCheckJob', { JobId });
    expect((await finishedCheck(JobId)).CheckFlag).toBe(1);
    const counts = (await (await fetch(`${sim.url}/_sim/calls`)).json()) as Record<string, number>;
    expect(counts.CreateMigrateCheckJob).toBe(1);
  });

  it('serves the admin hooks: check outcome, fail, progress, job views without passwords', async () => {
    const post = (path: string, body: unknown) => fetch(`${sim.url}/_sim/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('check-outcome', { passed: false, errorMessage: 'source binlog_format is not ROW' });
    const { JobId } = await client.call<{ JobId: string }>('CreateMigrateJob', seedExample({ JobName: 'admin' }));
    await client.call('CreateMigrateCheckJob', { JobId });
    const check = await finishedCheck(JobId);
    expect(check).toMatchObject({ CheckFlag: 0, ErrorMessage: 'source binlog_format is not ROW' });
    await fetch(`${sim.url}/_sim/check-outcome`, { method: 'DELETE' });
    const failed = await (await post(`jobs/${JobId}/fail`, { errorLog: 'disk full on target' })).json();
    expect(failed).toMatchObject({ status: 10, errorLogs: ['disk full on target'], config: { SrcInfo: { passwordSet: true } } });
    const all = await (await fetch(`${sim.url}/_sim/jobs`)).text();
    expect(all).not.toContain('123456');
  });
});
