import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCdbSimulator, type CdbSimulator } from '../../simulators/tencent-cdb/simulator.ts';
import { ORDERS_TABLES } from '../support/job-fixtures.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { condition, replicationJobs } from '../support/replication-jobs.ts';
import { simulatorAdmin } from '../support/simulator-admin.ts';
import { eventually, onRealCluster } from '../support/test-cluster.ts';

/**
 * The real controller, the Kubernetes API test server, and the CDB data-sync simulator over
 * signed API v2 calls: the tencent-cdb provider end to end.
 */
const SECRET_ID = 'AKIDcdbIntegrationEXAMPLE';
const SECRET_KEY = 'cdb-integration-Secret-Key-1';

describe.skipIf(onRealCluster)('tencent-cdb provider against the CDB simulator', () => {
  const testbed = providerTestbed({
    namespace: 'cdb-provider',
    startProvider: () => startCdbSimulator({ credentials: { id: SECRET_ID, key: SECRET_KEY }, pace: 'fast' }),
    secrets: { tencent: { secretId: SECRET_ID, secretKey: SECRET_KEY } },
    providerConfigs: (endpoint) => ({
      cdb: { provider: 'tencent-cdb', endpoint, region: 'ap-guangzhou', credentialsSecretRef: { name: 'tencent' }, pollIntervals: { active: '100ms', steady: '300ms' } },
    }),
  });
  const { job, patchSpec, waitFor, waitPhase, gone } = replicationJobs(testbed);
  let sim: CdbSimulator;
  let api: typeof testbed.api;
  let admin: ReturnType<typeof simulatorAdmin>;

  // Each job gets its own pair of instances: CDB refuses to verify a task whose instances another task is syncing.
  let pair = 0;
  const spec = (overrides: object = {}) => {
    const n = String(++pair).padStart(3, '0');
    return {
      providerRef: { kind: 'ProviderConfig', name: 'cdb' },
      type: 'disasterRecovery',
      engine: 'mysql',
      source: { instanceId: `cdb-m${n}abcd` },
      target: { instanceId: `cdb-d${n}abcd`, region: 'ap-shanghai' },
      objects: ORDERS_TABLES,
      ...overrides,
    };
  };

  const simTask = (id: string | undefined) => sim.tasks.all().find((t) => String(t.jobId) === id);
  /** Drives a job to IncrementalSync (progress runs to 100 at the default step). */
  const replicating = async (name: string, overrides: object = {}) => {
    await api.createJob(name, spec(overrides));
    return waitPhase(name, 'IncrementalSync');
  };

  beforeAll(async () => {
    ({ api, provider: sim } = await testbed.start());
    admin = simulatorAdmin(sim.url);
  });

  afterAll(() => testbed.close());

  it('creates, verifies and starts the task, then reports syncing with its progress', async () => {
    await admin('settings', { progressStep: 0 });
    try {
      await api.createJob('orders', spec());
      const full = await waitPhase('orders', 'FullSync');
      expect(full.status).toMatchObject({ providerStatus: 'Syncing(6)', precheck: { passed: true, passedRate: '100%' } });
      const task = simTask(full.status!.jobId)!;
      // Create carried the whole configuration, under the deterministic name.
      expect(task).toMatchObject({
        jobName: `rj-${full.metadata.uid}`,
        region: 'ap-guangzhou',
        src: { cdbUInstanceId: 'cdb-m001abcd', dbInfo: [{ database: 'orders', table: ['orders', 'order_items'] }], isOverrideRoot: 0 },
        dst: { cdbUInstanceId: 'cdb-d001abcd', region: 'ap-shanghai' },
      });
      await admin(`tasks/${task.jobId}/progress`, { progress: 40 });
      const forty = await waitFor('orders', (j) => j.status?.progress?.percent === 40, 'progress 40%');
      expect(forty.status).toMatchObject({ phase: 'FullSync', progress: { percent: 40, percentText: '40%' } });
      await admin(`tasks/${task.jobId}/progress`, { progress: 100 });
      const caughtUp = await waitPhase('orders', 'IncrementalSync');
      expect(caughtUp.status!.progress).toMatchObject({ percent: 100 });
      expect(condition(caughtUp, 'Ready')).toMatchObject({ status: 'True', reason: 'Replicating' });
      expect(condition(caughtUp, 'Terminal')).toBeUndefined();
    } finally {
      await admin('settings', { progressStep: 25 });
    }
  });

  it('reports a failed verification item by item and starts nothing', async () => {
    await admin('check-outcome', { failedSteps: [{ stepName: 'Check if the destination instance is empty', message: 'the destination instance already has database orders' }] });
    try {
      await api.createJob('not-empty', spec());
      const failed = await waitPhase('not-empty', 'PrecheckFailed');
      expect(failed.status!.precheck!.passed).toBe(false);
      expect(failed.status!.precheck!.items).toContainEqual({
        item: 'Check if the destination instance is empty',
        result: 'FAILED',
        failedReason: 'the destination instance already has database orders',
      });
      expect(condition(failed, 'PrecheckPassed')).toMatchObject({ status: 'False', reason: 'PrecheckFailed' });
      expect(condition(failed, 'Terminal')).toBeUndefined();
      const task = simTask(failed.status!.jobId)!;
      expect(task.status).toBe(3);
      expect(task.startTime).toBeUndefined();
    } finally {
      await admin('check-outcome', { failedSteps: null });
    }
  });

  it('refuses spec.state Paused with a terminal condition naming the field, and creates nothing', async () => {
    await api.createJob('paused', spec({ state: 'Paused' }));
    const refused = await waitFor('paused', (j) => condition(j, 'Terminal') !== undefined, 'a Terminal condition');
    expect(condition(refused, 'Terminal')).toMatchObject({ status: 'True', reason: 'UnsupportedSpec' });
    expect(condition(refused, 'Terminal')!.message).toContain('spec.state Paused is not possible: the CDB data-sync API cannot pause a task');
    expect(refused.status?.jobId).toBeUndefined();
    expect(sim.tasks.all().some((t) => t.jobName === `rj-${refused.metadata.uid}`)).toBe(false);
    await api.deleteJob('paused');
    await gone('paused');
  });

  it('deletes a task that never started and a task that finished, then removes the finalizer', async () => {
    const notStarted = (await job('not-empty')).status!.jobId!;
    await api.deleteJob('not-empty');
    await gone('not-empty');
    expect(simTask(notStarted)).toBeUndefined();

    const id = (await job('orders')).status!.jobId!;
    await admin(`tasks/${id}/status`, { status: 9 });
    await waitFor('orders', (j) => j.status?.providerStatus === 'SyncSucceeded(9)', 'sync succeeded');
    await api.deleteJob('orders');
    await gone('orders');
    expect(simTask(id)).toBeUndefined();
  });

  it('explains that a syncing task cannot be deleted, and finishes the deletion once the task has ended', async () => {
    const running = await replicating('in-use');
    const id = running.status!.jobId!;
    await api.deleteJob('in-use');
    const refused = await waitFor('in-use', (j) => condition(j, 'Terminal') !== undefined, 'a Terminal condition');
    expect(condition(refused, 'Terminal')).toMatchObject({ reason: 'DeleteUnsupportedWhileSyncing' });
    expect(condition(refused, 'Terminal')!.message).toContain('set spec.deletionPolicy: Orphan');
    expect(simTask(id)!.status).toBe(6);
    // Ended outside the operator (console): the poller notices, and the deletion completes.
    await admin(`tasks/${id}/fail`, { code: 1236, message: 'stopped by the user' });
    await gone('in-use');
    expect(simTask(id)).toBeUndefined();
  });

  it('reports that state Stopped cannot be honoured while syncing, then deletes the task once it ends', async () => {
    const running = await replicating('to-stop');
    const id = running.status!.jobId!;
    await patchSpec('to-stop', { state: 'Stopped' });
    const refused = await waitFor('to-stop', (j) => condition(j, 'Terminal') !== undefined, 'a Terminal condition');
    expect(condition(refused, 'Terminal')!.message).toContain('can neither stop nor delete a syncing task');
    expect(simTask(id)!.status).toBe(6);
    await admin(`tasks/${id}/status`, { status: 9 });
    const stopped = await waitPhase('to-stop', 'Stopped');
    expect(condition(stopped, 'Ready')).toMatchObject({ status: 'True', reason: 'Stopped' });
    expect(condition(stopped, 'Terminal')).toBeUndefined();
    expect(simTask(id)).toBeUndefined();
  });

  it('retries internal, busy and throttling errors without ever reporting a terminal condition', async () => {
    // Each fault is forced on the step the job is at, until it has been met twice: 9013 on the
    // create, 9570 (busy) on the verification, 4400 (quota) on the start.
    let sawTerminal = false;
    const watch = async () => {
      const j = await job('flaky');
      if (condition(j, 'Terminal')) sawTerminal = true;
      return j;
    };
    const force = async (faults: object, code: number, what: string) => {
      await admin('codes', undefined, 'DELETE');
      await admin('faults', faults);
      await eventually(async () => (await watch(), sim.codes.get(code) ?? 0) >= 2, `two ${code} answers (${what})`, 30_000);
      await admin('faults', undefined, 'DELETE');
    };
    try {
      const creating = force({ errorRate: 1, endpoints: ['CreateCdbDataSyncTask'] }, 9013, 'create');
      await api.createJob('flaky', spec());
      await creating;
      await force({ busyCallRate: 1, endpoints: ['CheckCdbDataSyncTask'] }, 9570, 'verification');
      await force({ tooManyRequestsRate: 1, endpoints: ['StartCdbDataSyncTask'] }, 4400, 'start');
      const running = await eventually(async () => {
        const j = await watch();
        return j.status?.phase === 'IncrementalSync' ? j : undefined;
      }, 'IncrementalSync after the faults', 30_000);
      expect(condition(running, 'Synced')!.status).toBe('True');
      expect(sim.tasks.all().filter((t) => t.jobName === `rj-${running.metadata.uid}`)).toHaveLength(1);
    } finally {
      await admin('faults', undefined, 'DELETE');
    }
    expect(sawTerminal).toBe(false);
  });

  it('leaves exactly one task when the answer to the create is lost, found by its name', async () => {
    const createsBefore = sim.calls.get('CreateCdbDataSyncTask') ?? 0;
    await admin('faults', { dropResponseRate: 1, endpoints: ['CreateCdbDataSyncTask'] });
    try {
      await api.createJob('lost-answer', spec());
      const name = `rj-${(await job('lost-answer')).metadata.uid}`;
      const running = await waitPhase('lost-answer', 'IncrementalSync');
      const named = sim.tasks.all().filter((t) => t.jobName === name);
      expect(named).toHaveLength(1);
      expect(running.status!.jobId).toBe(String(named[0]!.jobId));
      // Every answer to a create is dropped: the one create sent was never repeated, and the task was adopted by name.
      expect((sim.calls.get('CreateCdbDataSyncTask') ?? 0) - createsBefore).toBe(1);
    } finally {
      await admin('faults', undefined, 'DELETE');
    }
  });
});
