import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedEngine } from '../../controller/src/embedded-engine.ts';
import { countRows, postgresTestsEnabled, startPostgresClusters, SUPERUSER, SUPERUSER_PASSWORD, type PgCluster } from '../support/postgres.ts';
import { providerTestbed } from '../support/provider-testbed.ts';
import { replicationJobs } from '../support/replication-jobs.ts';
import { eventually, onRealCluster } from '../support/test-cluster.ts';

/**
 * The default provider end to end, as a user runs it: ReplicationJobs naming the `local`
 * ClusterProviderConfig that --embedded-engine creates, two real PostgreSQL servers, and the
 * operator in between. Rows before start are copied, rows after arrive; pause holds the flow,
 * resume catches up; a table without a primary key blocks the start; stop leaves no slot.
 */
const REPL_USER = 'repl';
const REPL_PASSWORD = 'Repl-Passw0rd-9';

describe.skipIf(!postgresTestsEnabled() || onRealCluster)('local provider: ReplicationJob → embedded engine → PostgreSQL', () => {
  // No ProviderConfig: the embedded engine creates the ClusterProviderConfig `local` itself.
  const testbed = providerTestbed({
    namespace: 'drs-local',
    startProvider: async (cluster) =>
      startEmbeddedEngine({
        kubeConfig: cluster.kubeConfig,
        dataDir: await mkdtemp(join(tmpdir(), 'drs-embedded-')),
        listen: { host: '127.0.0.1', port: 0 },
        namespace: cluster.namespace,
        log: { info() {} },
      }),
    secrets: { pg: { source: REPL_PASSWORD, target: SUPERUSER_PASSWORD } },
  });
  const { job, patchSpec, waitPhase } = replicationJobs(testbed, { timeoutMs: 30_000 });
  let source: PgCluster;
  let target: PgCluster;
  let api: typeof testbed.api;

  const waitRows = (database: string, table: string, n: number) => eventually(async () => ((await countRows(target, database, table)) === n ? true : undefined), `${n} rows in ${database}.${table}`, 30_000);

  const spec = (database: string, overrides: object = {}) => ({
    providerRef: { kind: 'ClusterProviderConfig', name: 'local' },
    type: 'sync',
    engine: 'postgresql',
    mode: 'fullAndIncremental',
    source: { host: source.host, port: source.port, database, user: REPL_USER, passwordSecretRef: { name: 'pg', key: 'source' } },
    target: { host: target.host, port: target.port, database, user: SUPERUSER, passwordSecretRef: { name: 'pg', key: 'target' } },
    ...overrides,
  });

  async function databases(name: string, ddl: string): Promise<void> {
    await source.createDatabase(name, REPL_USER);
    await source.query(`BEGIN; SET LOCAL ROLE ${REPL_USER}; ${ddl}; COMMIT`, [], name);
    await target.createDatabase(name);
  }

  beforeAll(async () => {
    [source, target] = (await startPostgresClusters([{}, {}])) as [PgCluster, PgCluster];
    await source.createRole(REPL_USER, REPL_PASSWORD, 'REPLICATION');
    ({ api } = await testbed.start());
  });

  afterAll(async () => {
    await testbed.close();
    await Promise.all([source, target].map((c) => c?.stop()));
  });

  it('copies existing rows, streams new ones, shows FullSync → IncrementalSync with progress and delay; pause holds, resume catches up; stop leaves no slot', async () => {
    await databases('shop', `CREATE TABLE orders (id bigserial PRIMARY KEY, item text NOT NULL); INSERT INTO orders (item) SELECT 'item-' || g FROM generate_series(1, 2000) g`);
    await api.createJob('shop', spec('shop'));
    const phases = new Set<string>();
    const running = await eventually(async () => {
      const j = await job('shop');
      if (j.status?.phase) phases.add(j.status.phase);
      return j.status?.phase === 'IncrementalSync' ? j : undefined;
    }, 'IncrementalSync', 60_000);
    expect(running.status!.precheck!.passed).toBe(true);
    expect(running.status!.progress!.percent).toBe(100);
    expect(running.status!.progress!.incrementalDelaySeconds).toBeGreaterThanOrEqual(0);
    expect([...phases]).toEqual(expect.arrayContaining(['Prechecking']));
    await waitRows('shop', 'orders', 2000);

    await source.query(`INSERT INTO orders (item) SELECT 'late-' || g FROM generate_series(1, 100) g`, [], 'shop');
    await waitRows('shop', 'orders', 2100);

    await patchSpec('shop', { state: 'Paused' });
    await waitPhase('shop', 'Paused');
    await source.query(`INSERT INTO orders (item) SELECT 'paused-' || g FROM generate_series(1, 50) g`, [], 'shop');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await countRows(target, 'shop', 'orders')).toBe(2100);
    await patchSpec('shop', { state: 'Running' });
    await waitPhase('shop', 'IncrementalSync');
    await waitRows('shop', 'orders', 2150);

    await patchSpec('shop', { state: 'Stopped' });
    await waitPhase('shop', 'Stopped');
    const { rows } = await source.query('SELECT slot_name FROM pg_replication_slots');
    expect(rows).toEqual([]);
  });

  it('blocks the start when a selected table has no primary key, naming the item', async () => {
    await databases('nopk', `CREATE TABLE audit (at timestamptz, what text); INSERT INTO audit VALUES (now(), 'x')`);
    await api.createJob('nopk', spec('nopk'));
    const blocked = await waitPhase('nopk', 'PrecheckFailed');
    const failed = blocked.status!.precheck!.items!.filter((i) => i.result === 'FAILED');
    expect(failed.map((i) => i.item)).toContain('srcTableWithoutPrimaryKeyCheck');
    expect(failed.find((i) => i.item === 'srcTableWithoutPrimaryKeyCheck')!.failedReason).toContain('audit');
    expect(await countRows(target, 'nopk', 'audit').catch(() => 0)).toBe(0);
  });
});
