import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchConnectionResponse,
  BatchCreationResponse,
  BatchJobsDeleteResponse,
  BatchPrecheckResultResponse,
  BatchStatusResponse,
  DrsErrorBody,
} from '../../../controller/src/providers/huawei-drs/schemas.ts';
import {
  configuredJobs,
  connectionItems,
  creationItem,
  DELAYS,
  modificationItem,
  replicatingJobs,
  startTestEngine,
  type TestEngine,
} from './helpers.ts';

const UNKNOWN = '99999999-aaaa-4bbb-8ccc-dddddddjb101';

describe('engine: per-item results in mixed batches', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('one good and one wrong-state item: the good one succeeds, the bad one gets the seed code', async () => {
    const running = (await replicatingJobs(t, ['running-job']))[0]!;
    const configuring = (await configuredJobs(t, ['configuring-job']))[0]!;

    const pause = await t.drs.post('/batch-pause-task', {
      jobs: [
        { job_id: running, pause_mode: 'target' },
        { job_id: configuring, pause_mode: 'target' },
        { job_id: UNKNOWN, pause_mode: 'all' },
      ],
    });
    expect(pause.status).toBe(200);
    expect(pause.body.count).toBe(3);
    expect(pause.body.results[0]).toEqual({ id: running, status: 'success' });
    expect(pause.body.results[1]).toMatchObject({ id: configuring, status: 'failed', error_code: 'DRS.M00304' });
    expect(pause.body.results[2]).toEqual({ id: UNKNOWN, status: 'failed', error_code: 'DRS.M00289', error_msg: `Missing query result: ${UNKNOWN}` });
    // While the pause is in progress the task is busy; once paused it is simply in the wrong state.
    const whilePausing = await t.drs.post('/batch-starting', { jobs: [{ job_id: running }] });
    expect(whilePausing.body.results[0]).toMatchObject({ id: running, status: 'failed', error_code: 'DRS.M01504' });
    await t.advance(DELAYS.pauseMs);

    const start = await t.drs.post('/batch-starting', { jobs: [{ job_id: running }, { job_id: configuring }] });
    expect(start.status).toBe(202);
    expect(start.body.results[0]).toMatchObject({ id: running, status: 'failed', error_code: 'DRS.M00304' });
    expect(start.body.results[1]).toMatchObject({ id: configuring, status: 'failed', error_code: 'DRS.M00304' }); // no pre-check yet

    const connection = BatchConnectionResponse.parse(
      (await t.drs.post('/batch-connection', { jobs: [...connectionItems(configuring), connectionItems(running)[0]] })).body,
    );
    expect(connection.results.map((r) => [r.status, r.success, r.error_code])).toEqual([
      ['success', true, undefined],
      ['success', true, undefined],
      ['failed', false, 'DRS.M00304'],
    ]);

    const pwd = await t.drs.put('/batch-modify-pwd', {
      jobs: [
        { job_id: configuring, end_point_type: 'so', db_password: 'x' },
        { job_id: running, end_point_type: 'ta', db_password: 'y' },
      ],
    });
    expect(pwd.body.results).toEqual([
      { id: configuring, status: 'failed', error_code: 'DRS.M00304', error_msg: expect.any(String), end_point_type: 'so' },
      { id: running, status: 'success', end_point_type: 'ta' },
    ]);

    const select = await t.drs.put('/batch-select-objects', {
      jobs: [
        { job_id: configuring, selected: false, job: [] },
        { job_id: running, selected: false, job: [] },
      ],
    });
    expect(select.status).toBe(202);
    expect(select.body).toMatchObject({ all_counts: 2, results: [{ job_id: configuring, status: true }, { job_id: running, status: false, error_code: 'DRS.M00304' }] });

    const rename = await t.drs.put('/batch-modification', {
      jobs: [
        { job_id: running, name: 'renamed-running', description: 'still replicating' },
        { job_id: configuring, ...modificationItem(configuring, 'configuring-job') },
      ],
    });
    expect(rename.body.results).toEqual([
      { id: running, status: 'success' },
      { id: configuring, status: 'success' },
    ]);
    const reconfigureRunning = await t.drs.put('/batch-modification', { jobs: [modificationItem(running, 'renamed-running')] });
    expect(reconfigureRunning.body.results[0]).toMatchObject({ status: 'failed', error_code: 'DRS.M00304' });
  });

  it('deleted tasks answer DRS.M05004, unknown ones DRS.M00289, across the batch endpoints', async () => {
    const [id] = await configuredJobs(t, ['short-lived']);
    await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'force_terminate', job_id: id }] });
    await t.advance(DELAYS.forceReleaseMs);
    await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'delete', job_id: id }] });

    const start = await t.drs.post('/batch-starting', { jobs: [{ job_id: id }, { job_id: UNKNOWN }] });
    expect(start.body.results.map((r: { error_code: string }) => r.error_code)).toEqual(['DRS.M05004', 'DRS.M00289']);
    const status = BatchStatusResponse.parse((await t.drs.post('/batch-status', { jobs: [id, UNKNOWN] })).body);
    expect(status.results).toEqual([
      { id, status: 'DELETED' },
      { id: UNKNOWN, error_code: 'DRS.M00289', error_message: `Missing query result: ${UNKNOWN}` },
    ]);
    const progress = (await t.drs.post('/batch-progress', { jobs: [id, UNKNOWN] })).body.results;
    expect(progress.map((r: { error_code: string }) => r.error_code)).toEqual(['DRS.M05004', 'DRS.M00289']);
    const precheck = BatchPrecheckResultResponse.parse((await t.drs.post('/batch-precheck-result', { jobs: [id, UNKNOWN] })).body);
    expect(precheck.results.map((r) => r.error_code)).toEqual(['DRS.M05004', 'DRS.M00289']);
    const again = BatchJobsDeleteResponse.parse((await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'delete', job_id: id }] })).body);
    expect(again.results[0]).toMatchObject({ status: 'failed', error_code: 'DRS.M05004' });
  });

  it('tasks belong to their project: another project sees DRS.M00289 and an empty list, and may reuse the name', async () => {
    const id = (await configuredJobs(t, ['project-a-job']))[0]!;
    const other = { projectId: 'another-project-0000000000000000' };
    const status = await t.drs.call('POST', '/batch-status', { jobs: [id] }, other);
    expect(status.body.results[0]).toMatchObject({ id, error_code: 'DRS.M00289' });
    const pause = await t.drs.call('POST', '/batch-pause-task', { jobs: [{ job_id: id, pause_mode: 'all' }] }, other);
    expect(pause.body.results[0]).toMatchObject({ error_code: 'DRS.M00289' });
    const listed = await t.drs.call('POST', '', { cur_page: 0, per_page: 0, db_use_type: 'migration', engine_type: '' }, other);
    expect(listed.body.total_record).toBe(0);
    const sameName = await t.drs.call('POST', '/batch-creation', { jobs: [creationItem('project-a-job')] }, other);
    expect(sameName.body.results[0].status).toBe('CREATING');
  });

  it('batch-detail: 200 with per-item errors when some tasks exist, 400 when none does', async () => {
    const [id] = await configuredJobs(t, ['present-job']);
    const mixed = await t.drs.post('/batch-detail', { jobs: [id, UNKNOWN], page_req: { cur_page: 1, per_page: 10 } });
    expect(mixed.status).toBe(200);
    expect(mixed.body.results[0]).toMatchObject({ id, status: 'CONFIGURATION' });
    expect(mixed.body.results[1]).toMatchObject({ id: UNKNOWN, error_code: 'DRS.M00289' });
    const gone = await t.drs.post('/batch-detail', { jobs: [UNKNOWN], page_req: { cur_page: 1, per_page: 10 } });
    expect(gone.status).toBe(400);
  });

  it('pre-check never run answers DRS.M00002; config changes void a pre-check', async () => {
    const [id] = await configuredJobs(t, ['void-check']);
    expect((await t.drs.post('/batch-precheck-result', { jobs: [id] })).body.results[0]).toMatchObject({ precheck_id: id, error_code: 'DRS.M00002' });
    await t.drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forStartJob' }] });
    await t.advance(DELAYS.precheckMs);
    await t.drs.put('/batch-select-objects', { jobs: [{ job_id: id, selected: false, job: [] }] });
    const start = await t.drs.post('/batch-starting', { jobs: [{ job_id: id }] });
    expect(start.body.results[0]).toMatchObject({ status: 'failed', error_code: 'DRS.M00304' });
  });

  it('select-objects and sync-policy need the connection test and modification first', async () => {
    const created = await t.drs.post('/batch-creation', { jobs: [creationItem('raw-job', { db_use_type: 'sync' })] });
    const id: string = created.body.results[0].id;
    expect(id.endsWith('jb201')).toBe(true);
    await t.advance(DELAYS.createMs);
    const select = await t.drs.put('/batch-select-objects', { jobs: [{ job_id: id, selected: false, job: [] }] });
    expect(select.body.results[0]).toMatchObject({ job_id: id, status: false, error_code: 'DRS.M00304' });
    const policy = await t.drs.post('/batch-sync-policy', { jobs: [{ job_id: id, conflict_policy: 'overwrite' }] });
    expect(policy.body.results[0]).toMatchObject({ id, status: 'failed', error_code: 'DRS.M00304' });
    await t.drs.post('/batch-connection', { jobs: connectionItems(id) });
    await t.drs.put('/batch-modification', { jobs: [modificationItem(id, 'raw-job')] });
    const policyAfter = await t.drs.post('/batch-sync-policy', {
      jobs: [{ conflict_policy: 'ignore', ddl_trans: true, filter_ddl_policy: 'drop_database', index_trans: true, job_id: id }],
    });
    expect(policyAfter.body).toEqual({ results: [{ id, status: 'success' }], count: 1 });
    const detail = (await t.drs.post('/batch-detail', { jobs: [id], page_req: { per_page: 1 } })).body.results[0];
    expect(detail).toMatchObject({ conflict_policy: 'ignore', filter_ddl_policy: 'drop_database' });
  });
});

describe('engine: creation', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine({ simulated: { engines: ['mysql', 'postgresql'] } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses unsupported engines and invalid items per item, creating nothing for them', async () => {
    const created = await t.drs.post('/batch-creation', {
      jobs: [
        creationItem('good-one'),
        creationItem('mongo-one', { engine_type: 'mongodb' }),
        creationItem('weird-one', { engine_type: 'sqlserver' }),
        creationItem('1bad-name'),
        creationItem('no-subnet', { customize_sutnet_id: undefined }),
        creationItem('dr-vpc', { db_use_type: 'cloudDataGuard', engine_type: 'mysql', net_type: 'vpc', multi_write: false }),
      ],
    });
    expect(created.status).toBe(202);
    const body = BatchCreationResponse.parse(created.body);
    expect(body.count).toBe(6);
    expect(body.results[0]).toMatchObject({ name: 'good-one', status: 'CREATING' });
    expect(body.results.slice(1).map((r) => [r.name, r.error_code, r.id])).toEqual([
      ['mongo-one', 'DRS.M00302', undefined],
      ['weird-one', 'DRS.M00302', undefined],
      ['1bad-name', 'DRS.M00202', undefined],
      ['no-subnet', 'DRS.M00201', undefined],
      ['dr-vpc', 'DRS.M00202', undefined],
    ]);
    expect(body.results[4]!.error_msg).toBe('The parameter customize_sutnet_id is empty.');
    const listed = await t.drs.post('', { cur_page: 0, per_page: 0, db_use_type: 'migration', engine_type: '' });
    expect(listed.body.total_record).toBe(1);
    expect(t.engine.runtime.store.size).toBe(1);
  });

  it('task names are unique (case-insensitive) among live tasks: DRS.M00277', async () => {
    const first = await t.drs.post('/batch-creation', { jobs: [creationItem('unique-name'), creationItem('UNIQUE-NAME')] });
    expect(first.body.results[0].status).toBe('CREATING');
    expect(first.body.results[1]).toMatchObject({ name: 'UNIQUE-NAME', error_code: 'DRS.M00277' });
  });

  it('a creation outcome makes the task CREATE_FAILED, which can be deleted directly', async () => {
    await t.drs.admin('POST', '/_sim/create-outcome', { name_pattern: '^doomed', error_code: 'DRS.M05066', once: true });
    const created = await t.drs.post('/batch-creation', { jobs: [creationItem('doomed-job'), creationItem('fine-job')] });
    const [doomed, fine] = created.body.results.map((r: { id: string }) => r.id) as [string, string];
    await t.advance(DELAYS.createMs);
    expect(await t.drs.status([doomed, fine])).toEqual({ [doomed]: 'CREATE_FAILED', [fine]: 'CONFIGURATION' });
    const detail = (await t.drs.post('/batch-detail', { jobs: [doomed], page_req: { per_page: 1 } })).body.results[0];
    expect(detail).toMatchObject({ error_code: 'DRS.M05066', error_message: 'Failed to create instance!' });
    const deleted = await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'delete', job_id: doomed }] });
    expect(deleted.body.results[0]).toEqual({ id: doomed, status: 'success' });
  });
});

describe('engine: simulated outcomes', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('connection failures: by convention (TEST-NET address, wrong password) and by admin rule', async () => {
    const created = await t.drs.post('/batch-creation', { jobs: [creationItem('conn-a'), creationItem('conn-b')] });
    const [a, b] = created.body.results.map((r: { id: string }) => r.id) as [string, string];
    await t.advance(DELAYS.createMs);
    await t.drs.admin('POST', '/_sim/connection-outcome', { job_id: b, end_point_type: 'ta', error_code: 'DRS.KE0070', once: true });
    const answer = await t.drs.post('/batch-connection', {
      jobs: [...connectionItems(a, { so: { ip: '192.0.2.10' }, ta: { db_password: 'wrong-password' } }), ...connectionItems(b)],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r: { success: boolean; error_code?: string }) => [r.success, r.error_code])).toEqual([
      [false, 'DRS.KE001'],
      [false, 'DRS.KE002'],
      [true, undefined],
      [false, 'DRS.KE0070'],
    ]);
    expect(answer.body.results[1]).toMatchObject({ status: 'failed', error_msg: 'The username or password is incorrect.' });
    // Without passed connection tests, no pre-check.
    await t.drs.put('/batch-modification', { jobs: [modificationItem(b, 'conn-b')] });
    const precheck = await t.drs.post('/batch-precheck', { jobs: [{ job_id: b, precheck_mode: 'forStartJob' }] });
    expect(precheck.body.results[0]).toMatchObject({ status: 'failed', error_code: 'DRS.M00304' });
    // The rule was once: testing again passes.
    const retest = await t.drs.post('/batch-connection', { jobs: connectionItems(b) });
    expect(retest.body.results.every((r: { success: boolean }) => r.success)).toBe(true);
  });

  it('pre-check outcomes: FAILED items fail the check (start refused), ALARM items do not', async () => {
    const [failing, alarming, unprivileged] = await configuredJobs(t, ['check-fail', 'check-alarm', 'check-priv']);
    await t.drs.admin('POST', '/_sim/precheck-outcome', {
      job_id: failing,
      items: [{ item: 'srcBinlogFormatCheck', result: 'FAILED', failed_reason: 'SRC_BINLOG_FORMAT_NOT_ROW' }],
    });
    await t.drs.admin('POST', '/_sim/precheck-outcome', { job_id: alarming, items: [{ item: 'srcDbBinlogExpireLogsDays', result: 'ALARM' }] });
    await t.drs.put('/batch-modification', { jobs: [modificationItem(unprivileged!, 'check-priv', 'no-privilege')] });
    await t.drs.post('/batch-precheck', { jobs: [failing, alarming, unprivileged].map((job_id) => ({ job_id, precheck_mode: 'forStartJob' })) });
    await t.advance(DELAYS.precheckMs);
    const results = BatchPrecheckResultResponse.parse((await t.drs.post('/batch-precheck-result', { jobs: [failing, alarming, unprivileged] })).body).results;
    expect(results[0]).toMatchObject({ result: false, process: '100%' });
    expect(results[0]!.total_passed_rate).not.toBe('100%');
    expect(results[0]!.precheck_result).toContainEqual({ item: 'srcBinlogFormatCheck', result: 'FAILED', group: 'db_params', failed_reason: 'SRC_BINLOG_FORMAT_NOT_ROW' });
    expect(results[1]).toMatchObject({ result: true, total_passed_rate: '100%' });
    expect(results[1]!.precheck_result).toContainEqual(expect.objectContaining({ item: 'srcDbBinlogExpireLogsDays', result: 'ALARM' }));
    expect(results[2]!.precheck_result).toContainEqual(expect.objectContaining({ item: 'srcDbPrivilegesIsEnoughForIncre', result: 'FAILED' }));
    const start = await t.drs.post('/batch-starting', { jobs: [failing, alarming, unprivileged].map((job_id) => ({ job_id })) });
    expect(start.body.results.map((r: { status: string }) => r.status)).toEqual(['failed', 'success', 'failed']);
  });

  it('failure plans fail a started task in the chosen phase; release outcomes fail a stop', async () => {
    const ids = await configuredJobs(t, ['plan-start', 'plan-incre']);
    const [startFail, increFail] = ids as [string, string];
    await t.drs.admin('POST', '/_sim/failure-plan', { job_id: startFail, phase: 'start', error_code: 'DRS.M01501' });
    await t.drs.admin('POST', '/_sim/failure-plan', { job_id: increFail, phase: 'incremental', error_code: 'DRS.M01501', after_ms: 500 });
    await t.drs.post('/batch-precheck', { jobs: ids.map((job_id) => ({ job_id, precheck_mode: 'forStartJob' })) });
    await t.advance(DELAYS.precheckMs);
    await t.drs.post('/batch-starting', { jobs: ids.map((job_id) => ({ job_id })) });
    await t.advance(DELAYS.startMs + DELAYS.fullTransferMs + DELAYS.fullToIncrementalMs);
    expect(await t.drs.status(ids)).toEqual({ [startFail]: 'START_JOB_FAILED', [increFail]: 'INCRE_TRANSFER_STARTED' });
    await t.advance(500);
    expect(await t.drs.status(ids)).toEqual({ [startFail]: 'START_JOB_FAILED', [increFail]: 'INCRE_TRANSFER_FAILED' });

    await t.drs.admin('POST', '/_sim/release-outcome', { job_id: increFail, error_code: 'DRS.M01501', once: true });
    await t.drs.delete('/batch-jobs', { jobs: ids.map((job_id) => ({ delete_type: 'terminate', job_id })) });
    await t.advance(DELAYS.releaseMs);
    expect(await t.drs.status(ids)).toEqual({ [startFail]: 'RELEASE_RESOURCE_COMPLETE', [increFail]: 'RELEASE_RESOURCE_FAILED' });
    await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'force_terminate', job_id: increFail }] });
    await t.advance(DELAYS.forceReleaseMs);
    expect(await t.drs.status([increFail])).toEqual({ [increFail]: 'RELEASE_RESOURCE_COMPLETE' });
  });
});

describe('engine: request validation and paging', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('bad bodies get a whole-request 400 with a DRS error body', async () => {
    const missing = await t.drs.post('/batch-starting', {});
    expect(missing.status).toBe(400);
    expect(DrsErrorBody.parse(missing.body)).toEqual({ error_code: 'DRS.M00201', error_msg: 'The parameter jobs is empty.' });
    const invalid = await t.drs.post('/batch-pause-task', { jobs: [{ job_id: UNKNOWN, pause_mode: 'sometimes' }] });
    expect(invalid.body).toEqual({ error_code: 'DRS.M00202', error_msg: 'The value of parameter jobs.0.pause_mode is invalid.' });
    const duplicate = await t.drs.post('/batch-status', { jobs: [UNKNOWN, UNKNOWN] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error_code).toBe('DRS.M00301');
    const duplicateStart = await t.drs.post('/batch-starting', { jobs: [{ job_id: UNKNOWN }, { job_id: UNKNOWN }] });
    expect(duplicateStart.body.error_code).toBe('DRS.M00301');
    const tooMany = await t.drs.post('/batch-progress', { jobs: Array.from({ length: 101 }, (_, i) => `job-${i}`) });
    expect(tooMany.body.error_code).toBe('DRS.M00202');
    const listWithoutScenario = await t.drs.post('', { cur_page: 1, per_page: 10 });
    expect(listWithoutScenario.body).toEqual({ error_code: 'DRS.M00201', error_msg: 'The parameter db_use_type is empty.' });
  });

  it('unknown paths and methods answer like the API gateway', async () => {
    const response = await fetch(`${t.engine.url}/v3/${'p'}/jobs/batch-nothing`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error_code: string }).error_code).toBe('APIGW.0101');
    const wrongMethod = await t.drs.call('GET', '/batch-status', {});
    expect(wrongMethod.status).toBe(405);
  });

  it('batch-status pages: per_page defaults to 5, 0 = all, past the last page DRS.M00211', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => `job-${i}`);
    const firstPage = await t.drs.post('/batch-status', { jobs: ids });
    expect(firstPage.body.results).toHaveLength(5);
    expect(firstPage.body.count).toBe(7);
    const second = await t.drs.post('/batch-status', { jobs: ids, page_req: { cur_page: 2 } });
    expect(second.body.results.map((r: { id: string }) => r.id)).toEqual(['job-5', 'job-6']);
    const all = await t.drs.post('/batch-status', { jobs: ids, page_req: { per_page: 0 } });
    expect(all.body.results).toHaveLength(7);
    const beyond = await t.drs.post('/batch-status', { jobs: ids, page_req: { cur_page: 3, per_page: 5 } });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error_code).toBe('DRS.M00211');
  });

  it('list filters by name (substring), by up to 100 IDs, by engine (default mysql) and pages newest first', async () => {
    const created = await t.drs.post('/batch-creation', {
      jobs: [creationItem('orders-a'), creationItem('orders-b'), creationItem('billing-c'), creationItem('pg-d', { engine_type: 'postgresql' })],
    });
    const ids: string[] = created.body.results.map((r: { id: string }) => r.id);
    t.clock.advance(1);
    const byName = await t.drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: '', name: 'ORDERS' });
    expect(byName.body.jobs.map((j: { name: string }) => j.name).sort()).toEqual(['orders-a', 'orders-b']);
    expect(byName.body.jobs[0].create_time).toMatch(/^2024-06-01 08:00:00$/);
    const byIds = await t.drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: '', name: `${ids[0]},${ids[3]}` });
    expect(byIds.body.total_record).toBe(2);
    const defaultEngine = await t.drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration' });
    expect(defaultEngine.body.total_record).toBe(3);
    const postgres = await t.drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: 'postgresql' });
    expect(postgres.body.jobs.map((j: { name: string }) => j.name)).toEqual(['pg-d']);
    const paged = await t.drs.post('', { cur_page: 2, per_page: 3, db_use_type: 'migration', engine_type: '' });
    expect(paged.body).toMatchObject({ total_record: 4 });
    expect(paged.body.jobs).toHaveLength(1);
    const otherScenario = await t.drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'sync', engine_type: '' });
    expect(otherScenario.body.total_record).toBe(0);
  });
});

describe('engine: fault injection', () => {
  let t: TestEngine;
  let draws: number[];
  beforeEach(async () => {
    draws = [];
    t = await startTestEngine({ random: () => draws.shift() ?? 0.99 });
  });
  afterEach(async () => {
    await t.close();
  });

  it('busy per item: DRS.M01504 for the drawn items, the rest processed', async () => {
    const ids = await replicatingJobs(t, ['busy-a', 'busy-b']);
    t.engine.faults.update({ busyRate: 0.5 });
    draws = [0.9, 0.1]; // first item not busy, second busy
    const answer = await t.drs.post('/batch-pause-task', { jobs: ids.map((job_id) => ({ job_id, pause_mode: 'target' })) });
    expect(answer.status).toBe(200);
    expect(answer.body.results[0]).toEqual({ id: ids[0], status: 'success' });
    expect(answer.body.results[1]).toEqual({
      id: ids[1],
      status: 'failed',
      error_code: 'DRS.M01504',
      error_msg: 'Another operation is being performed on the migration task or the migration task is abnormal. Try again later.',
    });
    expect(await t.drs.status(ids)).toEqual({ [ids[0]!]: 'PAUSING', [ids[1]!]: 'INCRE_TRANSFER_STARTED' });
  });

  it('busy whole call, 5xx, 429 and the rate limit, configured through the admin API', async () => {
    await t.drs.admin('PUT', '/_sim/faults', { busyCallRate: 1, endpoints: ['batch-starting'] });
    const busy = await t.drs.post('/batch-starting', { jobs: [{ job_id: UNKNOWN }] });
    expect(busy.status).toBe(202);
    expect(busy.body).toMatchObject({ error_code: 'DRS.M01504' });
    expect((await t.drs.post('/batch-status', { jobs: [UNKNOWN] })).status).toBe(200); // other endpoints unaffected

    await t.drs.admin('PUT', '/_sim/faults', { busyCallRate: 0, errorRate: 1, errorStatus: 503, endpoints: null });
    const failing = await t.drs.post('/batch-status', { jobs: [UNKNOWN] });
    expect(failing.status).toBe(503);
    expect(DrsErrorBody.parse(failing.body).error_code).toBe('DRS.M01501');

    await t.drs.admin('PUT', '/_sim/faults', { errorRate: 0, tooManyRequestsRate: 1 });
    const throttled = await t.drs.post('/batch-status', { jobs: [UNKNOWN] });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');

    await t.drs.admin('DELETE', '/_sim/faults');
    t.engine.faults.update({ rateLimitPerSecond: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await t.drs.post('/batch-status', { jobs: [UNKNOWN] })).status);
    expect(statuses).toEqual([200, 200, 429]);
    t.clock.advance(1000);
    expect((await t.drs.post('/batch-status', { jobs: [UNKNOWN] })).status).toBe(200);
  });

  it('added latency holds the answer until the (manual) clock has moved on', async () => {
    t.engine.faults.update({ latencyMs: 5000, endpoints: ['batch-status'] });
    let answered = false;
    const pending = t.drs.post('/batch-status', { jobs: [UNKNOWN] }).then((answer) => {
      answered = true;
      return answer;
    });
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    t.clock.advance(5000);
    expect((await pending).status).toBe(200);
  });

  it('a dropped response still applied the change', async () => {
    t.engine.faults.update({ dropResponseRate: 1, endpoints: ['batch-creation'] });
    draws = [0.99, 0.5]; // item not busy; response dropped
    await expect(t.drs.post('/batch-creation', { jobs: [creationItem('ghost-job')] })).rejects.toThrow();
    t.engine.faults.reset();
    const listed = await t.drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', name: 'ghost-job' });
    expect(listed.body.jobs).toHaveLength(1);
  });

  it('counts requests and items by endpoint', async () => {
    t.engine.resetStats();
    await t.drs.post('/batch-status', { jobs: ['a', 'b', 'c'] });
    await t.drs.post('/batch-status', { jobs: ['d'] });
    await t.drs.post('/batch-progress', { jobs: ['a'] });
    const stats = (await t.drs.admin('GET', '/_sim/stats')).body;
    expect(stats.total).toBe(3);
    expect(stats.endpoints['batch-status']).toEqual({ requests: 2, items: 4, statuses: { '200': 2 } });
    expect(t.engine.stats().endpoints['batch-progress']).toEqual({ requests: 1, items: 1, statuses: { '200': 1 } });
  });
});
