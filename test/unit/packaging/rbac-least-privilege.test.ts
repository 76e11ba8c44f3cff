import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { API_GROUP, API_VERSION } from '../../../controller/src/api/group.ts';
import { startEmbeddedEngine } from '../../../controller/src/embedded-engine.ts';
import { createMetrics } from '../../../controller/src/observability/metrics.ts';
import { Operator, type OperatorSettings } from '../../../controller/src/operator.ts';
import { FakeProvider } from '../../support/fake-provider.ts';
import { startKubeApiServer, type KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { loadKubeConfig } from '../../support/kube-apiserver/kubeconfig.ts';
import { jobSpec, objects, quietLog } from '../../support/operator-harness.ts';
import { CRD_DIR, eventually } from '../../support/test-cluster.ts';
import { EMBEDDED_ENGINE_VALUES, RELEASE_NAMESPACE } from './chart-values.ts';
import { helmRunsHere, renderChart, type Manifest } from './helm.ts';
import { describeGrant, describeRequest, RbacAuthorizer, type Grant } from './rbac-authorizer.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';
import { renderedOperatorConfig, renderedServiceAccount } from './rendered-config.ts';

/**
 * Least privilege, proven by running the real operator: it talks to the Kubernetes API test
 * server through a recording proxy while it takes jobs through their lifecycle, and then every
 * request it made must be granted by the chart's rendered RBAC, and every grant must have been
 * used. Status-write conflicts are injected so the re-read paths (get) run too.
 */

const JOBS_NAMESPACE = 'orders';

/** The chart's own settings, with timings shortened so the test takes seconds. */
const FAST: Partial<OperatorSettings> = {
  leaseDurationMs: 3000,
  renewDeadlineMs: 2000,
  retryPeriodMs: 250,
  backoffBaseMs: 50,
  backoffMaxMs: 1000,
  globalQps: 1000,
  globalBurst: 1000,
  defaultPollIntervalMs: 1000,
  identity: 'rbac-test',
};

interface Scenario {
  server: KubeApiServer;
  proxy: RecordingProxy;
  authorizer: RbacAuthorizer;
  manifests: Manifest[];
}

async function withScenario(values: object, run: (s: Scenario) => Promise<void>): Promise<Scenario> {
  const server = await startKubeApiServer({ crdDir: CRD_DIR });
  const proxy = await startRecordingProxy(server.url);
  try {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    for (const name of [RELEASE_NAMESPACE, JOBS_NAMESPACE]) await core.createNamespace({ body: { metadata: { name } } });
    const manifests = await renderChart(values, { namespace: RELEASE_NAMESPACE });
    const scenario = { server, proxy, manifests, authorizer: new RbacAuthorizer(manifests, renderedServiceAccount(manifests)) };
    await run(scenario);
    return scenario;
  } finally {
    await proxy.close();
    await server.close();
  }
}

/** Create → pre-check → replicate (with a retried create, status conflicts, a cluster-wide config) → delete. */
async function jobLifecycle({ server, proxy, manifests }: Scenario): Promise<void> {
  const admin = server.kubeConfig();
  const api = objects(admin, JOBS_NAMESPACE);
  const custom = admin.makeApiClient(CustomObjectsApi);
  const fake = new FakeProvider();
  const settings = { ...renderedOperatorConfig(manifests), ...FAST };
  const operator = new Operator({ kubeConfig: loadKubeConfig(proxy.url), settings, providers: new Map([['local', fake.factory]]), log: quietLog, metrics: createMetrics() });
  const ticker = setInterval(() => fake.advance(), 100);
  const phase = async (name: string) => (await api.getJob(name)).status?.phase;
  const configReady = async (plural: string, name: string, namespace?: string) => {
    const ref = { group: API_GROUP, version: API_VERSION, plural, name };
    const config = (namespace ? await custom.getNamespacedCustomObject({ ...ref, namespace }) : await custom.getClusterCustomObject(ref)) as {
      status?: { conditions?: { type: string; status: string }[] };
    };
    return config.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  };
  try {
    await operator.start();
    await eventually(() => operator.isLeader, 'leadership through the chart-named Lease');
    // One conflict on each status write: the writer re-reads the object (get) and patches again.
    for (const path of [/\/providerconfigs\/local\/status$/, /\/clusterproviderconfigs\/shared\/status$/, /\/replicationjobs\/orders-to-dr\/status$/]) {
      server.faults.injectError({ method: 'PATCH', pathPattern: path, status: 409 });
    }
    await api.createSecret('db', { password: 'Sup3r-s3cret-pw' });
    await api.createProviderConfig('local', { provider: 'local' });
    await custom.createClusterCustomObject({
      group: API_GROUP,
      version: API_VERSION,
      plural: 'clusterproviderconfigs',
      body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'ClusterProviderConfig', metadata: { name: 'shared' }, spec: { provider: 'local' } },
    });
    // The same Warning twice: the second only bumps the first Event's count (events patch).
    fake.transientFailures.set('create', 2);
    await api.createJob('orders-to-dr', jobSpec());
    await eventually(async () => (await phase('orders-to-dr')) === 'IncrementalSync', 'orders-to-dr replicating');
    await api.createJob('via-cluster-config', jobSpec({ providerRef: { kind: 'ClusterProviderConfig', name: 'shared' } }));
    await eventually(async () => (await phase('via-cluster-config')) === 'IncrementalSync', 'via-cluster-config replicating');
    await eventually(() => configReady('providerconfigs', 'local', JOBS_NAMESPACE), 'ProviderConfig Ready');
    await eventually(() => configReady('clusterproviderconfigs', 'shared'), 'ClusterProviderConfig Ready');
    await api.deleteJob('orders-to-dr');
    await eventually(async () => api.getJob('orders-to-dr').then(() => false, (e: { code?: number }) => e.code === 404), 'finalizer removed after the provider job is gone');
    expect(server.faults.count({ verb: 'patch', resource: 'events' }), 'a repeated event was aggregated').toBeGreaterThan(0);
  } finally {
    clearInterval(ticker);
    // Stopping releases the Lease (get + update), as a rollout does.
    await operator.stop();
  }
}

function unusedGrants({ proxy, authorizer }: Scenario): Grant[] {
  const used = new Set(proxy.requests.flatMap((r) => authorizer.grantsFor(r)));
  return authorizer.grants.filter((g) => !used.has(g));
}

function expectNoWildcards(authorizer: RbacAuthorizer): void {
  for (const g of authorizer.grants) expect([g.verb, g.group, g.resource], describeGrant(g)).not.toContain('*');
}

describe.skipIf(!helmRunsHere)('chart RBAC against what the operator really calls', () => {
  it.each([
    ['all namespaces (ClusterRole)', {}],
    ['one watched namespace (Role there, ClusterRole only for ClusterProviderConfigs)', { watchNamespace: JOBS_NAMESPACE }],
  ])('%s: every request granted, every grant used, no wildcards', async (_, values) => {
    const scenario = await withScenario(values, jobLifecycle);
    const { proxy, authorizer } = scenario;
    expect(proxy.requests.length).toBeGreaterThan(20);
    expect(proxy.requests.filter((r) => !authorizer.allows(r)).map(describeRequest)).toEqual([]);
    expect(unusedGrants(scenario).map(describeGrant)).toEqual([]);
    expect(proxy.nonResourcePaths).toEqual([]);
    expectNoWildcards(authorizer);
    // Secrets are read-only, and spec is never written (no update of ReplicationJobs).
    const verbsOn = (resource: string) => new Set(authorizer.grants.filter((g) => g.resource === resource).map((g) => g.verb));
    expect([...verbsOn('secrets')].sort()).toEqual(['list', 'watch']);
    expect(verbsOn('replicationjobs').has('update')).toBe(false);
  });

  it('with embeddedEngine.enabled: the engine Secret and ClusterProviderConfig writes are granted, by name where RBAC allows, and used', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'drs-rbac-engine-'));
    const base = new RbacAuthorizer(await renderChart({}), renderedServiceAccount(await renderChart({})));
    const scenario = await withScenario(EMBEDDED_ENGINE_VALUES, async ({ proxy, manifests }) => {
      const namespace = renderedOperatorConfig(manifests).leaderElectionNamespace;
      // Twice: the first start creates both objects, a restart replaces them (409 → update).
      for (let start = 0; start < 2; start++) {
        const engine = await startEmbeddedEngine({ kubeConfig: loadKubeConfig(proxy.url), dataDir, listen: { host: '127.0.0.1', port: 0 }, namespace, log: quietLog });
        await engine.close();
      }
    }).finally(() => rm(dataDir, { recursive: true, force: true }));
    const { proxy, authorizer } = scenario;
    expect(proxy.requests.filter((r) => !authorizer.allows(r)).map(describeRequest)).toEqual([]);
    const baseGrants = new Set(base.grants.map(describeGrant));
    const engineGrants = authorizer.grants.filter((g) => !baseGrants.has(describeGrant(g)));
    expect(engineGrants.map(describeGrant).sort()).toEqual(
      [
        'create core/secrets in drs-system',
        'update core/secrets[drs-operator-local-engine] in drs-system',
        'create replication.drs-operator.io/clusterproviderconfigs in all namespaces',
        'update replication.drs-operator.io/clusterproviderconfigs[local] in all namespaces',
      ].sort(),
    );
    const used = new Set(proxy.requests.flatMap((r) => authorizer.grantsFor(r)));
    expect(engineGrants.filter((g) => !used.has(g)).map(describeGrant)).toEqual([]);
    expectNoWildcards(authorizer);
  });
});
