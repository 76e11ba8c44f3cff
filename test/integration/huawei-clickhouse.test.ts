import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANNOTATIONS } from '../../controller/src/api/group.ts';
import type { ReplicationJob } from '../../controller/src/api/resources.ts';
import type { ClickHouseAccount } from '../../controller/src/providers/huawei-clickhouse/account.ts';
import { clickHouseAccountFactory } from '../../controller/src/providers/huawei-clickhouse/factory.ts';
import type { ProviderFactory } from '../../controller/src/reconcile/provider-accounts.ts';
import { startClickHouseSimulator, type RunningClickHouseSimulator } from '../../simulators/huawei-clickhouse/server.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { condition, replicationJobs } from '../support/replication-jobs.ts';
import { eventually, onRealCluster, type TestCluster } from '../support/test-cluster.ts';

/**
 * The real controller, the Kubernetes API test server and the GaussDB(for MySQL) → ClickHouse
 * simulator over HTTP (IAM token auth, and AK/SK signing for one account): the
 * huawei-clickhouse provider end to end.
 */
const ACCESS_KEY = 'HPUACLICKHOUSEAK0009';
const SECRET_KEY = 'clickhouse-simulator-Secret-Key-1';
const IAM_USER = { username: 'htap-operator', password: 'Iam-Passw0rd-9!', domainName: 'acme-corp' };
const PROJECT = '23a50154cf494ec9ad6883979a12db0a';
const CH_A = '54e42160670e48e789af7075e1efea1fin16';
const CH_B = '9c7d2a51e0a44d4b8f1f1d2c3b4a5e6fin16';
const SOURCE = 'f2c1a4e0b7d94c0c9a7b1e2d3c4b5a69in07';

describe.skipIf(onRealCluster)('huawei-clickhouse provider against the ClickHouse replication simulator', () => {
  // The operator runs with a factory that keeps each account, so a test can read its poller.
  const accounts = new Map<string, ClickHouseAccount>();
  const recording: ProviderFactory = (config) => {
    const account = clickHouseAccountFactory(config) as ClickHouseAccount;
    accounts.set(config.key, account);
    return account;
  };
  const testbed = providerTestbed({
    namespace: 'huawei-clickhouse',
    startProvider: () => startClickHouseSimulator({ credentials: { id: ACCESS_KEY, key: SECRET_KEY }, pace: 'fast', iam: IAM_USER }),
    secrets: { iam: IAM_USER, aksk: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY } },
    providerConfigs: (endpoint) => {
      const common = { provider: 'huawei-clickhouse', endpoint, projectId: PROJECT, pollIntervals: { active: '100ms', steady: '300ms' } };
      return {
        // One URL is both the API endpoint and IAM.
        htap: { ...common, iamEndpoint: endpoint, credentialsSecretRef: { name: 'iam' } },
        'htap-aksk': { ...common, credentialsSecretRef: { name: 'aksk' } },
      };
    },
    providers: new Map([['huawei-clickhouse', recording]]),
  });
  const { job, patch, waitFor, waitPhase, gone } = replicationJobs(testbed);
  let cluster: TestCluster;
  let sim: RunningClickHouseSimulator;
  let api: typeof testbed.api;

  const spec = (database: string, overrides: object = {}) => ({
    providerRef: { kind: 'ProviderConfig', name: 'htap' },
    type: 'sync',
    engine: 'gaussdb-mysql',
    source: { instanceId: SOURCE },
    target: { instanceId: CH_A },
    objects: { databases: [{ name: database }] },
    ...overrides,
  });

  const terminal = (j: ReplicationJob) => condition(j, 'Terminal');

  beforeAll(async () => {
    ({ cluster, api, provider: sim } = await testbed.start());
  });

  afterAll(() => testbed.close());

  it('creates a job to IncrementalSync, reporting FullSync with its percentage on the way', async () => {
    await api.createJob('orders', spec('orders'));
    await eventually(() => sim.replications.get(CH_A, 'orders'), 'the task at the API');
    // Freeze the copy at 40% so the status can be seen in FullSync.
    sim.replications.patch(CH_A, 'orders', { stage: 'full', percentage: 40, hold: true });
    const copying = await waitFor('orders', (j) => j.status?.phase === 'FullSync' && j.status.progress?.percent === 40, 'FullSync at 40%');
    expect(copying.status).toMatchObject({ providerStatus: 'normal/full', jobId: `${CH_A}/orders`, progress: { percent: 40, percentText: '40%' } });
    expect(copying.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'FullSyncInProgress' });
    sim.replications.patch(CH_A, 'orders', { hold: false });
    const running = await waitPhase('orders', 'IncrementalSync');
    expect(running.status).toMatchObject({ providerStatus: 'normal/incremental', observedGeneration: 1, progress: { percent: 100 }, precheck: { passed: true, passedRate: '100%' } });
    expect(running.status!.precheck!.items!.map((i) => i.item)).toEqual(['database setting binlog_format', 'database setting binlog_row_image']);
    expect(running.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Replicating' });
    expect(sim.replications.get(CH_A, 'orders')).toMatchObject({ sourceInstanceId: SOURCE, stage: 'incremental' });
  });

  it('reports a failed check item by item, starts nothing, and starts once the database is fixed', async () => {
    sim.checks.set('audit', {
      databaseResults: [{ param_name: 'binlog_row_image', value: 'MINIMAL', check_result: 'fail' }],
      tableResults: [
        { table_name: 'events', table_config: '', check_result: 'fail' },
        { table_name: 'users', table_config: '', check_result: 'success' },
      ],
    });
    const createsBefore = sim.calls.get('create-replication') ?? 0;
    await api.createJob('audit', spec('audit'));
    const failed = await waitPhase('audit', 'PrecheckFailed');
    expect(failed.status!.precheck).toMatchObject({ passed: false, passedRate: '33%' });
    expect(failed.status!.precheck!.items).toEqual([
      { item: 'database setting binlog_row_image', group: 'database', result: 'FAILED', failedReason: expect.stringContaining('binlog_row_image=MINIMAL') },
      { item: 'table events', group: 'table', result: 'FAILED', failedReason: expect.stringContaining('table events cannot be synchronized') },
      { item: 'table users', group: 'table', result: 'PASSED' },
    ]);
    expect(failed.status!.conditions!.find((c) => c.type === 'PrecheckPassed')).toMatchObject({ status: 'False', reason: 'PrecheckFailed' });
    expect(terminal(failed)).toBeUndefined();
    expect(sim.replications.get(CH_A, 'audit')).toBeUndefined();
    expect(sim.calls.get('create-replication') ?? 0).toBe(createsBefore);

    // The fix happens in the database; the reconcile-request annotation re-runs the check now.
    sim.checks.clear('audit');
    await patch('audit', { metadata: { annotations: { [ANNOTATIONS.reconcileRequest]: 'fixed-binlog' } } });
    const running = await waitPhase('audit', 'IncrementalSync');
    expect(running.status!.precheck).toMatchObject({ passed: true });
    expect(sim.replications.get(CH_A, 'audit')).toBeDefined();
  });

  it('stops a job (spec.state Stopped removes the task), then deleting it removes the finalizer (AK/SK account)', async () => {
    await api.createJob('to-stop', spec('to_stop', { providerRef: { kind: 'ProviderConfig', name: 'htap-aksk' } }));
    await waitPhase('to-stop', 'IncrementalSync');
    await patch('to-stop', { spec: { state: 'Stopped' } });
    const stopped = await waitPhase('to-stop', 'Stopped');
    expect(stopped.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Stopped' });
    expect(sim.replications.get(CH_A, 'to_stop')).toBeUndefined();
    const deletesBefore = sim.calls.get('delete-replication') ?? 0;
    await api.deleteJob('to-stop');
    await gone('to-stop');
    expect(sim.calls.get('delete-replication') ?? 0).toBeLessThanOrEqual(deletesBefore + 1);
    expect(sim.replications.get(CH_A, 'to_stop')).toBeUndefined();
  });

  it('deleting a running job deletes the task, then removes the finalizer', async () => {
    expect(sim.replications.get(CH_A, 'orders')).toBeDefined();
    await api.deleteJob('orders');
    await gone('orders');
    expect(sim.replications.get(CH_A, 'orders')).toBeUndefined();
  });

  it('obtained one IAM token for all of this, and fetches a new one after a 401', async () => {
    expect(sim.calls.get('iam-token')).toBe(1);
    expect(sim.iam.issued).toBe(1);
    sim.iam.revokeAll();
    await api.createJob('after-revoke', spec('after_revoke'));
    const running = await waitPhase('after-revoke', 'IncrementalSync');
    expect(terminal(running)).toBeUndefined();
    expect(sim.calls.get('iam-token')).toBe(2);
    expect(sim.statuses.get(401)).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(running)).not.toContain(IAM_USER.password);
  });

  it('retries 5xx and 429 answers without ever reporting a terminal condition', async () => {
    const served = (status: number) => sim.statuses.get(status) ?? 0;
    const before = { s503: served(503), s429: served(429) };
    let sawTerminal = false;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const j = await job('flaky').catch(() => undefined);
        if (j && terminal(j)) sawTerminal = true;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    try {
      // Every call fails for a while: first with 503, then with 429; then the API recovers.
      sim.faults.update({ errorRate: 1, errorStatus: 503 });
      await api.createJob('flaky', spec('flaky'));
      await eventually(() => served(503) - before.s503 >= 6, 'several 503 answers');
      sim.faults.update({ errorRate: 0, tooManyRequestsRate: 1 });
      await eventually(() => served(429) - before.s429 >= 6, 'several 429 answers');
      sim.faults.reset();
      await waitPhase('flaky', 'IncrementalSync', 30_000);
    } finally {
      sim.faults.reset();
      watching = false;
      await watch;
    }
    expect(sawTerminal).toBe(false);
    expect(sim.replications.get(CH_A, 'flaky')).toBeDefined();
  });

  it('observes with one list call per ClickHouse instance per round, however many jobs', async () => {
    await api.createJob('extra-1', spec('extra_1'));
    await api.createJob('extra-2', spec('extra_2'));
    await api.createJob('other-instance', spec('reports', { target: { instanceId: CH_B } }));
    for (const name of ['extra-1', 'extra-2', 'other-instance']) await waitPhase(name, 'IncrementalSync');
    const account = accounts.get(`ProviderConfig/${cluster.namespace}/htap`)!;
    // Five jobs are tracked on two instances (audit, after-revoke, flaky, extra-1, extra-2 on A; one on B).
    const start = { rounds: account.poller.rounds, lists: sim.calls.get('list-replications') ?? 0 };
    await eventually(() => account.poller.rounds >= start.rounds + 6, 'six poll rounds');
    const rounds = account.poller.rounds - start.rounds;
    const lists = (sim.calls.get('list-replications') ?? 0) - start.lists;
    // Two instances: two calls a round (± one round in flight at either end), not six.
    expect(lists).toBeGreaterThanOrEqual(2 * (rounds - 1));
    expect(lists).toBeLessThanOrEqual(2 * (rounds + 1));
    expect(account.poller.size).toBe(6);
  });
});
