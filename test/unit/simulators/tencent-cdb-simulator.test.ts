import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import { buildV2Request } from '../../../controller/src/providers/tencent/v2-client.ts';
import { ManualClock } from '../../../engine/src/clock.ts';
import { CDB_STEP_MS, startCdbSimulator, type CdbSimulator } from '../../../simulators/tencent-cdb/simulator.ts';

type SdkSign = { sign(k: string, s: string, m: string): string };
const Sign = ((signModule as unknown as { default?: SdkSign }).default ?? signModule) as SdkSign;

const SECRET_ID = 'AKIDcdbSimulatorEXAMPLE';
const SECRET_KEY = 'cdb-simulator-secret-key';
const STEP = CDB_STEP_MS.fast;

interface Answer {
  code: number | string;
  message: string;
  codeDesc: string;
  data?: any;
}

/**
 * The CDB v2 simulator, driven by a manual clock: every state step happens when the test moves
 * time, so each status of the machine can be observed.
 */
describe('Tencent CDB data-sync simulator', () => {
  let clock: ManualClock;
  let sim: CdbSimulator;

  beforeAll(async () => {
    clock = new ManualClock(Date.UTC(2025, 0, 1));
    sim = await startCdbSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast', clock, actionLimitPerSecond: 0 });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.faults.reset());

  let nonce = 1;
  const call = async (action: string, params: Record<string, string | number> = {}, opts: { key?: string; id?: string; region?: string | null; skewS?: number; nonce?: number } = {}): Promise<Answer> => {
    const { url } = buildV2Request({
      endpoint: sim.url,
      action,
      ...(opts.region === null ? {} : { region: opts.region ?? 'ap-guangzhou' }),
      params,
      credentials: { secretId: opts.id ?? SECRET_ID, secretKey: opts.key ?? SECRET_KEY },
      timestamp: Math.floor(clock.now() / 1000) + (opts.skewS ?? 0),
      nonce: opts.nonce ?? nonce++,
    });
    return (await (await fetch(url)).json()) as Answer;
  };
  const admin = async (path: string, body?: unknown, method = 'POST') =>
    (await fetch(`${sim.url}/_sim/${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })).json() as Promise<any>;
  const createParams = (name: string, src = 'cdb-c1nl9rpv', dst = 'cdb-d2sagyed') => ({
    jobName: name,
    'srcInfo.0.cdbUInstanceId': src,
    'srcInfo.0.dbInfo.0.database': 'myDB',
    'srcInfo.0.dbInfo.0.table.0': 'myTable0',
    'srcInfo.0.dbInfo.0.table.1': 'myTable1',
    'srcInfo.0.isOverrideRoot': 0,
    'dstInfo.0.cdbUInstanceId': dst,
    'dstInfo.0.region': 'ap-shanghai',
  });
  const task = async (jobId: number) => (await call('GetCdbDataSyncTaskList', { jobId })).data.jobList[0];
  const step = (n = 1) => clock.advance(STEP * n);

  it('runs the documented lifecycle: create (0 → 1), check (2 → 4), start (5 → 6, progress), delete refused while syncing', async () => {
    const created = await call('CreateCdbDataSyncTask', createParams('lifecycle'));
    expect(created).toMatchObject({ code: '0', codeDesc: 'Success', data: { jobId: expect.any(Number) } });
    const id = created.data.jobId as number;
    expect(await task(id)).toMatchObject({ jobId: id, status: 0, detail: { jobName: 'lifecycle', checkInfo: { checkFlag: 0, checkResult: [] } } });
    expect((await call('CheckCdbDataSyncTask', { jobId: id })).code).toBe(30016);
    step();
    expect((await task(id)).status).toBe(1);
    expect((await call('StartCdbDataSyncTask', { jobId: id })).code).toBe(30016);

    expect(await call('CheckCdbDataSyncTask', { jobId: id })).toMatchObject({ code: 0 });
    expect((await task(id)).status).toBe(2);
    step();
    const verified = await task(id);
    expect(verified).toMatchObject({ status: 4, detail: { checkInfo: { checkFlag: 1, checkResult: { isSuccess: 1, status: 'finished' } } } });
    expect(verified.detail.checkInfo.checkResult.stepInfo).toHaveLength(9);

    expect(await call('StartCdbDataSyncTask', { jobId: id })).toMatchObject({ code: '0' });
    expect((await task(id)).status).toBe(5);
    step();
    expect(await task(id)).toMatchObject({ status: 6, progress: 0 });
    step(2);
    expect(await task(id)).toMatchObject({ status: 6, progress: 50, detail: { migrateType: '3', jobOutput: { stepAll: 6, stepPercent: '50.00' } } });
    expect(await call('DelCdbDataSyncTask', { jobId: id })).toMatchObject({ code: 30016, codeDesc: 'InvalidParameter' });
    step(5);
    expect(await task(id)).toMatchObject({ status: 6, progress: 100 });

    await admin(`tasks/${id}/status`, { status: 9 });
    expect(await task(id)).toMatchObject({ status: 9, detail: { jobOutput: { status: 'normal_finish' } } });
    expect(await call('DelCdbDataSyncTask', { jobId: id })).toMatchObject({ code: '0' });
    expect(await call('GetCdbDataSyncTaskList', { jobId: id })).toMatchObject({ code: 0, data: { totalCount: 0, jobList: [] } });
    expect(await call('DelCdbDataSyncTask', { jobId: id })).toMatchObject({ code: 30009, message: expect.stringContaining('does not exist') });
  });

  it('fails verification with the configured steps, item by item, and refuses to re-verify', async () => {
    await admin('check-outcome', { failedSteps: [{ stepName: 'Check if the destination instance is empty', message: 'destination has database myDB' }] });
    const id = (await call('CreateCdbDataSyncTask', createParams('failing-check', 'cdb-aaaaaaa1', 'cdb-aaaaaaa2'))).data.jobId as number;
    step();
    await call('CheckCdbDataSyncTask', { jobId: id });
    step();
    await admin('check-outcome', { failedSteps: null });
    const failed = await task(id);
    expect(failed).toMatchObject({ status: 3, detail: { checkInfo: { checkFlag: 2, checkResult: { isSuccess: 0 } } } });
    expect(failed.detail.checkInfo.checkResult.stepInfo).toContainEqual({ stepNo: 7, stepName: 'Check if the destination instance is empty', code: 1, message: 'destination has database myDB' });
    expect((await call('CheckCdbDataSyncTask', { jobId: id })).code).toBe(30016);
    expect((await call('StartCdbDataSyncTask', { jobId: id })).code).toBe(30016);
    expect((await call('DelCdbDataSyncTask', { jobId: id })).code).toBe('0');
  });

  it('refuses bad create parameters with the seed codes', async () => {
    const base = createParams('bad', 'cdb-bbbbbbb1', 'cdb-bbbbbbb2');
    const without = (key: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
    expect((await call('CreateCdbDataSyncTask', without('jobName'))).code).toBe(9003);
    expect((await call('CreateCdbDataSyncTask', without('srcInfo.0.cdbUInstanceId'))).code).toBe(30004);
    expect((await call('CreateCdbDataSyncTask', without('srcInfo.0.isOverrideRoot'))).code).toBe(30004);
    expect((await call('CreateCdbDataSyncTask', without('dstInfo.0.cdbUInstanceId'))).code).toBe(30005);
    expect((await call('CreateCdbDataSyncTask', without('dstInfo.0.region'))).code).toBe(30013);
    expect((await call('CreateCdbDataSyncTask', { ...base, 'srcInfo.0.cdbUInstanceId': 'mysql-1' })).code).toBe(9572);
    expect((await call('CreateCdbDataSyncTask', { ...base, 'dstInfo.0.cdbUInstanceId': base['srcInfo.0.cdbUInstanceId'] })).code).toBe(30005);
    expect((await call('CreateCdbDataSyncTask', { ...base, 'srcInfo.0.isOverrideRoot': 1 })).code).toBe(30004);
    expect((await call('CreateCdbDataSyncTask', { ...base, 'srcInfo.0.dbInfo.1.table.0': 't' })).code).toBe(30004);
  });

  it('refuses to verify a task whose instances another task is syncing (9592)', async () => {
    const a = (await call('CreateCdbDataSyncTask', createParams('holder', 'cdb-ccccccc1', 'cdb-ccccccc2'))).data.jobId as number;
    const b = (await call('CreateCdbDataSyncTask', createParams('second', 'cdb-ccccccc1', 'cdb-ccccccc3'))).data.jobId as number;
    step();
    await call('CheckCdbDataSyncTask', { jobId: a });
    expect(await call('CheckCdbDataSyncTask', { jobId: b })).toMatchObject({ code: 9592, codeDesc: 'OperationDenied' });
    step();
    expect((await call('CheckCdbDataSyncTask', { jobId: b })).code).toBe(0);
  });

  it('pages the list with offset/limit/order, filters by name part and region, and bounds limit', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await call('CreateCdbDataSyncTask', createParams(name, 'cdb-ddddddd1', 'cdb-ddddddd2'));
    await call('CreateCdbDataSyncTask', createParams('page-elsewhere', 'cdb-ddddddd1', 'cdb-ddddddd2'), { region: 'ap-beijing' });
    const all = (await call('GetCdbDataSyncTaskList', { jobName: 'page-', limit: 100, order: 'jobId', orderSeq: 'ASC' })).data;
    expect(all.totalCount).toBe(3);
    expect(all.jobList.map((j: any) => j.detail.jobName)).toEqual(['page-a', 'page-b', 'page-c']);
    const second = (await call('GetCdbDataSyncTaskList', { jobName: 'page-', limit: 2, offset: 2, order: 'jobId', orderSeq: 'ASC' })).data;
    expect(second.jobList.map((j: any) => j.detail.jobName)).toEqual(['page-c']);
    const newestFirst = (await call('GetCdbDataSyncTaskList', { jobName: 'page-' })).data;
    expect(newestFirst.jobList[0].detail.jobName).toBe('page-c');
    expect((await call('GetCdbDataSyncTaskList', { jobName: 'page-' }, { region: 'ap-beijing' })).data.totalCount).toBe(1);
    expect((await call('GetCdbDataSyncTaskList', { limit: 101 })).code).toBe(9003);
    expect((await call('GetCdbDataSyncTaskList', { jobId: 'x' })).code).toBe(9003);
  });

  it('fails a syncing task on request (status 8 with jobOutput)', async () => {
    const id = (await call('CreateCdbDataSyncTask', createParams('to-fail', 'cdb-eeeeeee1', 'cdb-eeeeeee2'))).data.jobId as number;
    step();
    await call('CheckCdbDataSyncTask', { jobId: id });
    step();
    await call('StartCdbDataSyncTask', { jobId: id });
    step();
    await admin(`tasks/${id}/fail`, { code: 1062, message: 'duplicate entry on the destination' });
    expect(await task(id)).toMatchObject({ status: 8, code: 1062, detail: { jobOutput: { code: 1062, message: 'duplicate entry on the destination' } } });
    expect(await admin(`tasks/${id}/progress`, { progress: 10 })).toMatchObject({ error: expect.stringContaining('syncing') });
  });

  describe('authentication', () => {
    it('accepts a form POST signed HmacSHA1 by the official SDK when SignatureMethod is absent', async () => {
      const host = new URL(sim.url).host;
      const params: Record<string, string> = { Action: 'GetCdbDataSyncTaskList', Region: 'ap-guangzhou', SecretId: SECRET_ID, Timestamp: String(Math.floor(clock.now() / 1000)), Nonce: '918273', limit: '1' };
      const toSign = `POST${host}/v2/index.php?${Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&')}`;
      params.Signature = Sign.sign(SECRET_KEY, toSign, 'HmacSHA1');
      const res = await fetch(`${sim.url}/v2/index.php`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
      expect(await res.json()).toMatchObject({ code: 0, data: { totalCount: expect.any(Number) } });
    });

    it.each([
      ['a wrong SecretKey', { key: 'wrong-key' }, 4100, 'does not match'],
      ['an unknown SecretId', { id: 'AKIDunknown' }, 4100, 'does not exist'],
      ['a Timestamp 10 minutes off', { skewS: 600 }, 4200, '5 minutes'],
      ['no Region', { region: null }, 4000, 'Region'],
    ])('refuses %s', async (_what, opts, code, message) => {
      const answer = await call('GetCdbDataSyncTaskList', {}, opts as { key?: string });
      expect(answer.code).toBe(code);
      expect(answer.message).toContain(message);
    });

    it('refuses a replayed Nonce (4500) and an unknown action', async () => {
      expect((await call('GetCdbDataSyncTaskList', {}, { nonce: 777 })).code).toBe(0);
      expect((await call('GetCdbDataSyncTaskList', {}, { nonce: 777 })).code).toBe(4500);
      expect(await call('PauseCdbDataSyncTask', { jobId: 1 })).toMatchObject({ code: 4000, codeDesc: 'InvalidAction' });
    });
  });

  describe('faults and limits', () => {
    it('answers injected faults as 4400, 9013 and 9570, and counts calls', async () => {
      await admin('calls', undefined, 'DELETE');
      await admin('faults', { tooManyRequestsRate: 1 });
      expect((await call('GetCdbDataSyncTaskList')).code).toBe(4400);
      await admin('faults', { tooManyRequestsRate: 0, errorRate: 1 });
      expect(await call('GetCdbDataSyncTaskList')).toMatchObject({ code: 9013, codeDesc: 'InternalError' });
      await admin('faults', { errorRate: 0, busyCallRate: 1 });
      expect((await call('GetCdbDataSyncTaskList')).code).toBe(0); // reads are never "busy"
      expect((await call('CheckCdbDataSyncTask', { jobId: 1 })).code).toBe(9570);
      await admin('faults', undefined, 'DELETE');
      expect(await admin('calls', undefined, 'GET')).toEqual({ GetCdbDataSyncTaskList: 3, CheckCdbDataSyncTask: 1 });
    });

    it('does the work and then drops the answer', async () => {
      await admin('faults', { dropResponseRate: 1, endpoints: ['CreateCdbDataSyncTask'] });
      await expect(call('CreateCdbDataSyncTask', createParams('dropped', 'cdb-fffffff1', 'cdb-fffffff2'))).rejects.toThrow();
      await admin('faults', undefined, 'DELETE');
      expect((await call('GetCdbDataSyncTaskList', { jobName: 'dropped' })).data.totalCount).toBe(1);
    });

    it('limits each action to its rate (4400 beyond it)', async () => {
      const limited = await startCdbSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast', clock, actionLimitPerSecond: 2 });
      try {
        const url = (n: number) =>
          buildV2Request({ endpoint: limited.url, action: 'GetCdbDataSyncTaskList', region: 'ap-guangzhou', params: {}, credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY }, timestamp: Math.floor(clock.now() / 1000), nonce: 5000 + n }).url;
        const codes = [];
        for (let i = 0; i < 3; i++) codes.push(((await (await fetch(url(i))).json()) as Answer).code);
        expect(codes).toEqual([0, 0, 4400]);
      } finally {
        await limited.close();
      }
    });
  });
});
