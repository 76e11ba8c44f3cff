import { describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { toObservation, toPrecheck, toProgress } from '../../../../controller/src/providers/huawei-drs/observation-mapping.ts';
import { HUAWEI_DRS_PROFILE, LOCAL_ENGINE_PROFILE } from '../../../../controller/src/providers/huawei-drs/profile.ts';
import { BatchCreationRequest, BatchModificationRequest, BatchConnectionRequest, BatchSelectObjectsRequest } from '../../../../controller/src/providers/huawei-drs/schemas.ts';
import * as map from '../../../../controller/src/providers/huawei-drs/spec-mapping.ts';
import type { JobContext } from '../../../../controller/src/reconcile/provider.ts';

const SOURCE_PW = 'src-Pa55word';
const TARGET_PW = 'dst-Pa55word';

const spec = ReplicationJobSpec.parse({
  providerRef: { kind: 'ProviderConfig', name: 'huawei-prod' },
  type: 'sync',
  engine: 'mysql',
  direction: 'up',
  mode: 'fullAndIncremental',
  nodeType: 'high',
  network: { type: 'eip', subnetId: 'subnet-1' },
  source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: 'orders-db', key: 'password' } },
  target: { instanceId: 'e05a3679efe241d8b5dee80b17c1a863in01', region: 'ap-southeast-1', user: 'root', passwordSecretRef: { name: 'dr-db', key: 'password' } },
  objects: { databases: [{ name: 'orders', tables: ['orders', 'order_items'], tableAliases: { orders: 'orders_v2' } }] },
  syncPolicy: { conflict: 'overwrite', ddl: true },
  speedLimits: [{ begin: '16:00', end: '23:59', speedMBps: 50 }],
  tags: { team: 'payments' },
});

const job: JobContext = {
  key: 'orders/orders-to-dr',
  jobName: 'rj-0f6c1e8a-5b1d-4d8e-9a53-2c7f0b9d4e11',
  jobId: 'job-1',
  uid: '0f6c1e8a-5b1d-4d8e-9a53-2c7f0b9d4e11',
  spec,
  secrets: { get: () => '', sourcePassword: SOURCE_PW, targetPassword: TARGET_PW },
};

describe('spec → DRS requests', () => {
  it('builds a batch-creation item the seed schema accepts', () => {
    const item = map.createItem(job, HUAWEI_DRS_PROFILE);
    expect(BatchCreationRequest.safeParse({ jobs: [item] }).success).toBe(true);
    expect(item).toMatchObject({
      name: job.jobName,
      db_use_type: 'sync',
      engine_type: 'mysql',
      job_direction: 'up',
      net_type: 'eip',
      bind_eip: true,
      customize_sutnet_id: 'subnet-1',
      node_type: 'high',
      task_type: 'FULL_INCR_TRANS',
      tags: [{ key: 'team', value: 'payments' }],
      description: 'Managed by drs-operator: ReplicationJob orders/orders-to-dr',
      source_endpoint: { db_type: 'mysql', ip: '203.0.113.10', db_port: 3306, db_user: 'repl', db_password: SOURCE_PW },
      target_endpoint: { db_type: 'mysql', inst_id: 'e05a3679efe241d8b5dee80b17c1a863in01', region: 'ap-southeast-1', db_password: TARGET_PW },
    });
  });

  it('maps disasterRecovery MySQL to the cloudDataGuard engine', () => {
    expect(map.engineType({ ...spec, type: 'disasterRecovery' })).toBe('cloudDataGuard-mysql');
  });

  it('tests the connection of a self-built endpoint and leaves cloud instances to the pre-check', () => {
    const items = map.connectionItems('job-1', job, HUAWEI_DRS_PROFILE);
    expect(BatchConnectionRequest.safeParse({ jobs: items }).success).toBe(true);
    expect(items.map((i) => i.end_point_type)).toEqual(['so']);
    expect(items[0]).toMatchObject({ id: 'job-1', ip: '203.0.113.10', db_port: 3306, db_password: SOURCE_PW, net_type: 'eip' });
  });

  it('sends the full job after the connection test, with store_db_info and both passwords', () => {
    const item = map.fullModifyItem('job-1', job, HUAWEI_DRS_PROFILE);
    expect(BatchModificationRequest.safeParse({ jobs: [item] }).success).toBe(true);
    expect(item).toMatchObject({ job_id: 'job-1', store_db_info: true, is_recreate: false, replace_definer: false, engine_type: 'mysql', job_direction: 'up' });
    expect(item.source_endpoint?.db_password).toBe(SOURCE_PW);
    expect(item.target_endpoint?.db_password).toBe(TARGET_PW);
  });

  it('selects databases and tables with aliases in the seed format', () => {
    const item = map.selectObjectsItem('job-1', spec);
    expect(BatchSelectObjectsRequest.safeParse({ jobs: [item] }).success).toBe(true);
    expect(item.selected).toBe(true);
    expect(item.job).toEqual([
      { id: 'orders', parent_id: null, object_name: 'orders', object_type: 'database', select: 'partial', object_alias_name: null },
      { id: 'orders-*-*-orders', parent_id: 'orders', object_name: 'orders', object_type: 'table', select: 'true', object_alias_name: 'orders_v2' },
      { id: 'orders-*-*-order_items', parent_id: 'orders', object_name: 'order_items', object_type: 'table', select: 'true', object_alias_name: null },
    ]);
    expect(map.selectObjectsItem('job-1', { ...spec, objects: { all: true } })).toEqual({ job_id: 'job-1', selected: false, job: [] });
  });

  it('sets speed limits and the sync policy', () => {
    expect(map.speedLimitItem('job-1', spec)).toEqual({ job_id: 'job-1', speed_limit: [{ begin: '16:00', end: '23:59', speed: '50', is_utc: true }] });
    expect(map.syncPolicyItem('job-1', spec)).toEqual({ job_id: 'job-1', conflict_policy: 'overwrite', ddl_trans: true });
    expect(map.syncPolicyItem('job-1', { ...spec, type: 'migration' })).toBeUndefined();
  });

  it.each([
    ['an engine DRS does not offer', { engine: 'db2' }, 'engine db2 is not offered'],
    ['no subnet', { network: { type: 'eip' as const } }, 'spec.network.subnetId is required'],
    ['no node type', { nodeType: undefined }, 'spec.nodeType is required'],
    ['a speed window not ending in :59', { speedLimits: [{ begin: '01:00', end: '02:00', speedMBps: 1 }] }, 'speedLimits[0].end must end in :59'],
    ['an unknown provider option', { providerOptions: { warpSpeed: true } }, 'providerOptions warpSpeed not understood'],
  ])('refuses %s with a message saying what to fix', (_what, patch, message) => {
    const problems = map.validateForDrs({ ...spec, ...patch }, HUAWEI_DRS_PROFILE);
    expect(problems.join('\n')).toContain(message);
  });

  it('needs no cloud placement on the built-in engine, which runs PostgreSQL only', () => {
    const pg = { ...spec, engine: 'postgresql', network: undefined, nodeType: undefined, direction: undefined };
    expect(map.validateForDrs(pg, LOCAL_ENGINE_PROFILE)).toEqual([]);
    expect(map.validateForDrs(spec, LOCAL_ENGINE_PROFILE).join()).toContain('engine mysql is not offered (local supports: postgresql)');
  });
});

describe('DRS answers → Observation', () => {
  it('maps status, progress (strings, -1 unknown) and keeps the raw status', () => {
    const obs = toObservation({
      jobId: 'j',
      status: 'FULL_TRANSFER_STARTED',
      progress: { progress: '42', incre_trans_delay: '-1', progress_map: { struct: { completed: '100%' }, data: { completed: '42%' }, index: { completed: '0%' } } },
    });
    expect(obs).toEqual({ jobId: 'j', providerStatus: 'FULL_TRANSFER_STARTED', phase: 'FullSync', deletable: false, progress: { percent: 42, struct: '100%', data: '42%', index: '0%' } });
    expect(toProgress({ progress: '100', incre_trans_delay: '3', incre_trans_delay_millis: '2500' })).toEqual({ percent: 100, incrementalDelaySeconds: 2.5 });
  });

  it('marks CREATE_FAILED unrecoverable and deletable, with the provider error', () => {
    const obs = toObservation({ jobId: 'j', status: 'CREATE_FAILED', error: { code: 'DRS.M00001', message: 'quota' } });
    expect(obs).toMatchObject({ phase: 'Failed', deletable: true, recoverable: false, error: { code: 'DRS.M00001' } });
  });

  it('reads a pre-check as running until process is 100%, FAILED items block, ALARM items are flagged', () => {
    expect(toPrecheck('start', { process: '50%', precheck_result: [] }).finished).toBe(false);
    const done = toPrecheck('start', {
      process: '100%',
      result: false,
      total_passed_rate: '66%',
      precheck_result: [
        { item: 'source database connectivity', result: 'PASSED', group: 'network' },
        { item: 'binlog format', result: 'ALARM', failed_reason: 'ROW recommended' },
        { item: 'primary key', result: 'FAILED', failed_reason: 'table t has no primary key' },
      ],
    });
    expect(done).toMatchObject({ finished: true, passed: false, hasAlarms: true, passedRate: '66%' });
    expect(done.items[2]).toEqual({ item: 'primary key', result: 'FAILED', failedReason: 'table t has no primary key' });
    const alarmsOnly = toPrecheck('start', { process: '100%', result: false, precheck_result: [{ item: 'binlog format', result: 'ALARM' }] });
    expect(alarmsOnly).toMatchObject({ passed: true, hasAlarms: true });
  });
});
