import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReplicationJobSpec } from '../../../../controller/src/api/replication-job-spec.ts';
import { systemClock } from '../../../../controller/src/clock.ts';
import { ReconcileError } from '../../../../controller/src/reconcile/errors.ts';
import type { JobContext } from '../../../../controller/src/reconcile/provider.ts';
import { ClickHouseAccount } from '../../../../controller/src/providers/huawei-clickhouse/account.ts';
import { ClickHouseClient } from '../../../../controller/src/providers/huawei-clickhouse/client.ts';
import { startClickHouseSimulator, type RunningClickHouseSimulator } from '../../../../simulators/huawei-clickhouse/server.ts';

const AK = 'HPUACLICKHOUSEAK0003';
const SK = 'clickhouse-account-test-SK';
const PROJECT = '23a50154cf494ec9ad6883979a12db0a';
const CH_A = 'aaaa0000670e48e789af7075e1efea1fin16';
const CH_B = 'bbbb0000670e48e789af7075e1efea1fin16';
const SOURCE = 'f2c1a4e0b7d94c0c9a7b1e2d3c4b5a69in07';

function job(name: string, database: string, instanceId = CH_A, source = SOURCE): JobContext {
  const spec = ReplicationJobSpec.parse({
    providerRef: { kind: 'ProviderConfig', name: 'htap' },
    type: 'sync',
    engine: 'gaussdb-mysql',
    source: { instanceId: source },
    target: { instanceId },
    objects: { databases: [{ name: database }] },
  });
  return { key: `ns/${name}`, jobName: `rj-${name}`, uid: name, spec, secrets: { get: () => '' } };
}

async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('huawei-clickhouse account against the simulator', () => {
  let sim: RunningClickHouseSimulator;
  let account: ClickHouseAccount;

  beforeAll(async () => {
    sim = await startClickHouseSimulator({ credentials: { id: AK, key: SK }, pace: 'fast' });
  });
  afterEach(async () => {
    await account?.close();
    sim.replications.clear();
    sim.checks.clear();
    sim.calls.clear();
  });
  afterAll(() => sim.close());

  function newAccount(pollMs = 50): ClickHouseAccount {
    const client = new ClickHouseClient({ endpoint: sim.url, projectId: PROJECT, auth: { kind: 'aksk', accessKey: AK, secretKey: SK }, sleep: async () => {}, requestsPerSecond: 1000 });
    account = new ClickHouseAccount({ client, pollIntervals: { activeMs: pollMs, steadyMs: pollMs }, requestsPerSecond: 1000, clock: systemClock });
    return account;
  }

  it('create registers without starting; the checks are the pre-check; start creates the task; it goes to IncrementalSync via FullSync; delete removes it', async () => {
    const a = newAccount();
    const j = job('orders', 'orders');
    sim.checks.setTables('orders', ['orders', 'order_items']);
    expect(await a.findJobByName(j)).toBeUndefined();
    const { jobId } = await a.create(j);
    expect(jobId).toBe(`${CH_A}/orders`);
    j.jobId = jobId;
    expect(sim.calls.get('create-replication')).toBeUndefined();
    expect(await a.observe(j)).toMatchObject({ phase: 'Configuring', providerStatus: 'not-synchronized', deletable: true });
    expect(await a.findJobByName(j)).toBe(jobId);

    await a.startPrecheck(j, 'start');
    const checked = await a.observe(j);
    expect(checked!.precheck).toMatchObject({ purpose: 'start', finished: true, passed: true, passedRate: '100%' });
    expect(checked!.precheck!.items.map((i) => i.item)).toEqual(['database setting binlog_format', 'database setting binlog_row_image', 'table orders', 'table order_items']);

    await a.start(j);
    expect(sim.replications.get(CH_A, 'orders')).toBeDefined();
    const phases = new Set<string>();
    await eventually(async () => {
      const o = await a.observe(j);
      phases.add(`${o!.phase}${o!.progress?.percent !== undefined ? `:${o!.progress.percent}` : ''}`);
      return o!.phase === 'IncrementalSync' ? o : undefined;
    }, 'IncrementalSync');
    expect([...phases].some((p) => /^FullSync:\d+$/.test(p))).toBe(true);
    expect(phases.has('IncrementalSync:100')).toBe(true);

    // Starting again (a retried action) is not an error: the task exists.
    await a.start(j);
    await a.delete(j);
    expect(sim.replications.get(CH_A, 'orders')).toBeUndefined();
    await eventually(async () => ((await a.observe(j)) === undefined ? true : undefined), 'gone');
    await a.delete(j); // idempotent
  });

  it('a failing check is reported item by item and nothing is created; it passes once fixed', async () => {
    const a = newAccount();
    const j = job('no-pk', 'audit');
    j.jobId = (await a.create(j)).jobId;
    sim.checks.set('audit', { tableResults: [{ table_name: 'events', table_config: '', check_result: 'fail' }] });
    await a.startPrecheck(j, 'start');
    const failed = (await a.observe(j))!;
    expect(failed.phase).toBe('Configuring');
    expect(failed.precheck).toMatchObject({ finished: true, passed: false });
    expect(failed.precheck!.items).toContainEqual(expect.objectContaining({ item: 'table events', result: 'FAILED', failedReason: expect.stringContaining('table events cannot be synchronized') }));
    sim.checks.set('audit', { error: { status: 400, error_code: 'DBS.280105', error_msg: 'The database audit does not exist.' } });
    await a.startPrecheck(j, 'start');
    expect((await a.observe(j))!.precheck!.items).toContainEqual({ item: 'database check', group: 'database', result: 'FAILED', failedReason: 'The database audit does not exist. (DBS.280105)' });
    expect(sim.calls.get('create-replication')).toBeUndefined();
    sim.checks.clear('audit');
    await a.startPrecheck(j, 'start');
    expect((await a.observe(j))!.precheck!.passed).toBe(true);
  });

  it('observes every job with one list call per instance per round (per 100 replications), not per job', async () => {
    const a = newAccount(60_000);
    for (let i = 0; i < 250; i += 1) sim.replications.create(CH_A, { sourceInstanceId: SOURCE, database: `db${String(i).padStart(3, '0')}` });
    for (let i = 0; i < 3; i += 1) sim.replications.create(CH_B, { sourceInstanceId: SOURCE, database: `b${i}` });
    const jobs = [
      ...Array.from({ length: 250 }, (_, i) => ({ ...job(`a${i}`, `db${String(i).padStart(3, '0')}`), jobId: `${CH_A}/db${String(i).padStart(3, '0')}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ ...job(`b${i}`, `b${i}`, CH_B), jobId: `${CH_B}/b${i}` })),
    ];
    const observed = await Promise.all(jobs.map((j) => a.observe(j)));
    expect(observed.every((o) => o?.providerStatus.startsWith('normal/'))).toBe(true);
    // One more round, now that every job is tracked.
    sim.calls.clear();
    const before = a.poller.rounds;
    a.poller.kick();
    await eventually(async () => (a.poller.rounds > before ? true : undefined), 'a poll round');
    expect(a.poller.rounds).toBe(before + 1);
    // Instance A: 250 replications = 3 pages; instance B: 1 page. 253 jobs, 4 calls.
    expect(sim.calls.get('list-replications')).toBe(4);
  });

  it('refuses a second ReplicationJob for the same database, and a database synchronized from another source', async () => {
    const a = newAccount();
    await a.create(job('first', 'orders'));
    // A crashed create of the second one finds nothing to adopt, and creating is refused.
    expect(await a.findJobByName(job('second', 'orders'))).toBeUndefined();
    const twin = await a.create(job('second', 'orders')).catch((e: unknown) => e);
    expect(twin).toBeInstanceOf(ReconcileError);
    expect(twin).toMatchObject({ terminal: true, reason: 'DatabaseAlreadyReplicated', message: expect.stringContaining('ns/first already synchronizes database orders') });

    sim.replications.create(CH_A, { sourceInstanceId: 'someone-else', database: 'sales' });
    const foreign = await a.create(job('sales', 'sales')).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ terminal: true, message: expect.stringContaining('already synchronized from GaussDB(for MySQL) instance someone-else') });
    // The same source: adopted (it may be this job's own task from before a crash).
    sim.replications.create(CH_A, { sourceInstanceId: SOURCE, database: 'mine' });
    expect((await a.create(job('mine', 'mine'))).jobId).toBe(`${CH_A}/mine`);

    sim.state.instances = new Set([CH_B]);
    try {
      const missing = await a.create(job('lost', 'lost')).catch((e: unknown) => e);
      expect(missing).toMatchObject({ terminal: true, reason: 'ClickHouseInstanceNotFound', message: expect.stringContaining('fix spec.target.instanceId') });
    } finally {
      sim.state.instances = undefined;
    }
  });

  it('reports an abnormal task as a permanent failure, and refuses pause', async () => {
    const a = newAccount();
    const j = job('breaks', 'breaks');
    j.jobId = (await a.create(j)).jobId;
    await a.start(j);
    await eventually(async () => ((await a.observe(j))?.phase === 'FullSync' || (await a.observe(j))?.phase === 'IncrementalSync' ? true : undefined), 'running');
    sim.replications.fail(CH_A, 'breaks');
    const failed = await eventually(async () => {
      const o = await a.observe(j);
      return o?.phase === 'Failed' ? o : undefined;
    }, 'Failed');
    expect(failed).toMatchObject({ providerStatus: 'abnormal/failed', recoverable: false, deletable: true });
    await expect(a.pause()).rejects.toMatchObject({ terminal: true, reason: 'PauseUnsupported' });
  });
});
