import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { API_GROUP, API_VERSION } from '../../controller/src/api/group.ts';
import type { Operator } from '../../controller/src/operator.ts';
import { FakeProvider } from '../support/fake-provider.ts';
import { hasKubectl, runKubectl } from '../support/kubectl.ts';
import { objects, startOperator } from '../support/operator-harness.ts';
import { eventually, startTestCluster, type TestCluster } from '../support/test-cluster.ts';
import { argoHealth } from '../unit/packaging/argocd-health-lua.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * GitOps, as Argo CD or Flux sees it: a manifest from git applied with the real kubectl, the
 * operator reconciling it to a replicating job, and then the same manifest compared with the
 * live object. `kubectl diff` (a server-side dry-run apply) must find nothing to change: the
 * operator wrote status, a finalizer and its own annotations, never spec, and the CRD
 * defaulted nothing.
 */
describe.skipIf(!hasKubectl)('GitOps: a synced ReplicationJob stays in sync', () => {
  let cluster: TestCluster;
  let operator: Operator;
  let fake: FakeProvider;
  let ticker: NodeJS.Timeout;
  let dir = '';
  let kubeconfig = '';
  let manifest = '';
  let createdProviderConfig = false;

  const kubectl = (...args: string[]) => runKubectl(kubeconfig, args, { cacheDir: join(dir, 'cache') });

  beforeAll(async () => {
    cluster = await startTestCluster('drs-gitops');
    dir = await mkdtemp(join(tmpdir(), 'drs-gitops-'));
    kubeconfig = cluster.server ? await cluster.server.writeKubeconfig(join(dir, 'kubeconfig')) : (process.env.KUBECONFIG ?? join(homedir(), '.kube', 'config'));
    fake = new FakeProvider();
    // The fake stands in for the built-in engine behind ClusterProviderConfig "local".
    operator = startOperator(cluster.kubeConfig, new Map([['local', fake.factory]]), { namespace: cluster.namespace });
    await operator.start();
    ticker = setInterval(() => fake.advance(), 100);
    await objects(cluster.kubeConfig, cluster.namespace)
      .custom.createClusterCustomObject({
        group: API_GROUP,
        version: API_VERSION,
        plural: 'clusterproviderconfigs',
        body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'ClusterProviderConfig', metadata: { name: 'local' }, spec: { provider: 'local' } },
      })
      .then(
        () => (createdProviderConfig = true),
        (error: { code?: number }) => {
          if (error.code !== 409) throw error;
        },
      );

    // The example as a user commits it, in this test's namespace.
    const docs = parseAllDocuments(await readFile(join(root, 'examples', 'postgres-sync.yaml'), 'utf8')).map((d) => d.toJS());
    for (const doc of docs) doc.metadata.namespace = cluster.namespace;
    manifest = join(dir, 'shop-sync.yaml');
    await writeFile(manifest, docs.map((d) => stringify(d)).join('---\n'));
  });

  afterAll(async () => {
    // The job first, while the operator (and the fake's clock) still runs, so its finalizer comes
    // off once the provider job is deleted; then its Secret.
    if (manifest) {
      await kubectl('delete', 'replicationjob', 'shop-sync', '-n', cluster.namespace, '--ignore-not-found', '--timeout=30s');
      await kubectl('delete', '-f', manifest, '--ignore-not-found', '--wait=false');
    }
    clearInterval(ticker);
    await operator?.stop();
    if (createdProviderConfig) {
      const custom = objects(cluster.kubeConfig, cluster.namespace).custom;
      await custom.deleteClusterCustomObject({ group: API_GROUP, version: API_VERSION, plural: 'clusterproviderconfigs', name: 'local' }).catch(() => {});
    }
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('kubectl apply, reconcile to IncrementalSync, then kubectl diff reports no difference (exit 0)', async () => {
    const apply = await kubectl('apply', '-f', manifest);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('replicationjob.replication.drs-operator.io/shop-sync created');

    const live = await eventually(
      async () => {
        const got = await kubectl('get', 'rj', 'shop-sync', '-n', cluster.namespace, '-o', 'json');
        const job = JSON.parse(got.stdout || '{}');
        const ready = job.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
        return job.status?.phase === 'IncrementalSync' && ready?.status === 'True' && job.status.observedGeneration === job.metadata.generation ? job : undefined;
      },
      'the operator reports the job replicating',
      30_000,
    );
    // The operator has written to the object: status, its finalizer, its create annotations.
    expect(live.metadata.finalizers).toContain('replication.drs-operator.io/finalizer');
    expect(Object.keys(live.metadata.annotations)).toContain('replication.drs-operator.io/create-succeeded');
    expect(live.metadata.generation).toBe(1);

    const diff = await kubectl('diff', '-f', manifest);
    expect(diff.stderr).toBe('');
    expect(diff.stdout).toBe('');
    expect(diff.code).toBe(0);

    // Argo CD's view of the same live object, through argocd/health.lua.
    expect(await argoHealth(live)).toMatchObject({ status: 'Healthy' });
  });

  it('kubectl diff does see a change made in git (the check above is not vacuous)', async () => {
    const edited = join(dir, 'shop-sync-edited.yaml');
    await writeFile(edited, (await readFile(manifest, 'utf8')).replace('description: shop database to the reporting server', 'description: shop database to the new reporting server'));
    const diff = await kubectl('diff', '-f', edited);
    expect(diff.code, diff.stderr).toBe(1);
    expect(diff.stdout).toMatch(/^-\s+description: shop database to the reporting server$/m);
    expect(diff.stdout).toMatch(/^\+\s+description: shop database to the new reporting server$/m);
  });
});
