import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicationJob } from '../../controller/src/api/resources.ts';
import { startApi3Server, type Api3Server } from '../../simulators/tencent-api3/server.ts';
import { dtsLegacyApi, type DtsLegacyApi } from '../../simulators/tencent-dts-legacy/api.ts';
import { mysqlToCdbSpec, ORDERS_TABLES } from '../support/job-fixtures.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { condition, replicationJobs } from '../support/replication-jobs.ts';
import { simulatorAdmin } from '../support/simulator-admin.ts';
import { eventually, onRealCluster } from '../support/test-cluster.ts';

/**
 * The real controller, the Kubernetes API test server, and the DTS 2018-03-30 simulator over
 * TC3-signed HTTP: the tencent-dts-legacy provider end to end. The simulator's actions are
 * mounted on an API 3.0 endpoint here, as a shared Tencent simulator would mount them.
 */
const SECRET_ID = 'AKIDlegacyINTEGRATION';
const SECRET_KEY = 'legacy-integration-Secret-1';
const SOURCE_PASSWORD = 'Orders-src-Passw0rd';
const TARGET_PASSWORD = 'Orders-dst-Passw0rd';

/** The DTS 2018-03-30 actions (`dts`) served by a Tencent API 3.0 endpoint (`server`). */
async function startLegacySimulator() {
  const dts = dtsLegacyApi({ pace: 'fast' });
  const server = await startApi3Server({
    service: 'dts',
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    handlers: dts.handlers,
    admin: dts.admin,
  });
  return {
    dts,
    server,
    url: server.url,
    close: async () => {
      dts.close();
      await server.close();
    },
  };
}

describe.skipIf(onRealCluster)('tencent-dts-legacy provider against the DTS 2018-03-30 simulator', () => {
  const testbed = providerTestbed({
    namespace: 'dts-legacy-provider',
    startProvider: startLegacySimulator,
    secrets: {
      'tencent-credentials': { secretId: SECRET_ID, secretKey: SECRET_KEY },
      'orders-db': { source: SOURCE_PASSWORD, target: TARGET_PASSWORD },
    },
    providerConfigs: (endpoint) => ({
      tencent: {
        provider: 'tencent-dts-legacy',
        endpoint,
        region: 'ap-guangzhou',
        credentialsSecretRef: { name: 'tencent-credentials' },
        pollIntervals: { active: '100ms', steady: '500ms' },
      },
    }),
  });
  const { job, patchSpec, waitFor, waitPhase, gone } = replicationJobs(testbed);
  let api: typeof testbed.api;
  let dts: DtsLegacyApi;
  let server: Api3Server;
  let admin: ReturnType<typeof simulatorAdmin>;

  const spec = (overrides: object = {}) =>
    mysqlToCdbSpec(
      { providerConfig: 'tencent', type: 'migration', mode: 'full', targetInstanceId: 'cdb-e78e0nnv', passwords: { source: { name: 'orders-db', key: 'source' }, target: { name: 'orders-db', key: 'target' } } },
      { objects: ORDERS_TABLES, ...overrides },
    );

  const simJob = async (name: string) => dts.store.get((await job(name)).status!.jobId!);

  beforeAll(async () => {
    ({ api, provider: { dts, server } } = await testbed.start());
    admin = simulatorAdmin(server.url);
  });

  afterAll(() => testbed.close());

  it('creates, checks and starts a full migration, shows its progress, and ends Completed', async () => {
    await admin('hold-progress', { percent: 40 });
    await api.createJob('orders', spec());
    const copying = await waitFor('orders', (j) => j.status?.progress?.percent === 40, 'progress 40% in status');
    await admin('hold-progress', undefined, 'DELETE');
    expect(copying.status).toMatchObject({ phase: 'FullSync', providerStatus: '7 Running', progress: { percent: 40, percentText: '40%' }, precheck: { passed: true } });
    expect(condition(copying, 'PrecheckPassed')).toMatchObject({ status: 'True' });
    // Create carried the whole configuration, passwords from the Secret included.
    const record = (await simJob('orders'))!;
    expect(record.config).toMatchObject({
      JobName: copying.status!.jobName,
      SrcDatabaseType: 'mysql',
      SrcAccessType: 'extranet',
      DstAccessType: 'cdb',
      MigrateOption: { RunMode: 1, MigrateType: 2, MigrateObject: 2 },
      SrcInfo: { Ip: '203.0.113.10', Port: 3306, User: 'repl', Password: SOURCE_PASSWORD, Region: 'ap-guangzhou' },
      DstInfo: { InstanceId: 'cdb-e78e0nnv', Region: 'ap-guangzhou', Password: TARGET_PASSWORD },
    });
    expect(JSON.parse(record.config.DatabaseInfo!)).toEqual([{ Database: 'orders', Table: ['orders', 'order_items'] }]);

    await admin(`jobs/${record.id}/progress`, { percent: 40, hold: false });
    const done = await waitPhase('orders', 'Completed');
    expect(done.status).toMatchObject({ providerStatus: '9 Success', progress: { percent: 100 } });
    expect(condition(done, 'Ready')).toMatchObject({ status: 'True', reason: 'Completed' });
    expect(JSON.stringify(done)).not.toContain(SOURCE_PASSWORD);
  });

  it('reports a failed check with its message and starts nothing', async () => {
    await admin('check-outcome', { passed: false, errorMessage: 'table orders.audit does not exist on the source' });
    await api.createJob('bad-check', spec());
    const failed = await waitPhase('bad-check', 'PrecheckFailed');
    await admin('check-outcome', undefined, 'DELETE');
    expect(failed.status!.providerStatus).toBe('5 CheckNotPass');
    expect(failed.status!.precheck).toMatchObject({ passed: false });
    expect(failed.status!.precheck!.items![0]).toMatchObject({ result: 'FAILED', failedReason: 'table orders.audit does not exist on the source (ErrorCode -1)' });
    expect(condition(failed, 'PrecheckPassed')).toMatchObject({ status: 'False', reason: 'PrecheckFailed' });
    expect(condition(failed, 'Terminal')).toBeUndefined();
    const record = (await simJob('bad-check'))!;
    expect(record.status).toBe(5);
    expect(record.startTime).toBeUndefined();
  });

  it('refuses spec.state Paused with a terminal condition naming the field, and leaves the job alone', async () => {
    await api.createJob('stream', spec({ mode: 'fullAndIncremental' }));
    const streaming = await waitPhase('stream', 'IncrementalSync');
    expect(streaming.status).toMatchObject({ providerStatus: '8 ReadyComplete', progress: { percent: 100 } });
    await admin(`jobs/${streaming.status!.jobId}/lag`, { seconds: 12 });
    await waitFor('stream', (j) => j.status?.progress?.incrementalDelaySeconds === 12, 'delay 12s in status');

    await patchSpec('stream', { state: 'Paused' });
    const refused = await waitFor('stream', (j) => condition(j, 'Terminal') !== undefined, 'Terminal condition');
    expect(condition(refused, 'Terminal')!.message).toContain('spec.state Paused is not supported');
    expect((await simJob('stream'))!.status).toBe(8);

    await patchSpec('stream', { state: 'Running' });
    const back = await waitFor('stream', (j) => condition(j, 'Terminal') === undefined && j.status?.phase === 'IncrementalSync', 'Running again');
    expect(condition(back, 'Ready')).toMatchObject({ status: 'True', reason: 'Replicating' });
  });

  it('stops: a streaming job is completed (the cut-over), a copy in progress is cancelled', async () => {
    await patchSpec('stream', { state: 'Stopped' });
    const completed = await waitPhase('stream', 'Stopped');
    expect(completed.status!.providerStatus).toBe('9 Success');
    expect(condition(completed, 'Ready')).toMatchObject({ status: 'True', reason: 'Stopped' });

    await admin('hold-progress', { percent: 25 });
    await api.createJob('copying', spec());
    await waitFor('copying', (j) => j.status?.providerStatus === '7 Running', 'running');
    await admin('hold-progress', undefined, 'DELETE');
    await patchSpec('copying', { state: 'Stopped' });
    const cancelled = await waitPhase('copying', 'Stopped');
    // StopMigrateJob: 11 Stopping → 10 Failed, which the planner reports as Stopped (it asked).
    expect(cancelled.status!.providerStatus).toBe('10 Failed');
    expect(cancelled.status!.stopRequestedAt).toBeDefined();
  });

  it('reports a migration DTS failed with its error log, as failed for good (no retry in place)', async () => {
    await admin('hold-progress', { percent: 50 });
    await api.createJob('broken', spec());
    const running = await waitFor('broken', (j) => j.status?.providerStatus === '7 Running', 'running');
    await admin('hold-progress', undefined, 'DELETE');
    await admin(`jobs/${running.status!.jobId}/fail`, { errorLog: 'ERROR 1114: table order_items is full on the target' });
    const failed = await waitPhase('broken', 'Failed');
    expect(failed.status!.providerStatus).toBe('10 Failed');
    expect(condition(failed, 'Terminal')).toMatchObject({ reason: 'JobFailedPermanently' });
    expect(condition(failed, 'Terminal')!.message).toContain('ERROR 1114: table order_items is full on the target');
  });

  it('on delete removes the DTS job (stopping a running one first), then the finalizer', async () => {
    await api.createJob('running', spec({ mode: 'fullAndIncremental' }));
    await waitPhase('running', 'IncrementalSync');
    const names = ['orders', 'bad-check', 'stream', 'copying', 'broken', 'running'];
    const ids = await Promise.all(names.map(async (name) => (await job(name)).status!.jobId!));
    for (const name of names) await api.deleteJob(name);
    for (const name of names) await gone(name);
    for (const id of ids) expect(dts.store.get(id), `${id} deleted at DTS`).toBeUndefined();
  });

  it('retries RequestLimitExceeded and InternalError without ever reporting a terminal condition', async () => {
    let sawTerminal = false;
    const watch = async (name: string, ok: (j: ReplicationJob) => boolean, what: string) =>
      eventually(async () => {
        const j = await job(name);
        if (condition(j, 'Terminal')) sawTerminal = true;
        return ok(j) ? j : undefined;
      }, `${name}: ${what}`, 60_000);
    const synced = (reason: string) => (j: ReplicationJob) => condition(j, 'Synced')?.status === 'False' && condition(j, 'Synced')?.reason === reason;

    // Every CreateMigrateCheckJob throttled: the client's retries run out, the reconcile backs off.
    await admin('faults', { tooManyRequestsRate: 1, endpoints: ['CreateMigrateCheckJob'] });
    await api.createJob('flaky', spec());
    const throttled = await watch('flaky', synced('ProviderThrottled'), 'throttling reported');
    expect(condition(throttled, 'Synced')!.message).toContain('RequestLimitExceeded');
    // Then every StartMigrateJob answers InternalError.
    await admin('faults', { tooManyRequestsRate: 0, errorRate: 1, endpoints: ['StartMigrateJob'] });
    const failing = await watch('flaky', synced('ProviderUnavailable'), 'InternalError reported');
    expect(condition(failing, 'Synced')!.message).toContain('InternalError');
    await admin('faults', undefined, 'DELETE');

    const done = await watch('flaky', (j) => j.status?.phase === 'Completed', 'Completed once DTS answers again');
    expect(sawTerminal).toBe(false);
    expect(condition(done, 'Synced')).toMatchObject({ status: 'True' });
    expect(server.calls.get('StartMigrateJob')).toBeGreaterThan(1);
    await api.deleteJob('flaky');
    await gone('flaky');
  });

  it('leaves exactly one DTS job when the CreateMigrateJob answer is lost', async () => {
    await admin('faults', { dropResponseRate: 1, endpoints: ['CreateMigrateJob'] });
    await api.createJob('lost-answer', spec());
    const name = `rj-${(await job('lost-answer')).metadata.uid!}`;
    await eventually(() => dts.store.list().some((j) => j.config.JobName === name), 'the create reached DTS');
    const adopted = await waitFor('lost-answer', (j) => j.status?.jobId !== undefined, 'job ID recovered by name');
    await admin('faults', undefined, 'DELETE');
    const named = dts.store.list().filter((j) => j.config.JobName === name);
    expect(named).toHaveLength(1);
    expect(adopted.status!.jobId).toBe(named[0]!.id);
    await waitPhase('lost-answer', 'Completed');
    expect(dts.store.list().filter((j) => j.config.JobName === name)).toHaveLength(1);
  });
});
