import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicationJob } from '../../controller/src/api/resources.ts';
import { startEngine, type Engine } from '../../engine/src/engine.ts';
import { FAST_SIMULATED_DELAYS } from '../../engine/src/executors/simulated.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { replicationJobs } from '../support/replication-jobs.ts';
import { simulatorAdmin } from '../support/simulator-admin.ts';
import { eventually, onRealCluster, type TestCluster } from '../support/test-cluster.ts';

/**
 * The real controller, the Kubernetes API test server, and the DRS simulator (the built-in
 * engine with its simulated executor) over signed HTTP: the huawei-drs provider end to end.
 */
const ACCESS_KEY = 'HPUAEXAMPLEACCESSKEY';
const SECRET_KEY = 'drs-simulator-Secret-Key-1';
const DB_PASSWORD = 'Orders-db-Passw0rd';

describe.skipIf(onRealCluster)('huawei-drs provider against the DRS simulator', () => {
  const testbed = providerTestbed({
    namespace: 'drs-provider',
    startProvider: async () =>
      startEngine({ dataDir: await mkdtemp(join(tmpdir(), 'drs-sim-')), credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, delays: FAST_SIMULATED_DELAYS }),
    secrets: { aksk: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, 'orders-db': { password: DB_PASSWORD } },
    providerConfigs: (endpoint) => ({
      drs: {
        provider: 'huawei-drs',
        endpoint,
        projectId: '054ba152d480d55b2f5dc0069e7ddef0',
        credentialsSecretRef: { name: 'aksk' },
        pollIntervals: { active: '100ms', steady: '500ms' },
      },
    }),
  });
  const { job, patchSpec, waitFor, waitPhase, gone } = replicationJobs(testbed);
  let cluster: TestCluster;
  let engine: Engine;
  let api: typeof testbed.api;
  let admin: ReturnType<typeof simulatorAdmin>;

  const spec = (overrides: object = {}) => ({
    providerRef: { kind: 'ProviderConfig', name: 'drs' },
    type: 'sync',
    engine: 'mysql',
    direction: 'up',
    mode: 'fullAndIncremental',
    nodeType: 'high',
    network: { type: 'eip', subnetId: 'subnet-1' },
    source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: 'orders-db', key: 'password' } },
    target: { host: '203.0.113.20', port: 3306, user: 'root', passwordSecretRef: { name: 'orders-db', key: 'password' } },
    objects: { databases: [{ name: 'orders', tables: ['orders'] }] },
    syncPolicy: { conflict: 'overwrite' },
    speedLimits: [{ begin: '16:00', end: '23:59', speedMBps: 50 }],
    ...overrides,
  });

  const phaseOf = async (name: string) => (await job(name)).status?.phase;
  const engineJob = async (name: string) => engine.runtime.get((await job(name)).status!.jobId!);

  beforeAll(async () => {
    ({ cluster, api, provider: engine } = await testbed.start());
    admin = simulatorAdmin(engine.url);
  });

  afterAll(() => testbed.close());

  it('drives a job to IncrementalSync with progress and delay in status', async () => {
    await api.createJob('orders', spec());
    const running = await waitPhase('orders', 'IncrementalSync');
    expect(running.status).toMatchObject({
      providerStatus: 'INCRE_TRANSFER_STARTED',
      observedGeneration: 1,
      progress: { percent: 100, percentText: '100%' },
      precheck: { passed: true },
    });
    expect(running.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Replicating' });
    const record = await engineJob('orders');
    // Everything configure sent reached DRS: both endpoints, objects, policy, speed limits.
    expect(record).toMatchObject({ name: running.status!.jobName, engineType: 'mysql', configured: true, speedLimits: [expect.objectContaining({ speed: '50' })] });
    // Delay reported by batch-progress shows in status.
    await admin(`jobs/${running.status!.jobId}/lag`, { seconds: 7 });
    const lagging = await waitFor('orders', (j) => j.status?.progress?.incrementalDelaySeconds === 7, 'delay 7s in status');
    expect(lagging.status!.progress!.delayText).toBe('7s');
  });

  it('reports a failed pre-check item by item and starts nothing', async () => {
    await admin('precheck-outcome', { items: [{ item: 'primary key check', result: 'FAILED', failed_reason: 'table orders.audit has no primary key' }] });
    await api.createJob('no-pk', spec());
    const failed = await waitPhase('no-pk', 'PrecheckFailed');
    await admin('precheck-outcome', { error_code: null, items: null });
    expect(failed.status!.precheck!.passed).toBe(false);
    expect(failed.status!.precheck!.items![0]).toMatchObject({ item: 'primary key check', result: 'FAILED', failedReason: 'table orders.audit has no primary key' });
    expect(failed.status!.conditions!.find((c) => c.type === 'PrecheckPassed')).toMatchObject({ status: 'False', reason: 'PrecheckFailed' });
    expect((await engineJob('no-pk'))!.status).toBe('CONFIGURATION');
    expect(failed.status!.conditions!.find((c) => c.type === 'Terminal')).toBeUndefined();
  });

  it('pauses and resumes', async () => {
    await patchSpec('orders', { state: 'Paused' });
    const paused = await waitPhase('orders', 'Paused');
    expect(paused.status!.providerStatus).toBe('PAUSING');
    await patchSpec('orders', { state: 'Running' });
    await waitPhase('orders', 'IncrementalSync');
  });

  it('pushes a rotated password to DRS', async () => {
    await api.replaceSecret('orders-db', { password: 'Rotated-Passw0rd-2' });
    await eventually(async () => (await engineJob('orders'))?.source.db_password === 'Rotated-Passw0rd-2', 'new source password at DRS');
    await eventually(async () => (await engineJob('orders'))?.target.db_password === 'Rotated-Passw0rd-2', 'new target password at DRS');
    expect(JSON.stringify(await job('orders'))).not.toContain('Rotated-Passw0rd-2');
  });

  it('applies description and speed limits to the running job in place', async () => {
    await patchSpec('orders', { description: 'nightly copy', speedLimits: [{ begin: '01:00', end: '05:59', speedMBps: 20 }] });
    await eventually(async () => {
      const record = await engineJob('orders');
      return record?.description === 'nightly copy' && record.speedLimits.some((l) => l.speed === '20');
    }, 'description and speed limits at DRS');
    const updated = await eventually(async () => ((await job('orders')).status?.observedGeneration === (await job('orders')).metadata.generation ? await job('orders') : undefined), 'generation observed');
    expect(updated.status!.phase).toBe('IncrementalSync');
  });

  it('re-checks and retries a failed job automatically (retryPolicy)', async () => {
    const id = (await job('orders')).status!.jobId!;
    engine.resetStats();
    await admin(`jobs/${id}/fail`, { error_code: 'DRS.M05002', error_msg: 'source binlog purged' });
    await eventually(async () => (await phaseOf('orders')) === 'Failed' || engine.stats().endpoints['batch-retry-task'] !== undefined, 'failure seen');
    await waitPhase('orders', 'IncrementalSync');
    const stats = engine.stats().endpoints;
    expect(stats['batch-precheck']?.requests).toBeGreaterThanOrEqual(1);
    expect(stats['batch-retry-task']?.requests).toBeGreaterThanOrEqual(1);
    expect((await job('orders')).status!.retries).toBeUndefined();
  });

  it('stops a job when spec.state is Stopped', async () => {
    await api.createJob('to-stop', spec());
    await waitPhase('to-stop', 'IncrementalSync');
    await patchSpec('to-stop', { state: 'Stopped' });
    const stopped = await waitPhase('to-stop', 'Stopped');
    expect(stopped.status!.providerStatus).toBe('RELEASE_RESOURCE_COMPLETE');
    expect(stopped.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Stopped' });
  });

  it('on delete terminates and deletes the DRS job, then removes the finalizer', async () => {
    const id = (await job('to-stop')).status!.jobId!;
    const orders = (await job('orders')).status!.jobId!;
    await api.deleteJob('orders');
    await gone('orders');
    expect(engine.runtime.get(orders)!.status).toBe('DELETED');
    await api.deleteJob('to-stop');
    await gone('to-stop');
    expect(engine.runtime.get(id)!.status).toBe('DELETED');
  });

  it('leaves the DRS job running with deletionPolicy Orphan', async () => {
    await api.createJob('orphan', spec({ deletionPolicy: 'Orphan' }));
    const running = await waitPhase('orphan', 'IncrementalSync');
    await api.deleteJob('orphan');
    await gone('orphan');
    expect(engine.runtime.get(running.status!.jobId!)!.status).toBe('INCRE_TRANSFER_STARTED');
  });

  it('retries busy answers and 5xx without ever reporting a terminal condition', async () => {
    await admin('faults', { busyRate: 0.3, errorRate: 0.2, errorStatus: 503 }, 'PUT');
    let sawTerminal = false;
    await api.createJob('flaky', spec());
    const running = await eventually(async () => {
      const j = await job('flaky');
      if (j.status?.conditions?.some((c) => c.type === 'Terminal')) sawTerminal = true;
      return j.status?.phase === 'IncrementalSync' ? j : undefined;
    }, 'IncrementalSync despite faults', 30_000);
    await admin('faults', {}, 'DELETE');
    expect(sawTerminal).toBe(false);
    const stats = engine.stats();
    const failures = Object.values(stats.endpoints).reduce((n, e) => n + (e.statuses['503'] ?? 0), 0);
    expect(failures).toBeGreaterThan(0);
    expect(running.status!.conditions!.find((c) => c.type === 'Synced')!.status).toBe('True');
  });

  it('leaves exactly one DRS job when the controller dies between the create call and the status write', async () => {
    // Every status write of this job fails: the create reaches DRS, its ID never reaches status.
    const blocked = cluster.server!.faults.injectError({ method: 'PATCH', pathPattern: /replicationjobs\/crash\/status$/, status: 500, count: Infinity });
    await api.createJob('crash', spec());
    const uid = (await job('crash')).metadata.uid!;
    const name = `rj-${uid}`;
    await eventually(() => engine.runtime.list().some((j) => j.name === name), 'the create reached DRS');
    await testbed.operator.stop(); // the controller dies
    blocked.cancel();
    expect((await job('crash')).status?.jobId).toBeUndefined();
    expect((await job('crash')).metadata.annotations?.['replication.drs-operator.io/create-pending']).toBeDefined();

    await testbed.startOperator();
    const running = await waitPhase('crash', 'IncrementalSync');
    const named = engine.runtime.list().filter((j) => j.name === name && j.status !== 'DELETED');
    expect(named).toHaveLength(1);
    expect(running.status!.jobId).toBe(named[0]!.id);
  });
});

export type { ReplicationJob };
