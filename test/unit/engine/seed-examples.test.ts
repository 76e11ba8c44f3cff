import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchConnectionResponse,
  BatchCreationResponse,
  BatchDetailResponse,
  BatchJobsDeleteResponse,
  BatchLimitSpeedResponse,
  BatchModificationResponse,
  BatchModifyPwdResponse,
  BatchPauseTaskResponse,
  BatchPrecheckResponse,
  BatchPrecheckResultResponse,
  BatchProgressResponse,
  BatchRetryTaskResponse,
  BatchSelectObjectsResponse,
  BatchStartingResponse,
  BatchStatusResponse,
  BatchSyncPolicyResponse,
  ListJobsResponse,
} from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { DELAYS, startTestEngine, type TestEngine } from './helpers.ts';

/**
 * The seed's own example requests (huawei-drs-v3-openapi-reference.md, section 4.1), sent as
 * printed (only task IDs substituted where the example names a task of another scenario), and
 * the answers checked against the example responses' shapes and the shared response schemas.
 */
const MYSQL_ID = '140b5236-88ad-43c8-811c-1268453jb101';
const DR_ID = '8d0e8e36-a618-490d-8a46-8c61ac9jb502';
const SYNC_ID = '19557d51-1ee6-4507-97a6-8f69164jb201';

/** Every key of `example` is in `actual`, with the same JSON type, recursively (arrays: first element). */
function expectSameShape(actual: unknown, example: unknown, path = '$'): void {
  if (example === null) return;
  if (Array.isArray(example)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    if (example.length > 0 && (actual as unknown[]).length > 0) expectSameShape((actual as unknown[])[0], example[0], `${path}[0]`);
    return;
  }
  if (typeof example === 'object') {
    expect(typeof actual, `${path} is an object`).toBe('object');
    for (const [key, value] of Object.entries(example as Record<string, unknown>)) {
      expect(actual as Record<string, unknown>, `${path} has ${key}`).toHaveProperty([key]);
      expectSameShape((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
    return;
  }
  expect(typeof actual, `${path} type`).toBe(typeof example);
}

describe('engine: the seed examples, request by request', () => {
  let t: TestEngine;
  const uuids = ['140b5236-88ad-43c8-811c-1268453ab000', '8d0e8e36-a618-490d-8a46-8c61ac9ab000', '19557d51-1ee6-4507-97a6-8f69164ab000'];
  beforeAll(async () => {
    let n = 0;
    t = await startTestEngine({ randomUUID: () => uuids[n++] ?? `ffffffff-0000-4000-8000-${String(n).padStart(12, '0')}` });
  });
  afterAll(async () => {
    await t.close();
  });

  it('4.1.1 batch-creation: migration, DR and sync examples → 202 like the example response', async () => {
    const answer = await t.drs.post('/batch-creation', {
      jobs: [
        {
          name: 'DRS-9228',
          node_type: 'high',
          engine_type: 'mysql',
          net_type: 'eip',
          job_direction: 'up',
          db_use_type: 'migration',
          task_type: 'FULL_INCR_TRANS',
          customize_sutnet_id: '352ad828-3467-4f03-987a-c55a5a9dd417',
          source_endpoint: { db_type: 'mysql' },
          target_endpoint: { region: 'region-1', db_type: 'mysql', inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01' },
          is_target_READONLY: false,
          bind_eip: true,
        },
        {
          name: 'DRS-api-test',
          engine_type: 'cloudDataGuard-mysql',
          net_type: 'eip',
          node_type: 'high',
          job_direction: 'up',
          source_endpoint: { db_type: 'mysql' },
          target_endpoint: { region: 'region-1', db_type: 'mysql', inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01', project_id: '054ba152d480d55b2f5dc0069e7ddef0' },
          is_target_READONLY: true,
          bind_eip: true,
          db_use_type: 'cloudDataGuard',
          task_type: 'FULL_INCR_TRANS',
          customize_sutnet_id: '352ad828-3467-4f03-987a-c55a5a9dd417',
          multi_write: false,
        },
        {
          name: 'DRS-3371-sync',
          node_type: 'high',
          engine_type: 'mysql',
          net_type: 'eip',
          job_direction: 'up',
          db_use_type: 'sync',
          task_type: 'FULL_INCR_TRANS',
          customize_sutnet_id: 'faf513f3-7a88-4a5c-bec7-238699c29c17',
          source_endpoint: { db_type: 'mysql' },
          target_endpoint: { region: 'region-1', db_type: 'mysql', inst_id: '3cadd5a0ef724f55ac7fa5bcb5f4fc5fin02' },
          bind_eip: true,
        },
      ],
    });
    expect(answer.status).toBe(202);
    BatchCreationResponse.parse(answer.body);
    expectSameShape(answer.body, { results: [{ id: 'e11eaf8f-71ef-4fad-8890-aed7572ajb11', name: 'DRS-9228', status: 'CREATING', create_time: '1599188556112' }], count: 1 });
    expect(answer.body.results.map((r: { id: string }) => r.id)).toEqual([MYSQL_ID, DR_ID, SYNC_ID]);
    await t.advance(DELAYS.createMs);
  });

  it('4.1.2 batch-connection: RDS target and self-built source examples → 200 like the example', async () => {
    const answer = await t.drs.post('/batch-connection', {
      jobs: [
        {
          id: MYSQL_ID,
          ip: '192.168.0.131',
          net_type: 'eip',
          db_type: 'mysql',
          db_port: 3306,
          db_user: 'root',
          db_password: '*****',
          inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01',
          project_id: '054ba152d480d55b2f5dc0069e7ddef0',
          region: 'region-1',
          end_point_type: 'ta',
        },
        { id: MYSQL_ID, ip: '192.168.0.27', net_type: 'eip', db_type: 'mysql', db_port: 3306, db_user: 'root', db_password: '*****', ssl_link: false, end_point_type: 'so' },
        ...[DR_ID, SYNC_ID].flatMap((id) => [
          { id, ip: '192.168.0.27', net_type: 'eip', db_type: 'mysql', db_port: 3306, db_user: 'root', db_password: '*****', end_point_type: 'so' },
          { id, ip: '192.168.0.131', net_type: 'eip', db_type: 'mysql', db_port: 3306, db_user: 'root', db_password: '*****', end_point_type: 'ta' },
        ]),
      ],
    });
    expect(answer.status).toBe(200);
    BatchConnectionResponse.parse(answer.body);
    expect(answer.body.results[0]).toEqual({ success: true, id: MYSQL_ID, status: 'success' });
    expect(answer.body.count).toBe(6);
  });

  it('4.1.4 batch-modification: "after the MySQL connection test" and "changing task names" examples', async () => {
    const endpoints = {
      source_endpoint: { ip: '192.168.0.27', db_port: '3306', db_user: 'root', db_password: '*****', ssl_link: false, db_type: 'mysql', project_id: '054ba152d480d55b2f5dc0069e7ddef0' },
      target_endpoint: { region: 'region-1', db_type: 'mysql', db_user: 'root', db_password: '*****', project_id: '054ba152d480d55b2f5dc0069e7ddef0', inst_id: '3def1ac7f8ab4ae48d7c025339f80414in01' },
      node_type: 'high',
      store_db_info: true,
      net_type: 'eip',
      job_direction: 'up',
      replace_definer: true,
    };
    const answer = await t.drs.put('/batch-modification', {
      jobs: [
        { job_id: MYSQL_ID, name: 'DRS-5646-linxiaolu', engine_type: 'mysql', ...endpoints },
        { job_id: DR_ID, name: 'DRS-api-test', engine_type: 'cloudDataGuard-mysql', ...endpoints },
        { job_id: SYNC_ID, name: 'DRS-3371-sync', engine_type: 'mysql', ...endpoints },
      ],
    });
    expect(answer.status).toBe(200);
    BatchModificationResponse.parse(answer.body);
    expectSameShape(answer.body, { results: [{ id: 'efa2bd29-8780-494f-a2ee-188b003ejb11', status: 'success' }], count: 1 });
    expect(answer.body.results.map((r: { status: string }) => r.status)).toEqual(['success', 'success', 'success']);
    const rename = await t.drs.put('/batch-modification', { jobs: [{ job_id: MYSQL_ID, name: 'testName', description: 'test description' }] });
    expect(rename.body).toEqual({ results: [{ id: MYSQL_ID, status: 'success' }], count: 1 });
    const alarm = await t.drs.put('/batch-modification', {
      jobs: [
        {
          job_id: DR_ID,
          alarm_notify: {
            delay_time: 0,
            rto_delay: 0,
            rpo_delay: 0,
            alarm_to_user: false,
            subscriptions: [
              { protocol: 'sms', endpoints: ['150*****'] },
              { protocol: 'email', endpoints: ['abc@123.com'] },
            ],
          },
        },
      ],
    });
    expect(alarm.body.results[0].status).toBe('success');
  });

  it('4.1.5 batch-select-objects: partial selection example → 202 like the example', async () => {
    const answer = await t.drs.put('/batch-select-objects', {
      jobs: [
        {
          job: [
            { id: 'fastunit', parent_id: null, object_name: 'fastunit', object_type: 'database', select: 'partial', object_alias_name: null },
            { id: 'fastunit-*-*-coll', parent_id: 'fastunit', object_name: 'coll', object_type: 'table', select: 'true', object_alias_name: null },
            { id: 'ycy1', parent_id: null, object_name: 'ycy1', object_type: 'database', select: 'partial', object_alias_name: null },
            { id: 'ycy1-*-*-coll', parent_id: 'ycy1', object_name: 'coll', object_type: 'table', select: 'true', object_alias_name: null },
            { id: 'ycy1-*-*-collcount', parent_id: 'ycy1', object_name: 'collcount', object_type: 'table', select: 'true', object_alias_name: null },
          ],
          job_id: MYSQL_ID,
          selected: true,
        },
        { job: [], job_id: SYNC_ID, selected: false },
      ],
    });
    expect(answer.status).toBe(202);
    BatchSelectObjectsResponse.parse(answer.body);
    expectSameShape(answer.body, { all_counts: 1, results: [{ job_id: '4d700f6f-9a17-47e0-a7d6-1bc2155jb101', status: true }] });
    expect(answer.body.results).toEqual([
      { job_id: MYSQL_ID, status: true },
      { job_id: SYNC_ID, status: true },
    ]);
  });

  it('4.3.2 batch-sync-policy and 4.1.8 batch-limit-speed examples', async () => {
    const policy = await t.drs.post('/batch-sync-policy', {
      jobs: [
        {
          conflict_policy: 'ignore',
          ddl_trans: true,
          filter_ddl_policy: 'drop_database',
          index_trans: true,
          job_id: SYNC_ID,
          file_and_position: 'mysql-bin.000019:197',
          gtid_set: 'e4979f26-4bc3-11ee-b279-fa163ef21d64:1-23',
        },
      ],
    });
    expect(policy.status).toBe(200);
    BatchSyncPolicyResponse.parse(policy.body);
    expect(policy.body).toEqual({ results: [{ id: SYNC_ID, status: 'success' }], count: 1 });

    const limit = await t.drs.put('/batch-limit-speed', { speed_limits: [{ job_id: DR_ID, speed_limit: [{ begin: '16:00', end: '15:59', speed: '15' }] }] });
    expect(limit.status).toBe(200);
    BatchLimitSpeedResponse.parse(limit.body);
    expect(limit.body).toEqual({ results: [{ id: DR_ID, status: 'success' }], count: 1 });
  });

  it('4.1.6 batch-precheck and 4.1.7 batch-precheck-result examples', async () => {
    const answer = await t.drs.post('/batch-precheck', { jobs: [MYSQL_ID, DR_ID, SYNC_ID].map((job_id) => ({ job_id, precheck_mode: 'forStartJob' })) });
    expect(answer.status).toBe(200);
    BatchPrecheckResponse.parse(answer.body);
    expect(answer.body.results[0]).toEqual({ id: MYSQL_ID, status: 'success', precheck_id: MYSQL_ID });
    await t.advance(DELAYS.precheckMs);
    const result = await t.drs.post('/batch-precheck-result', { jobs: [MYSQL_ID] });
    expect(result.status).toBe(200);
    BatchPrecheckResultResponse.parse(result.body);
    expectSameShape(result.body, {
      count: 1,
      results: [
        {
          result: true,
          process: '100%',
          precheck_id: MYSQL_ID,
          total_passed_rate: '100%',
          rds_instance_id: 'e05a3679efe241d8b5dee80b17c1a863in01',
          job_direction: 'up',
          precheck_result: [{ item: 'dstDbDiskSize', result: 'PASSED', group: 'db_disk_size' }],
        },
      ],
    });
    expect(result.body.results[0].rds_instance_id).toBe('3def1ac7f8ab4ae48d7c025339f80414in01');
  });

  it('4.1.11 batch-starting example → 202 like the example', async () => {
    const answer = await t.drs.post('/batch-starting', { jobs: [{ job_id: MYSQL_ID }, { job_id: DR_ID }, { job_id: SYNC_ID }] });
    expect(answer.status).toBe(202);
    BatchStartingResponse.parse(answer.body);
    expectSameShape(answer.body, { count: 1, results: [{ id: MYSQL_ID, status: 'success' }] });
    expect(answer.body.results.map((r: { status: string }) => r.status)).toEqual(['success', 'success', 'success']);
    await t.advance(DELAYS.startMs + DELAYS.fullTransferMs + DELAYS.fullToIncrementalMs);
  });

  it('4.1.19 batch-progress, 4.1.22 batch-status and 4.1.21 batch-detail examples', async () => {
    const progress = await t.drs.post('/batch-progress', { jobs: [DR_ID] });
    expect(progress.status).toBe(200);
    BatchProgressResponse.parse(progress.body);
    expectSameShape(progress.body, {
      count: 1,
      results: [
        {
          progress: '100',
          job_id: DR_ID,
          incre_trans_delay: '0',
          task_mode: 'FULL_INCR_TRANS',
          transfer_status: 'INCRE_TRANSFER_STARTED',
          process_time: '1608274919000',
          remaining_time: '0',
        },
      ],
    });
    expect(progress.body.results[0]).toMatchObject({ progress: '100', transfer_status: 'INCRE_TRANSFER_STARTED', task_mode: 'FULL_INCR_TRANS' });

    const status = await t.drs.post('/batch-status', { jobs: [MYSQL_ID, DR_ID], page_req: { cur_page: 1, per_page: 10 } });
    expect(status.status).toBe(200);
    BatchStatusResponse.parse(status.body);
    expect(status.body).toEqual({
      results: [
        { id: MYSQL_ID, status: 'INCRE_TRANSFER_STARTED' },
        { id: DR_ID, status: 'INCRE_TRANSFER_STARTED' },
      ],
      count: 2,
    });

    const detail = await t.drs.post('/batch-detail', { jobs: [MYSQL_ID, DR_ID], page_req: { cur_page: 1, per_page: 10 } });
    expect(detail.status).toBe(200);
    BatchDetailResponse.parse(detail.body);
    expectSameShape(detail.body.results[0], {
      id: MYSQL_ID,
      name: 'testName',
      status: 'INCRE_TRANSFER_STARTED',
      description: '',
      create_time: '1608519469412',
      task_type: 'FULL_INCR_TRANS',
      source_endpoint: { ip: '172.22.74.56', db_type: 'mysql', db_port: 3306, ssl_link: false, project_id: 'x', db_user: 'root' },
      target_endpoint: { region: 'region-1', db_type: 'mysql', inst_id: 'x', project_id: 'x', db_user: 'root' },
      inst_info: { ip: '172.16.213.101', inst_type: 'high', engine_type: 'mysql', volume_size: 100, public_ip: '*****', start_time: '0' },
      actual_start_time: '1608520069393',
      full_transfer_complete_time: '1608369510202',
      update_time: '1608520068979',
      job_direction: 'up',
      db_use_type: 'migration',
      need_restart: false,
      speed_limit: [],
      schema_type: 'Tungsten',
      object_switch: true,
      replace_definer: true,
      migrate_user: false,
      support_ip_v6: false,
      original_job_direction: 'up',
      is_open_fast_clean: false,
      object_infos: [{ id: 'fastunit', type: 'database', name: 'fastunit', select: 'partial' }],
    });
    expect(detail.body.results[0].object_infos[1]).toEqual({ id: 'fastunit-*-*-coll', parent_id: 'fastunit', type: 'table', name: 'coll', select: 'true' });
  });

  it('4.1.20 list examples: by scenario, by instance IDs, by instance IP, by several task IDs', async () => {
    const bodies = [
      { cur_page: 1, db_use_type: 'migration', engine_type: '', name: '', net_type: '', per_page: 5, status: '' },
      { cur_page: 1, db_use_type: 'sync', engine_type: '', enterprise_project_id: '', name: '', net_type: '', per_page: 5, instance_ids: ['id1', 'id2'], status: '' },
      { cur_page: 1, db_use_type: 'sync', engine_type: '', enterprise_project_id: '', name: '', net_type: '', per_page: 5, instance_ip: '127.0.0.1', status: '' },
      { cur_page: 1, db_use_type: 'sync', engine_type: '', name: `${SYNC_ID},c2a61a77-6e55-4cd8-8be1-a562cc6jb201`, net_type: '', per_page: 100, status: '' },
    ];
    const answers = await Promise.all(bodies.map((body) => t.drs.post('', body)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      ListJobsResponse.parse(answer.body);
    }
    expect(answers.map((a) => a.body.total_record)).toEqual([1, 0, 0, 1]);
    expectSameShape(answers[0]!.body, {
      jobs: [
        {
          id: MYSQL_ID,
          name: 'testName',
          status: 'INCRE_TRANSFER_STARTED',
          description: '',
          create_time: '2020-12-21 10:57:49',
          engine_type: 'mysql',
          net_type: 'eip',
          billing_tag: false,
          job_direction: 'up',
          db_use_type: 'migration',
          task_type: 'FULL_INCR_TRANS',
          node_newFramework: false,
          job_action: { available_actions: ['CREATE'], unavailable_actions: ['START'] },
        },
      ],
      total_record: 7,
    });
  });

  it('4.1.15 batch-modify-pwd, 4.1.13 batch-pause-task and 4.1.12 batch-retry-task examples', async () => {
    const pwd = await t.drs.put('/batch-modify-pwd', {
      jobs: [
        { db_password: '*****', end_point_type: 'so', job_id: DR_ID },
        { db_password: '*****', end_point_type: 'ta', job_id: DR_ID },
      ],
    });
    expect(pwd.status).toBe(200);
    BatchModifyPwdResponse.parse(pwd.body);
    expect(pwd.body).toEqual({
      results: [
        { id: DR_ID, status: 'success', end_point_type: 'so' },
        { id: DR_ID, status: 'success', end_point_type: 'ta' },
      ],
      count: 2,
    });
    const pause = await t.drs.post('/batch-pause-task', { jobs: [{ job_id: DR_ID, pause_mode: 'target' }] });
    expect(pause.status).toBe(200);
    BatchPauseTaskResponse.parse(pause.body);
    expect(pause.body).toEqual({ results: [{ id: DR_ID, status: 'success' }], count: 1 });
    await t.advance(DELAYS.pauseMs);
    const retry = await t.drs.post('/batch-retry-task', { jobs: [{ job_id: DR_ID }] });
    expect(retry.status).toBe(200);
    BatchRetryTaskResponse.parse(retry.body);
    expect(retry.body).toEqual({ results: [{ id: DR_ID, status: 'success' }], count: 1 });
  });

  it('4.1.14 batch-jobs examples: stop two tasks (one busy, like the example), then delete one', async () => {
    // The example answers the second stop with DRS.M01504: here the second task is mid-pause.
    await t.drs.post('/batch-pause-task', { jobs: [{ job_id: SYNC_ID, pause_mode: 'all' }] });
    const stop = await t.drs.delete('/batch-jobs', {
      jobs: [
        { delete_type: 'terminate', job_id: MYSQL_ID },
        { delete_type: 'terminate', job_id: SYNC_ID },
      ],
    });
    expect(stop.status).toBe(202);
    BatchJobsDeleteResponse.parse(stop.body);
    expect(stop.body).toEqual({
      count: 2,
      results: [
        { id: MYSQL_ID, status: 'success' },
        {
          id: SYNC_ID,
          status: 'failed',
          error_code: 'DRS.M01504',
          error_msg: 'Another operation is being performed on the migration task or the migration task is abnormal. Try again later.',
        },
      ],
    });
    await t.advance(DELAYS.releaseMs);
    const withBreakpoint = await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'terminate', job_id: SYNC_ID, is_show_breakpoint_position: true }] });
    expect(withBreakpoint.body.results[0].status).toBe('success');
    const deleted = await t.drs.delete('/batch-jobs', { jobs: [{ delete_type: 'delete', job_id: MYSQL_ID }] });
    expect(deleted.status).toBe(202);
    expect(deleted.body).toEqual({ count: 1, results: [{ id: MYSQL_ID, status: 'success' }] });
  });
});
