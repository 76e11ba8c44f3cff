import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATIONS } from '../../controller/src/api/group.ts';
import type { SimSyncJob } from '../../simulators/tencent-dts/sync/model.ts';
import { startDtsSimulator } from '../../simulators/tencent-dts/index.ts';
import { mysqlToCdbSpec, ORDERS_TABLES } from '../support/job-fixtures.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { condition, replicationJobs } from '../support/replication-jobs.ts';
import { simulatorAdmin } from '../support/simulator-admin.ts';
import { eventually, onRealCluster } from '../support/test-cluster.ts';

/**
 * The real controller, the Kubernetes API test server and the DTS sync simulator over TC3-signed
 * HTTP: the tencent-dts provider's sync jobs end to end.
 */
const SECRET_ID = 'AKIDdtsIntegrationEXAMPLE';
const SECRET_KEY = 'dts-integration-Secret-Key';
const SOURCE_PASSWORD = 'Orders-src-Passw0rd';
const TARGET_PASSWORD = 'Orders-dst-Passw0rd';

describe.skipIf(onRealCluster)('tencent-dts sync jobs against the DTS simulator', () => {
  const testbed = providerTestbed({
    namespace: 'dts-sync-provider',
    startProvider: () => startDtsSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' }),
    secrets: {
      'tencent-credentials': { secretId: SECRET_ID, secretKey: SECRET_KEY },
      'orders-db': { source: SOURCE_PASSWORD, target: TARGET_PASSWORD },
    },
    providerConfigs: (endpoint) => ({
      dts: { provider: 'tencent-dts', endpoint, region: 'ap-guangzhou', credentialsSecretRef: { name: 'tencent-credentials' }, pollIntervals: { active: '100ms', steady: '300ms' } },
    }),
  });
  const { job, patch, waitFor, waitPhase, gone } = replicationJobs(testbed, { timeoutMs: 20_000 });
  let sim: Awaited<ReturnType<typeof startDtsSimulator>>;
  let api: typeof testbed.api;
  let adminCall: ReturnType<typeof simulatorAdmin>;

  const spec = (overrides: object = {}) =>
    mysqlToCdbSpec(
      { providerConfig: 'dts', type: 'sync', mode: 'fullAndIncremental', targetInstanceId: 'cdb-abcd1234', passwords: { source: { name: 'orders-db', key: 'source' }, target: { name: 'orders-db', key: 'target' } } },
      { objects: ORDERS_TABLES, syncPolicy: { conflict: 'overwrite', ddl: true }, providerOptions: { rateLimit: { dumpThread: 4, sinkerThread: 32 } }, ...overrides },
    );

  const simJobs = async () => (await adminCall('sync/jobs', undefined, 'GET')) as SimSyncJob[];
  const simJob = async (name: string) => {
    const id = (await job(name)).status!.jobId!;
    return (await simJobs()).find((j) => j.JobId === id);
  };

  beforeAll(async () => {
    ({ api, provider: sim } = await testbed.start());
    adminCall = simulatorAdmin(sim.url);
  });

  afterAll(() => testbed.close());

  it('drives a job to IncrementalSync (Running) with progress and delay in status', async () => {
    await api.createJob('orders', spec());
    const running = await waitPhase('orders', 'IncrementalSync');
    expect(running.status).toMatchObject({
      providerStatus: 'Running',
      jobId: expect.stringMatching(/^sync-[a-z0-9]{8}$/),
      observedGeneration: 1,
      progress: { percent: 100, percentText: '100%', incrementalDelaySeconds: 0 },
      precheck: { passed: true, passedRate: '100%' },
    });
    expect(condition(running, 'Ready')).toMatchObject({ status: 'True', reason: 'Replicating' });
    // What DTS was sent: the deterministic name, both endpoints with their passwords, objects, options, limits.
    const record = (await simJob('orders'))!;
    expect(record).toMatchObject({
      JobName: running.status!.jobName,
      Status: 'Running',
      TradeStatus: 'Normal',
      config: {
        SrcAccessType: 'extranet',
        DstAccessType: 'cdb',
        SrcInfo: { Ip: '203.0.113.10', Port: 3306, User: 'repl', Password: SOURCE_PASSWORD },
        DstInfo: { InstanceId: 'cdb-abcd1234', User: 'root', Password: TARGET_PASSWORD },
        Objects: { Mode: 'Partial', Databases: [{ DbName: 'orders', Tables: [{ TableName: 'orders' }, { TableName: 'order_items' }] }] },
        Options: { InitType: 'Full', ConflictHandleType: 'Cover', OpTypes: ['Insert', 'Update', 'Delete', 'DDL'] },
      },
      rateLimit: { DumpThread: 4, SinkerThread: 32, userSet: true },
    });
    // The delay DTS reports (SecondsBehindMaster) reaches status.
    await adminCall(`sync/jobs/${running.status!.jobId}/delay`, { seconds: 7 });
    const lagging = await waitFor('orders', (j) => j.status?.progress?.incrementalDelaySeconds === 7, 'delay 7s in status');
    expect(lagging.status!.progress!.delayText).toBe('7s');
    expect(JSON.stringify(lagging)).not.toContain(SOURCE_PASSWORD);
    // A changed rate limit on the running job reaches DTS through ModifySyncRateLimit.
    await patch('orders', { spec: { providerOptions: { rateLimit: { dumpThread: 8, sinkerThread: 16 } } } });
    const limited = await eventually(async () => {
      const r = await simJob('orders');
      return r?.rateLimit?.DumpThread === 8 ? r : undefined;
    }, 'new rate limit at DTS');
    expect(limited.rateLimit).toMatchObject({ DumpThread: 8, SinkerThread: 16 });
  });

  it('reports a failed check item by item, starts nothing, and starts once the check passes', async () => {
    await adminCall('sync/check-outcome', {
      errors: [{ StepId: 'TargetTableCheck', Code: 'TableExists', Message: 'orders.orders already exists on the target', Solution: 'Drop or rename orders.orders on the target' }],
      warnings: [{ StepId: 'BinlogCheck', Message: 'binlog_row_image is MINIMAL' }],
    });
    await api.createJob('no-pk', spec());
    const failed = await waitPhase('no-pk', 'PrecheckFailed');
    await adminCall('sync/check-outcome', undefined, 'DELETE');
    expect(failed.status!.precheck).toMatchObject({ passed: false, passedRate: '83%' });
    const items = failed.status!.precheck!.items!;
    expect(items[0]).toEqual({
      item: 'Target table conflict check',
      group: 'TargetTableCheck',
      result: 'FAILED',
      failedReason: 'orders.orders already exists on the target (TableExists). Fix: Drop or rename orders.orders on the target',
    });
    expect(items).toContainEqual({ item: 'Binlog parameter check', group: 'BinlogCheck', result: 'ALARM', failedReason: 'binlog_row_image is MINIMAL' });
    expect(items.filter((i) => i.result === 'PASSED')).toHaveLength(4);
    expect(condition(failed, 'PrecheckPassed')).toMatchObject({ status: 'False', reason: 'PrecheckFailed' });
    expect(condition(failed, 'Terminal')).toBeUndefined();
    const record = (await simJob('no-pk'))!;
    expect(record.Status).toBe('CheckNotPass');
    expect(record.startedAt).toBeUndefined();

    // The user fixed the target and asks for a new reconcile: the check runs again and passes.
    await patch('no-pk', { metadata: { annotations: { [ANNOTATIONS.reconcileRequest]: 'fixed-target-table' } } });
    const running = await waitPhase('no-pk', 'IncrementalSync');
    expect(running.status!.precheck).toMatchObject({ passed: true });
    expect(condition(running, 'PrecheckPassed')).toMatchObject({ status: 'True' });
  });

  it('pauses and resumes', async () => {
    await patch('orders', { spec: { state: 'Paused' } });
    // Pausing already reads as phase Paused; DTS settles in Paused moments later.
    const paused = await eventually(async () => {
      const j = await job('orders');
      return j.status?.phase === 'Paused' && j.status.providerStatus === 'Paused' ? j : undefined;
    }, 'orders paused at DTS');
    expect(condition(paused, 'Ready')).toMatchObject({ status: 'True', reason: 'Paused' });
    expect((await simJob('orders'))!.Status).toBe('Paused');
    await patch('orders', { spec: { state: 'Running' } });
    await waitPhase('orders', 'IncrementalSync');
    expect((await simJob('orders'))!.Status).toBe('Running');
  });

  it('stops a job when spec.state is Stopped', async () => {
    await api.createJob('to-stop', spec());
    await waitPhase('to-stop', 'IncrementalSync');
    await patch('to-stop', { spec: { state: 'Stopped' } });
    const stopped = await waitPhase('to-stop', 'Stopped');
    expect(stopped.status!.providerStatus).toBe('Stopped');
    expect(condition(stopped, 'Ready')).toMatchObject({ status: 'True', reason: 'Stopped' });
    expect((await simJob('to-stop'))!.Status).toBe('Stopped');
  });

  it('on delete isolates and destroys the DTS job, then removes the finalizer', async () => {
    const stoppedId = (await job('to-stop')).status!.jobId!;
    const runningId = (await job('orders')).status!.jobId!;
    const before = Object.fromEntries(sim.calls);
    await api.deleteJob('to-stop');
    await api.deleteJob('orders');
    await gone('to-stop');
    await gone('orders');
    const ids = (await simJobs()).map((j) => j.JobId);
    expect(ids).not.toContain(stoppedId);
    expect(ids).not.toContain(runningId);
    const delta = (action: string) => (sim.calls.get(action) ?? 0) - (before[action] ?? 0);
    // The running job was stopped first; both were isolated, then destroyed.
    expect(delta('StopSyncJob')).toBeGreaterThanOrEqual(1);
    expect(delta('IsolateSyncJob')).toBeGreaterThanOrEqual(2);
    expect(delta('DestroySyncJob')).toBeGreaterThanOrEqual(2);
  });

  it('retries RequestLimitExceeded and InternalError answers without ever reporting a terminal condition', async () => {
    let sawTerminal = false;
    const watch = async (name: string) => {
      const j = await job(name);
      if (condition(j, 'Terminal')) sawTerminal = true;
      return j;
    };
    await adminCall('faults', { tooManyRequestsRate: 1, endpoints: ['ConfigureSyncJob'] });
    await api.createJob('flaky', spec());
    const throttled = await eventually(async () => {
      const j = await watch('flaky');
      return condition(j, 'Synced')?.reason === 'ProviderThrottled' ? j : undefined;
    }, 'a throttled ConfigureSyncJob reported as retryable');
    expect(condition(throttled, 'Synced')!.message).toContain('RequestLimitExceeded');
    await adminCall('faults', { tooManyRequestsRate: 0, errorRate: 1, endpoints: ['CreateCheckSyncJob'] });
    const failing = await eventually(async () => {
      const j = await watch('flaky');
      return condition(j, 'Synced')?.reason === 'ProviderUnavailable' ? j : undefined;
    }, 'an InternalError from CreateCheckSyncJob reported as retryable');
    expect(condition(failing, 'Synced')!.message).toContain('InternalError');
    await adminCall('faults', undefined, 'DELETE');
    const running = await eventually(async () => {
      const j = await watch('flaky');
      return j.status?.phase === 'IncrementalSync' ? j : undefined;
    }, 'IncrementalSync once the faults stop', 30_000);
    expect(sawTerminal).toBe(false);
    expect(condition(running, 'Synced')).toMatchObject({ status: 'True' });
  });

  it('holds creates while the account is full of unconfigured jobs, one per job configured, and every job gets there', async () => {
    const createsBefore = sim.calls.get('CreateSyncJob') ?? 0;
    await adminCall('sync/limits', { maxUnusedJobs: 1 });
    try {
      const names = ['quota-a', 'quota-b', 'quota-c', 'quota-d', 'quota-e', 'quota-f'];
      await Promise.all(names.map((name) => api.createJob(name, spec())));
      const running = await Promise.all(names.map((name) => waitPhase(name, 'IncrementalSync')));
      expect(new Set(running.map((j) => j.status!.jobId)).size).toBe(6);
      // Six creates that went through, plus the refusals that started the hold (at most one per
      // job that raced it): held creates never reach DTS, however often their jobs ask again
      // (measured 8; without the hold every waiting job retries into the refusal: 28-30).
      const creates = (sim.calls.get('CreateSyncJob') ?? 0) - createsBefore;
      expect(creates).toBeGreaterThanOrEqual(names.length);
      expect(creates).toBeLessThanOrEqual(2 * names.length - 1);
      for (const j of running) expect(condition(j, 'Synced')).toMatchObject({ status: 'True' });
    } finally {
      await adminCall('sync/limits', { maxUnusedJobs: 50 });
    }
  });

  it('leaves exactly one DTS job when the CreateSyncJob answer is lost', async () => {
    const createsBefore = sim.calls.get('CreateSyncJob') ?? 0;
    await adminCall('faults', { dropResponseRate: 1, endpoints: ['CreateSyncJob'] });
    await api.createJob('lost', spec());
    const uid = (await job('lost')).metadata.uid!;
    const name = `rj-${uid}`;
    // The job exists at DTS, its ID never reached the controller; it is found by name.
    const adopted = await eventually(async () => {
      const j = await job('lost');
      return j.status?.jobId ? j : undefined;
    }, 'the job adopted by name');
    await adminCall('faults', undefined, 'DELETE');
    const running = await waitPhase('lost', 'IncrementalSync');
    const named = (await simJobs()).filter((j) => j.JobName === name);
    expect(named).toHaveLength(1);
    expect(adopted.status!.jobId).toBe(named[0]!.JobId);
    expect(running.status!.jobId).toBe(named[0]!.JobId);
    expect((sim.calls.get('CreateSyncJob') ?? 0) - createsBefore).toBe(1);
  });
});
