import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchDetailResponse,
  BatchPrecheckResultResponse,
  BatchProgressResponse,
  BatchStatusResponse,
  ListJobsResponse,
} from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { connectionItems, creationItem, DELAYS, modificationItem, startTestEngine, type TestEngine } from './helpers.ts';

/** The whole DRS task lifecycle through the HTTP API, time driven by a manual clock. */
describe('engine: full lifecycle walk (simulated executor)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('create → connection → modify → select → precheck → start → full → incremental → pause → resume → terminate → delete', async () => {
    const { drs } = t;
    const created = await drs.post('/batch-creation', { jobs: [creationItem('orders-to-dr')] });
    expect(created.status).toBe(202);
    expect(created.body.count).toBe(1);
    const id: string = created.body.results[0].id;
    expect(id).toMatch(/^[0-9a-f-]{31}jb101$/);
    expect(created.body.results[0]).toMatchObject({ name: 'orders-to-dr', status: 'CREATING', create_time: String(t.clock.now()) });
    expect(await drs.status([id])).toEqual({ [id]: 'CREATING' });

    await t.advance(DELAYS.createMs);
    expect(await drs.status([id])).toEqual({ [id]: 'CONFIGURATION' });

    const connection = await drs.post('/batch-connection', { jobs: connectionItems(id) });
    expect(connection.status).toBe(200);
    expect(connection.body).toEqual({
      results: [
        { id, status: 'success', success: true },
        { id, status: 'success', success: true },
      ],
      count: 2,
    });

    const modified = await drs.put('/batch-modification', { jobs: [modificationItem(id, 'orders-to-dr')] });
    expect(modified.status).toBe(200);
    expect(modified.body).toEqual({ results: [{ id, status: 'success' }], count: 1 });

    const selected = await drs.put('/batch-select-objects', {
      jobs: [
        {
          job_id: id,
          selected: true,
          job: [
            { id: 'orders', parent_id: null, object_name: 'orders', object_type: 'database', select: 'partial', object_alias_name: null },
            { id: 'orders-*-*-order_items', parent_id: 'orders', object_name: 'order_items', object_type: 'table', select: 'true', object_alias_name: null },
          ],
        },
      ],
    });
    expect(selected.status).toBe(202);
    expect(selected.body).toEqual({ all_counts: 1, results: [{ job_id: id, status: true }] });

    const limited = await drs.put('/batch-limit-speed', { speed_limits: [{ job_id: id, speed_limit: [{ begin: '16:00', end: '23:59', speed: '50' }] }] });
    expect(limited.body).toEqual({ results: [{ id, status: 'success' }], count: 1 });

    // Start before a pre-check: refused.
    const early = await drs.post('/batch-starting', { jobs: [{ job_id: id }] });
    expect(early.body.results[0]).toMatchObject({ id, status: 'failed', error_code: 'DRS.M00304' });

    const precheck = await drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forStartJob' }] });
    expect(precheck.status).toBe(200);
    expect(precheck.body).toEqual({ results: [{ id, status: 'success', precheck_id: id }], count: 1 });

    await t.advance(DELAYS.precheckMs / 2);
    const halfway = await drs.post('/batch-precheck-result', { jobs: [id] });
    expect(BatchPrecheckResultResponse.parse(halfway.body).results[0]).toMatchObject({ precheck_id: id, result: false, process: '50%', precheck_result: [] });
    // While the pre-check runs the task is busy for starting.
    expect((await drs.post('/batch-starting', { jobs: [{ job_id: id }] })).body.results[0].error_code).toBe('DRS.M01504');

    await t.advance(DELAYS.precheckMs / 2);
    const done = await drs.post('/batch-precheck-result', { jobs: [id] });
    const result = BatchPrecheckResultResponse.parse(done.body).results[0]!;
    expect(result).toMatchObject({ precheck_id: id, result: true, process: '100%', total_passed_rate: '100%', job_direction: 'up' });
    expect(result.precheck_result!.length).toBeGreaterThan(20);
    expect(result.precheck_result).toContainEqual({ item: 'srcBinlogFormatCheck', result: 'PASSED', group: 'db_params' });

    const started = await drs.post('/batch-starting', { jobs: [{ job_id: id, start_time: '' }] });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ count: 1, results: [{ id, status: 'success' }] });
    expect(await drs.status([id])).toEqual({ [id]: 'STARTJOBING' });

    await t.advance(DELAYS.startMs);
    expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_STARTED' });
    await t.advance(DELAYS.fullTransferMs * 0.5);
    const midway = BatchProgressResponse.parse((await drs.post('/batch-progress', { jobs: [id] })).body).results[0]!;
    expect(midway).toMatchObject({ job_id: id, progress: '50', incre_trans_delay: '-1', task_mode: 'FULL_INCR_TRANS', transfer_status: 'FULL_TRANSFER_STARTED' });
    expect(midway.progress_map).toEqual({
      struct: { completed: '100%', remaining_time: null },
      data: { completed: '42%', remaining_time: null },
      index: { completed: '0%', remaining_time: null },
    });

    await t.advance(DELAYS.fullTransferMs * 0.5);
    expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_COMPLETE' });
    await t.advance(DELAYS.fullToIncrementalMs);
    expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });
    const incremental = BatchProgressResponse.parse((await drs.post('/batch-progress', { jobs: [id] })).body).results[0]!;
    expect(incremental).toMatchObject({ progress: '100', incre_trans_delay: '0', incre_trans_delay_millis: '0', remaining_time: '0' });

    await drs.admin('POST', `/_sim/jobs/${id}/lag`, { seconds: 7 });
    const lagging = BatchProgressResponse.parse((await drs.post('/batch-progress', { jobs: [id] })).body).results[0]!;
    expect(lagging).toMatchObject({ incre_trans_delay: '7', incre_trans_delay_millis: '7000' });

    const detail = BatchDetailResponse.parse((await drs.post('/batch-detail', { jobs: [id], page_req: { cur_page: 1, per_page: 10 } })).body);
    expect(detail.results[0]).toMatchObject({
      id,
      name: 'orders-to-dr',
      status: 'INCRE_TRANSFER_STARTED',
      task_type: 'FULL_INCR_TRANS',
      db_use_type: 'migration',
      object_switch: true,
      speed_limit: [{ begin: '16:00', end: '23:59', speed: '50' }],
      source_endpoint: { ip: '192.168.0.27', db_port: 3306, db_user: 'root', db_type: 'mysql' },
    });
    expect(detail.results[0]!.actual_start_time).toBe(String(Date.UTC(2024, 5, 1, 8, 0, 0) + DELAYS.createMs + DELAYS.precheckMs + DELAYS.startMs));
    expect(JSON.stringify(detail)).not.toContain('src-pass');
    expect(JSON.stringify(detail)).not.toContain('dst-pass');

    // Rotate a password while replicating.
    const pwd = await drs.put('/batch-modify-pwd', {
      jobs: [
        { db_password: 'new-src', end_point_type: 'so', job_id: id },
        { db_password: 'new-dst', end_point_type: 'ta', job_id: id },
      ],
    });
    expect(pwd.body).toEqual({
      results: [
        { id, status: 'success', end_point_type: 'so' },
        { id, status: 'success', end_point_type: 'ta' },
      ],
      count: 2,
    });

    // Pause: PAUSING while in progress (current_action STOP_JOB), still PAUSING once paused.
    const paused = await drs.post('/batch-pause-task', { jobs: [{ job_id: id, pause_mode: 'target' }] });
    expect(paused.body).toEqual({ results: [{ id, status: 'success' }], count: 1 });
    expect(await drs.status([id])).toEqual({ [id]: 'PAUSING' });
    const listedPausing = ListJobsResponse.parse((await drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: '' })).body);
    expect(listedPausing.jobs[0]!.job_action!.current_action).toBe('STOP_JOB');
    expect((await drs.post('/batch-retry-task', { jobs: [{ job_id: id }] })).body.results[0].error_code).toBe('DRS.M01504');

    await t.advance(DELAYS.pauseMs);
    expect(await drs.status([id])).toEqual({ [id]: 'PAUSING' });
    const listedPaused = ListJobsResponse.parse((await drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: '' })).body);
    expect(listedPaused.jobs[0]!.job_action!.current_action).toBeUndefined();
    expect(listedPaused.jobs[0]!.job_action!.available_actions).toContain('RETRY');

    const resumed = await drs.post('/batch-retry-task', { jobs: [{ job_id: id, is_sync_re_edit: true }] });
    expect(resumed.body).toEqual({ results: [{ id, status: 'success' }], count: 1 });
    expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });

    // Delete before stopping: refused. Terminate, then delete.
    const tooEarly = await drs.delete('/batch-jobs', { jobs: [{ delete_type: 'delete', job_id: id }] });
    expect(tooEarly.status).toBe(202);
    expect(tooEarly.body.results[0]).toMatchObject({ id, status: 'failed', error_code: 'DRS.M00304' });

    const terminated = await drs.delete('/batch-jobs', { jobs: [{ delete_type: 'terminate', job_id: id }] });
    expect(terminated.status).toBe(202);
    expect(terminated.body).toEqual({ count: 1, results: [{ id, status: 'success' }] });
    expect(await drs.status([id])).toEqual({ [id]: 'RELEASE_RESOURCE_STARTED' });
    await t.advance(DELAYS.releaseMs);
    expect(await drs.status([id])).toEqual({ [id]: 'RELEASE_RESOURCE_COMPLETE' });
    expect((await drs.delete('/batch-jobs', { jobs: [{ delete_type: 'terminate', job_id: id }] })).body.results[0].error_code).toBe('DRS.M05004');

    const deleted = await drs.delete('/batch-jobs', { jobs: [{ delete_type: 'delete', job_id: id }] });
    expect(deleted.body).toEqual({ count: 1, results: [{ id, status: 'success' }] });
    expect(BatchStatusResponse.parse((await drs.post('/batch-status', { jobs: [id] })).body).results[0]).toEqual({ id, status: 'DELETED' });

    const goneDetail = await drs.post('/batch-detail', { jobs: [id] });
    expect(goneDetail.status).toBe(400);
    expect(goneDetail.body.results[0]).toMatchObject({ id, error_code: 'DRS.M05004' });
    const unknown = '11111111-2222-4333-8444-55555555jb101';
    const missingDetail = await drs.post('/batch-detail', { jobs: [unknown] });
    expect(missingDetail.status).toBe(400);
    expect(missingDetail.body.results[0]).toMatchObject({ id: unknown, error_code: 'DRS.M00289', error_message: `Missing query result: ${unknown}` });

    // Gone from the default list; visible with status DELETED.
    const listed = await drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: '' });
    expect(listed.body).toEqual({ total_record: 0, jobs: [] });
    const listedDeleted = await drs.post('', { cur_page: 1, per_page: 10, db_use_type: 'migration', engine_type: '', status: 'DELETED' });
    expect(listedDeleted.body.total_record).toBe(1);
  });

  it('FULL_TRANS stops at FULL_TRANSFER_COMPLETE; INCR_TRANS goes straight to incremental and refuses flow control', async () => {
    const { drs } = t;
    const created = await drs.post('/batch-creation', {
      jobs: [creationItem('full-only', { task_type: 'FULL_TRANS' }), creationItem('incr-only', { task_type: 'INCR_TRANS' })],
    });
    const [full, incr] = created.body.results.map((r: { id: string }) => r.id) as [string, string];
    await t.advance(DELAYS.createMs);
    await drs.post('/batch-connection', { jobs: [...connectionItems(full), ...connectionItems(incr)] });
    await drs.put('/batch-modification', { jobs: [modificationItem(full, 'full-only'), modificationItem(incr, 'incr-only')] });
    const limit = await drs.put('/batch-limit-speed', {
      speed_limits: [
        { job_id: full, speed_limit: [{ begin: '16:00', end: '15:59', speed: '15' }] },
        { job_id: incr, speed_limit: [{ begin: '16:00', end: '15:59', speed: '15' }] },
      ],
    });
    expect(limit.body.results).toEqual([
      { id: full, status: 'success' },
      { id: incr, status: 'failed', error_code: 'DRS.M00403', error_msg: expect.stringContaining('does not support flow control') },
    ]);
    await drs.post('/batch-precheck', { jobs: [full, incr].map((job_id) => ({ job_id, precheck_mode: 'forStartJob' })) });
    await t.advance(DELAYS.precheckMs);
    await drs.post('/batch-starting', { jobs: [{ job_id: full }, { job_id: incr }] });
    await t.advance(DELAYS.startMs);
    expect(await drs.status([full, incr])).toEqual({ [full]: 'FULL_TRANSFER_STARTED', [incr]: 'INCRE_TRANSFER_STARTED' });
    await t.advance(DELAYS.fullTransferMs + DELAYS.fullToIncrementalMs * 5);
    expect(await drs.status([full, incr])).toEqual({ [full]: 'FULL_TRANSFER_COMPLETE', [incr]: 'INCRE_TRANSFER_STARTED' });
    const progress = (await drs.post('/batch-progress', { jobs: [full, incr] })).body.results;
    expect(progress[0]).toMatchObject({ progress: '100', incre_trans_delay: '-1', transfer_status: 'FULL_TRANSFER_COMPLETE' });
    expect(progress[1]).toMatchObject({ progress: '100', incre_trans_delay: '0', task_mode: 'INCR_TRANS' });
    expect(progress[1].progress_map).toBeUndefined();
  });

  it('a scheduled start waits in WAITING_FOR_START until start_time', async () => {
    const { drs } = t;
    const created = await drs.post('/batch-creation', { jobs: [creationItem('later-job')] });
    const id: string = created.body.results[0].id;
    await t.advance(DELAYS.createMs);
    await drs.post('/batch-connection', { jobs: connectionItems(id) });
    await drs.put('/batch-modification', { jobs: [modificationItem(id, 'later-job')] });
    await drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forStartJob' }] });
    await t.advance(DELAYS.precheckMs);
    const startAt = t.clock.now() + 60_000;
    await drs.post('/batch-starting', { jobs: [{ job_id: id, start_time: String(startAt) }] });
    await t.advance(DELAYS.startMs);
    expect(await drs.status([id])).toEqual({ [id]: 'WAITING_FOR_START' });
    await t.advance(60_000 - DELAYS.startMs);
    expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_STARTED' });
  });

  it('a failed task is retried back into its transfer phase; progress froze while it was failed', async () => {
    const { drs } = t;
    const created = await drs.post('/batch-creation', { jobs: [creationItem('failing-job')] });
    const id: string = created.body.results[0].id;
    await t.advance(DELAYS.createMs);
    await drs.post('/batch-connection', { jobs: connectionItems(id) });
    await drs.put('/batch-modification', { jobs: [modificationItem(id, 'failing-job')] });
    await drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forStartJob' }] });
    await t.advance(DELAYS.precheckMs);
    await drs.post('/batch-starting', { jobs: [{ job_id: id }] });
    await t.advance(DELAYS.startMs + DELAYS.fullTransferMs * 0.3);

    const failed = await drs.admin('POST', `/_sim/jobs/${id}/fail`, { error_code: 'DRS.M01501', error_msg: 'service LOGMANAGER failed' });
    expect(failed.status).toBe(200);
    expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_FAILED' });
    const detail = (await drs.post('/batch-detail', { jobs: [id], page_req: { per_page: 0 } })).body.results[0];
    expect(detail).toMatchObject({ status: 'FULL_TRANSFER_FAILED', error_code: 'DRS.M01501', error_message: 'service LOGMANAGER failed' });
    const listed = (await drs.post('', { cur_page: 0, per_page: 0, db_use_type: 'migration' })).body.jobs[0];
    expect(listed).toMatchObject({ id, status: 'FULL_TRANSFER_FAILED', error_msg: 'service LOGMANAGER failed' });

    await t.advance(DELAYS.fullTransferMs); // nothing moves while failed
    expect((await drs.post('/batch-progress', { jobs: [id] })).body.results[0].progress).toBe('30');
    expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_FAILED' });

    const retryCheck = await drs.post('/batch-precheck', { jobs: [{ job_id: id, precheck_mode: 'forRetryJob' }] });
    expect(retryCheck.body.results[0].status).toBe('success');
    await t.advance(DELAYS.precheckMs);
    const retried = await drs.post('/batch-retry-task', { jobs: [{ job_id: id, is_sync_re_edit: true }] });
    expect(retried.body.results[0]).toEqual({ id, status: 'success' });
    expect(await drs.status([id])).toEqual({ [id]: 'FULL_TRANSFER_STARTED' });
    await t.advance(DELAYS.fullTransferMs * 0.7 + DELAYS.fullToIncrementalMs);
    expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });

    const incFail = await drs.admin('POST', `/_sim/jobs/${id}/fail`, {});
    expect(incFail.status).toBe(200);
    expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_FAILED' });
    await drs.post('/batch-retry-task', { jobs: [{ job_id: id }] });
    expect(await drs.status([id])).toEqual({ [id]: 'INCRE_TRANSFER_STARTED' });
  });
});
