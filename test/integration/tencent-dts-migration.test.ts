import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDtsSimulator } from '../../simulators/tencent-dts/index.ts';
import { mysqlToCdbSpec, ORDERS_TABLES } from '../support/job-fixtures.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { condition, replicationJobs } from '../support/replication-jobs.ts';
import { simulatorAdmin } from '../support/simulator-admin.ts';
import { eventually, onRealCluster } from '../support/test-cluster.ts';

/**
 * The real controller, the Kubernetes API test server, and the DTS 2021-12-06 migration
 * simulator over TC3-signed HTTP: the tencent-dts provider's migration jobs end to end.
 */
const SECRET_ID = 'AKIDdtsMigrationEXAMPLE';
const SECRET_KEY = 'dts-simulator-Secret-Key-1';
const DB_PASSWORD = 'Orders-db-Passw0rd';

interface SimJob {
  JobId: string;
  JobName: string;
  Status: string;
  TradeInfo: { TradeStatus: string };
  StepInfo: { StepAll: number; SecondsBehindMaster: number };
  SrcInfo?: { Info: { Host?: string; Password?: string }[] };
  MigrateOption?: { MigrateType: string; DatabaseTable: { ObjectMode: string } };
}

describe.skipIf(onRealCluster)('tencent-dts migration jobs against the DTS simulator', () => {
  const testbed = providerTestbed({
    namespace: 'dts-migration',
    startProvider: () => startDtsSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' }),
    secrets: { 'tencent-keys': { secretId: SECRET_ID, secretKey: SECRET_KEY }, 'orders-db': { password: DB_PASSWORD } },
    providerConfigs: (endpoint) => ({
      dts: { provider: 'tencent-dts', endpoint, region: 'ap-guangzhou', credentialsSecretRef: { name: 'tencent-keys' }, pollIntervals: { active: '100ms', steady: '500ms' } },
    }),
  });
  const { job, patchSpec, waitFor, waitPhase, gone } = replicationJobs(testbed);
  let api: typeof testbed.api;
  let admin: ReturnType<typeof simulatorAdmin>;

  const simJobs = async () => ((await admin('migration/jobs', undefined, 'GET')) as { jobs: SimJob[] }).jobs;
  const calls = async () => (await admin('calls', undefined, 'GET')) as Record<string, number>;

  const password = { name: 'orders-db', key: 'password' };
  const spec = (overrides: object = {}) =>
    mysqlToCdbSpec(
      { providerConfig: 'dts', type: 'migration', mode: 'fullAndIncremental', targetInstanceId: 'cdb-c1nl9rpv', passwords: { source: password, target: password } },
      { nodeType: 'small', objects: ORDERS_TABLES, ...overrides },
    );

  const simJobOf = async (name: string) => {
    const id = (await job(name)).status?.jobId;
    return (await simJobs()).find((j) => j.JobId === id);
  };
  const terminalOf = async (name: string) => condition(await job(name), 'Terminal');

  beforeAll(async () => {
    ({ api } = await testbed.start());
    admin = simulatorAdmin(testbed.provider.url);
  });

  afterAll(() => testbed.close());

  it('runs a full migration to Completed with progress in status', async () => {
    await api.createJob('full-copy', spec({ mode: 'full' }));
    const done = await waitPhase('full-copy', 'Completed');
    expect(done.status).toMatchObject({ providerStatus: 'success', progress: { percent: 100 }, precheck: { passed: true } });
    expect(done.status!.jobId).toMatch(/^dts-[a-z0-9]{8}$/);
    expect(done.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Completed' });
    const record = await simJobOf('full-copy');
    expect(record).toMatchObject({ JobName: done.status!.jobName, Status: 'success', MigrateOption: { MigrateType: 'full', DatabaseTable: { ObjectMode: 'partial' } } });
    // The password reached DTS (Host shows the configuration arrived) but is never answered back.
    expect(record!.SrcInfo!.Info[0]).toEqual(expect.objectContaining({ Host: '203.0.113.10' }));
    expect(JSON.stringify(await simJobs())).not.toContain(DB_PASSWORD);
    expect(JSON.stringify(done)).not.toContain(DB_PASSWORD);
  });

  it('runs a full-and-incremental migration to IncrementalSync with the delay in status', async () => {
    await api.createJob('orders', spec());
    await waitPhase('orders', 'IncrementalSync'); // streaming; readyComplete once caught up
    const streaming = await waitFor('orders', (j) => j.status?.providerStatus === 'readyComplete', 'readyComplete');
    expect(streaming.status).toMatchObject({ phase: 'IncrementalSync', progress: { percent: 100, incrementalDelaySeconds: 0 } });
    expect(streaming.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Replicating' });
    await admin(`migration/jobs/${streaming.status!.jobId}/lag`, { seconds: 7 });
    const lagging = await waitFor('orders', (j) => j.status?.progress?.incrementalDelaySeconds === 7, 'delay 7s in status');
    expect(lagging.status).toMatchObject({ phase: 'IncrementalSync', providerStatus: 'running', progress: { delayText: '7s' } });
    await admin(`migration/jobs/${streaming.status!.jobId}/lag`, { seconds: 0 });
  });

  it('reports a failed pre-check item by item and starts nothing', async () => {
    await admin('migration/check-outcome', { failures: [{ item: 'Primary key check', reason: 'table orders.audit has no primary key', solution: 'Add a primary key' }] });
    await api.createJob('no-pk', spec());
    const failed = await waitPhase('no-pk', 'PrecheckFailed');
    await admin('migration/check-outcome', undefined, 'DELETE');
    expect(failed.status!.precheck!.passed).toBe(false);
    expect(failed.status!.precheck!.items).toContainEqual(
      expect.objectContaining({ item: 'Primary key check', result: 'FAILED', failedReason: 'table orders.audit has no primary key Solution: Add a primary key' }),
    );
    expect(failed.status!.conditions!.find((c) => c.type === 'PrecheckPassed')).toMatchObject({ status: 'False', reason: 'PrecheckFailed' });
    expect(await simJobOf('no-pk')).toMatchObject({ Status: 'checkNotPass', StepInfo: { StepAll: 0 } });
    expect(await terminalOf('no-pk')).toBeUndefined();
  });

  it('pauses and resumes', async () => {
    await patchSpec('orders', { state: 'Paused' });
    await waitPhase('orders', 'Paused'); // pausing already counts as Paused
    const paused = await waitFor('orders', (j) => j.status?.providerStatus === 'manualPaused', 'manualPaused');
    expect(paused.status!.phase).toBe('Paused');
    expect((await simJobOf('orders'))!.Status).toBe('manualPaused');
    await patchSpec('orders', { state: 'Running' });
    await waitPhase('orders', 'IncrementalSync');
    expect((await simJobOf('orders'))!.Status).toBe('readyComplete');
  });

  it('stops: completes a caught-up migration, or aborts it with stopMode abort', async () => {
    await api.createJob('to-stop', spec());
    await api.createJob('to-abort', spec({ providerOptions: { stopMode: 'abort' } }));
    await waitPhase('to-stop', 'IncrementalSync');
    await waitPhase('to-abort', 'IncrementalSync');
    const before = await calls();
    await patchSpec('to-stop', { state: 'Stopped' });
    await patchSpec('to-abort', { state: 'Stopped' });
    const completed = await waitPhase('to-stop', 'Stopped');
    expect(completed.status!.providerStatus).toBe('success');
    expect(completed.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Stopped' });
    const aborted = await waitPhase('to-abort', 'Stopped');
    expect(aborted.status!.providerStatus).toBe('failed');
    const after = await calls();
    expect(after.CompleteMigrateJob! - (before.CompleteMigrateJob ?? 0)).toBe(1);
    expect(after.StopMigrateJob! - (before.StopMigrateJob ?? 0)).toBe(1);
  });

  it('on delete isolates and destroys the DTS job, then removes the finalizer', async () => {
    const ids = await Promise.all(['orders', 'to-stop', 'full-copy'].map(async (name) => (await job(name)).status!.jobId!));
    const before = await calls();
    await api.deleteJob('orders'); // streaming: completed first, then released
    await api.deleteJob('to-stop'); // already stopped
    await api.deleteJob('full-copy'); // completed
    await Promise.all(['orders', 'to-stop', 'full-copy'].map(gone));
    const remaining = (await simJobs()).map((j) => j.JobId);
    for (const id of ids) expect(remaining).not.toContain(id);
    const after = await calls();
    expect(after.IsolateMigrateJob! - (before.IsolateMigrateJob ?? 0)).toBe(3);
    expect(after.DestroyMigrateJob! - (before.DestroyMigrateJob ?? 0)).toBe(3);
  });

  it('retries RequestLimitExceeded and InternalError without a Terminal condition', async () => {
    // Every ModifyMigrationJob fails with InternalError, then every StartMigrateJob is throttled, for a while.
    const count = async (action: string) => (await calls())[action] ?? 0;
    try {
      await admin('faults', { errorRate: 1, endpoints: ['ModifyMigrationJob'] });
      const modifies = await count('ModifyMigrationJob');
      await api.createJob('flaky', spec());
      await eventually(async () => (await count('ModifyMigrationJob')) >= modifies + 6, 'configure retried');
      expect(await terminalOf('flaky')).toBeUndefined();
      expect((await simJobOf('flaky'))!.Status).toBe('created');
      await admin('faults', { errorRate: 0, tooManyRequestsRate: 1, endpoints: ['StartMigrateJob'] });
      await waitPhase('flaky', 'Starting');
      const starts = await count('StartMigrateJob');
      await eventually(async () => (await count('StartMigrateJob')) >= starts + 6, 'start retried');
      expect(await terminalOf('flaky')).toBeUndefined();
      expect((await simJobOf('flaky'))!.Status).toBe('checkPass');
    } finally {
      await admin('faults', undefined, 'DELETE');
    }
    const running = await waitPhase('flaky', 'IncrementalSync', 30_000);
    expect(await terminalOf('flaky')).toBeUndefined();
    expect(running.status!.conditions!.find((c) => c.type === 'Synced')!.status).toBe('True');
  });

  it('leaves exactly one DTS job when the CreateMigrationService response is lost', async () => {
    await admin('faults', { dropResponseRate: 1, endpoints: ['CreateMigrationService'] });
    const before = await calls();
    let uid: string;
    let running;
    try {
      await api.createJob('lost-answer', spec());
      uid = (await job('lost-answer')).metadata.uid!;
      running = await waitPhase('lost-answer', 'IncrementalSync', 30_000);
    } finally {
      await admin('faults', undefined, 'DELETE');
    }
    // The ID never came back: the job in status can only have been found by name.
    const named = (await simJobs()).filter((j) => j.JobName === `rj-${uid!}`);
    expect(named).toHaveLength(1);
    expect(running!.status!.jobId).toBe(named[0]!.JobId);
    const after = await calls();
    expect(after.CreateMigrationService! - (before.CreateMigrationService ?? 0)).toBe(1);
    expect(await terminalOf('lost-answer')).toBeUndefined();
  });
});
