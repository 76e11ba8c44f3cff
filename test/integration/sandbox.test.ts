import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { hasKubectl, runKubectl } from '../support/kubectl.ts';
import { countRows, postgresTestsEnabled, startPostgresClusters, SUPERUSER, SUPERUSER_PASSWORD, type PgCluster } from '../support/postgres.ts';
import { eventually, onRealCluster } from '../support/test-cluster.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * `npm run sandbox` as a user meets it: no cluster, the real kubectl, examples/postgres-sync.yaml
 * applied against two real PostgreSQL servers; get, describe and delete work.
 */
describe.skipIf(!hasKubectl || !postgresTestsEnabled() || onRealCluster)('npm run sandbox with kubectl', () => {
  let child: ChildProcess;
  let kubeconfig = '';
  let source: PgCluster;
  let target: PgCluster;
  let dir = '';

  const kubectl = (...args: string[]) => runKubectl(kubeconfig, args);

  beforeAll(async () => {
    [source, target] = (await startPostgresClusters([{}, {}])) as [PgCluster, PgCluster];
    await source.createRole('repl', 'Repl-Sandbox-1', 'REPLICATION');
    await source.createDatabase('shop', 'repl');
    await source.query(
      `BEGIN; SET LOCAL ROLE repl;
       CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders SELECT g, 'o' || g FROM generate_series(1, 500) g;
       CREATE TABLE customers (id int PRIMARY KEY, name text); INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 20) g;
       COMMIT`,
      [],
      'shop',
    );
    await target.createDatabase('shop');
    dir = await mkdtemp(join(tmpdir(), 'drs-sandbox-'));
    child = spawn(process.execPath, ['scripts/sandbox.ts', '--dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    kubeconfig = await eventually(() => /kubeconfig: (\S+)/.exec(out)?.[1], 'the sandbox prints its kubeconfig', 30_000);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await Promise.all([source, target].map((c) => c?.stop()));
  });

  it('applies the example, replicates, and answers get, describe and delete', async () => {
    // The example as shipped, pointed at this test's servers and passwords.
    const docs = parseAllDocuments(await readFile(join(root, 'examples', 'postgres-sync.yaml'), 'utf8')).map((d) => d.toJS());
    const secret = docs.find((d) => d.kind === 'Secret');
    secret.stringData = { 'source-password': 'Repl-Sandbox-1', 'target-password': SUPERUSER_PASSWORD };
    const job = docs.find((d) => d.kind === 'ReplicationJob');
    Object.assign(job.spec.source, { host: source.host, port: source.port });
    Object.assign(job.spec.target, { host: target.host, port: target.port, user: SUPERUSER });
    const file = join(dir, 'postgres-sync.yaml');
    await writeFile(file, docs.map((d) => stringify(d)).join('---\n'));

    const apply = await kubectl('apply', '-f', file);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('replicationjob.replication.drs-operator.io/shop-sync created');

    await eventually(async () => ((await kubectl('get', 'rj', 'shop-sync', '-o', 'jsonpath={.status.phase}')).stdout === 'IncrementalSync' ? true : undefined), 'IncrementalSync', 60_000);
    await eventually(async () => ((await countRows(target, 'shop', 'orders')) === 500 ? true : undefined), 'rows copied', 30_000);
    const get = await kubectl('get', 'rj');
    expect(get.stdout).toMatch(/shop-sync\s+Running\s+IncrementalSync\s+100%/);
    const describe = await kubectl('describe', 'rj', 'shop-sync');
    expect(describe.stdout).toContain('PrecheckPassed');
    expect(describe.stdout).not.toContain('Repl-Sandbox-1');
    const cpc = await kubectl('get', 'cpc', 'local');
    expect(cpc.stdout).toMatch(/local\s+local\s+\S*\s*True/);

    const del = await kubectl('delete', 'rj', 'shop-sync', '--timeout=60s');
    expect(del.code, del.stderr).toBe(0);
    const { rows } = await source.query('SELECT slot_name FROM pg_replication_slots');
    expect(rows).toEqual([]);
  });
});
