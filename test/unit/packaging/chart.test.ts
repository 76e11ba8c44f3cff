import { CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { startKubeApiServer } from '../../support/kube-apiserver/index.ts';
import { CRD_DIR } from '../../support/test-cluster.ts';
import { CUSTOM_VALUES, EMBEDDED_ENGINE_VALUES, RELEASE_NAMESPACE } from './chart-values.ts';
import { findManifest, helm, helmRunsHere, lintChart, renderChart, renderNotes, templateChart, type Manifest } from './helm.ts';
import { renderedOperatorConfig as operatorConfig } from './rendered-config.ts';

const kindsAndNames = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();

describe.skipIf(!helmRunsHere)('Helm chart charts/drs-operator (real helm)', () => {
  it('is helm v3 from the kubectl layer', async () => {
    const version = await helm(['version', '--short']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^v3\.\d+\.\d+/);
  });

  it('passes helm lint --strict with default and non-default values', async () => {
    for (const values of [{}, CUSTOM_VALUES, EMBEDDED_ENGINE_VALUES]) {
      const lint = await lintChart(values);
      expect(lint.code, `${lint.stdout}\n${lint.stderr}`).toBe(0);
      expect(lint.stdout).toContain('0 chart(s) failed');
    }
  });

  it('renders the default install: two leader-elected replicas, metrics Service, PDB, RBAC; no optional objects', async () => {
    const manifests = await renderChart();
    expect(kindsAndNames(manifests)).toEqual([
      `ClusterRole/${RELEASE_NAMESPACE}-drs-drs-operator`,
      `ClusterRoleBinding/${RELEASE_NAMESPACE}-drs-drs-operator`,
      'Deployment/drs-drs-operator',
      'PodDisruptionBudget/drs-drs-operator',
      'Role/drs-drs-operator',
      'RoleBinding/drs-drs-operator',
      'Service/drs-drs-operator-metrics',
      'ServiceAccount/drs-drs-operator',
    ]);
    for (const m of manifests.filter((m) => !m.kind.startsWith('Cluster'))) expect(m.metadata.namespace, `${m.kind}`).toBe(RELEASE_NAMESPACE);
    const deployment = findManifest(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(2);
    expect(findManifest(manifests, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1, selector: deployment.spec.selector });
    const config = operatorConfig(manifests);
    expect(config).toMatchObject({ leaderElect: true, leaderElectionNamespace: RELEASE_NAMESPACE, leaderElectionId: 'drs-drs-operator-leader', embeddedEngine: false });
    expect(config.namespace).toBeUndefined();
  });

  it('runs the image non-root with a restricted security context, probes on /healthz and /readyz, and resources', async () => {
    for (const values of [{}, CUSTOM_VALUES, EMBEDDED_ENGINE_VALUES]) {
      const pod = findManifest(await renderChart(values), 'Deployment').spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers).toHaveLength(1);
      const container = pod.containers[0];
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        privileged: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.hostNetwork ?? false).toBe(false);
      const healthPort = container.ports.find((p: { name: string }) => p.name === 'health').containerPort;
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
      expect(operatorConfig([findManifest(await renderChart(values), 'Deployment')]).healthBindAddress.port).toBe(healthPort);
      expect(container.resources.requests).toHaveProperty('memory');
      expect(container.resources.limits).toHaveProperty('memory');
      // A read-only root filesystem still gets a writable /tmp.
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  });

  it('passes only flags the operator accepts, and each matches the value it came from', async () => {
    const manifests = await renderChart(CUSTOM_VALUES);
    const config = operatorConfig(manifests);
    expect(config).toMatchObject({
      namespace: 'orders',
      shardSelector: 'shard=a',
      concurrency: 16,
      logLevel: 'debug',
      leaderElect: true,
      leaderElectionNamespace: RELEASE_NAMESPACE,
      leaderElectionId: 'drs-shard-a',
      leaseDurationMs: 30_000,
      renewDeadlineMs: 20_000,
      retryPeriodMs: 4_000,
      defaultPollIntervalMs: 60_000,
      resyncPeriodMs: 30 * 60_000,
      watchdogTimeoutMs: 10 * 60_000,
      backoffBaseMs: 2_000,
      backoffMaxMs: 10 * 60_000,
      globalQps: 2.5,
      globalBurst: 20,
      metricsBindAddress: { host: '0.0.0.0', port: 9090 },
      healthBindAddress: { host: '0.0.0.0', port: 9091 },
    });
    const container = findManifest(manifests, 'Deployment').spec.template.spec.containers[0];
    expect(container.ports).toEqual([
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'health', containerPort: 9091, protocol: 'TCP' },
    ]);
    expect(findManifest(manifests, 'Service').spec.ports).toEqual([{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);

    const engine = operatorConfig(await renderChart(EMBEDDED_ENGINE_VALUES));
    expect(engine).toMatchObject({ embeddedEngine: true, engineDataDir: '/var/lib/drs-operator/engine' });
  });

  it('uses the image by digest, by tag, or by the chart appVersion', async () => {
    const image = async (values: object) => findManifest(await renderChart(values), 'Deployment').spec.template.spec.containers[0].image;
    expect(await image({})).toBe('ghcr.io/drs-operator/drs-operator:0.1.0');
    expect(await image({ image: { repository: 'r.example.com/drs', tag: '1.2.3', pullPolicy: 'IfNotPresent' } })).toBe('r.example.com/drs:1.2.3');
    expect(await image(CUSTOM_VALUES)).toBe(`registry.example.com/platform/drs-operator@sha256:${'ab'.repeat(32)}`);
    // The embedded engine needs pg_dump: the runtime-engine image, by default the operator's tag + -engine.
    expect(await image(EMBEDDED_ENGINE_VALUES)).toBe('ghcr.io/drs-operator/drs-operator:0.1.0-engine');
    expect(await image({ ...EMBEDDED_ENGINE_VALUES, image: { repository: 'r.example.com/drs', tag: '1.2.3', pullPolicy: 'IfNotPresent' } })).toBe('r.example.com/drs:1.2.3-engine');
    expect(await image({ ...EMBEDDED_ENGINE_VALUES, embeddedEngine: { enabled: true, image: { repository: 'r.example.com/drs-engine', tag: 'pg17' } } })).toBe('r.example.com/drs-engine:pg17');
    expect(await image({ ...EMBEDDED_ENGINE_VALUES, embeddedEngine: { enabled: true, image: { digest: `sha256:${'cd'.repeat(32)}` } } })).toBe(`ghcr.io/drs-operator/drs-operator@sha256:${'cd'.repeat(32)}`);
  });

  it('renders the optional objects when asked: ServiceMonitor keeping job labels, PrometheusRule, default ClusterProviderConfig', async () => {
    const manifests = await renderChart(CUSTOM_VALUES);
    const monitor = findManifest(manifests, 'ServiceMonitor');
    expect(monitor.metadata.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '5s', honorLabels: true }]);
    expect(monitor.spec.selector.matchLabels).toEqual(findManifest(manifests, 'Service').spec.selector);

    const rules = findManifest(manifests, 'PrometheusRule').spec.groups.flatMap((g: { rules: { alert: string; expr: string; for: string }[] }) => g.rules);
    expect(rules.find((r: { alert: string }) => r.alert === 'ReplicationDelayHigh')).toMatchObject({ expr: expect.stringContaining('> 120'), for: '5m' });

    const cpc = findManifest(manifests, 'ClusterProviderConfig', 'huawei-prod');
    // The Secret's namespace defaults to the release namespace (a ClusterProviderConfig must name one).
    expect(cpc.spec).toEqual({ ...CUSTOM_VALUES.defaultProviderConfig.spec, credentialsSecretRef: { name: 'huawei-aksk', namespace: RELEASE_NAMESPACE } });
    expect(cpc.metadata.namespace).toBeUndefined();

    const pod = findManifest(manifests, 'Deployment').spec.template.spec;
    expect(pod).toMatchObject({
      serviceAccountName: 'replication',
      priorityClassName: 'system-cluster-critical',
      imagePullSecrets: [{ name: 'registry-creds' }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    });
    expect(findManifest(manifests, 'ServiceAccount').metadata).toMatchObject({ name: 'replication', annotations: CUSTOM_VALUES.serviceAccount.annotations });
  });

  it('runs the embedded engine as one replica, recreated (never two pods on one job store), with its data on the claim', async () => {
    const manifests = await renderChart(EMBEDDED_ENGINE_VALUES);
    const deployment = findManifest(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'engine-data', persistentVolumeClaim: { claimName: 'drs-engine-data' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'engine-data', mountPath: '/var/lib/drs-operator/engine' });
    // One replica: a PDB would only block node drains.
    expect(manifests.some((m) => m.kind === 'PodDisruptionBudget')).toBe(false);
  });

  it('rejects bad values through values.schema.json, naming the value', async () => {
    const cases: [string, object, RegExp][] = [
      ['unknown top-level key', { replicas: 2 }, /replicas/],
      ['replicaCount as text', { replicaCount: 'two' }, /replicaCount/],
      ['zero replicas', { replicaCount: 0 }, /replicaCount/],
      ['several replicas without leader election', { replicaCount: 2, leaderElection: { enabled: false } }, /leaderElection/],
      ['embedded engine with two replicas', { embeddedEngine: { enabled: true } }, /replicaCount/],
      ['log level', { operator: { logLevel: 'verbose' } }, /logLevel/],
      ['duration without unit', { operator: { resyncPeriod: '600' } }, /resyncPeriod/],
      ['concurrency out of range', { operator: { concurrency: 1000 } }, /concurrency/],
      ['pull policy', { image: { pullPolicy: 'Sometimes' } }, /pullPolicy/],
      ['digest', { image: { digest: 'latest' } }, /digest/],
      ['engine image tag', { embeddedEngine: { enabled: false, image: { tag: 'has space' } } }, /tag/],
      ['port', { metrics: { port: 70000 } }, /port/],
      ['namespace name', { watchNamespace: 'Orders_NS' }, /watchNamespace/],
      ['unknown provider', { defaultProviderConfig: { enabled: true, spec: { provider: 'aws-dms' } } }, /provider/],
      ['default provider config without provider', { defaultProviderConfig: { enabled: true, spec: { region: 'x' } } }, /provider/],
      ['unknown operator setting', { operator: { workers: 3 } }, /workers/],
    ];
    for (const [what, values, message] of cases) {
      const lint = await lintChart(values);
      expect(lint.code, what).not.toBe(0);
      expect(`${lint.stdout}${lint.stderr}`, what).toMatch(message);
    }
  });

  it('refuses value combinations the schema cannot express, saying what to change', async () => {
    // helm lint only logs a template's fail; install and template (like this) stop on it.
    const samePort = await templateChart({ metrics: { port: 8081 } });
    expect(samePort.code).not.toBe(0);
    expect(samePort.stdout + samePort.stderr).toContain('metrics.port and health.port must differ');
    const engineElsewhere = await templateChart({ ...EMBEDDED_ENGINE_VALUES, watchNamespace: 'orders' });
    expect(engineElsewhere.code).not.toBe(0);
    expect(engineElsewhere.stdout + engineElsewhere.stderr).toContain('embeddedEngine.enabled writes its credentials Secret');
  });

  it('renders a default ClusterProviderConfig the API server accepts (validated against the CRD)', async () => {
    const cpc = findManifest(await renderChart(CUSTOM_VALUES), 'ClusterProviderConfig');
    const server = await startKubeApiServer({ crdDir: CRD_DIR });
    try {
      const api = server.kubeConfig().makeApiClient(CustomObjectsApi);
      const created = (await api.createClusterCustomObject({ group: 'replication.drs-operator.io', version: 'v1alpha1', plural: 'clusterproviderconfigs', body: cpc })) as Manifest;
      expect(created.spec).toEqual(cpc.spec);
      const invalid = findManifest(await renderChart({ defaultProviderConfig: { enabled: true, spec: { provider: 'huawei-drs', requestsPerSecond: 0 } } }), 'ClusterProviderConfig');
      await expect(api.createClusterCustomObject({ group: 'replication.drs-operator.io', version: 'v1alpha1', plural: 'clusterproviderconfigs', body: invalid })).rejects.toMatchObject({ code: 422 });
    } finally {
      await server.close();
    }
  });

  it('prints NOTES that say what was installed and how to upgrade the CRDs', async () => {
    const notes = await renderNotes();
    expect(notes).toContain('kubectl -n drs-system rollout status deployment/drs-drs-operator');
    expect(notes).toContain('leader Lease drs-drs-operator-leader');
    expect(notes).toContain('kubectl apply --server-side --force-conflicts -f drs-operator/crds/');
    expect(notes).not.toContain('embedded engine');
    const engine = await renderNotes({ ...EMBEDDED_ENGINE_VALUES, embeddedEngine: { enabled: true }, defaultProviderConfig: { enabled: true, name: 'local-pg', spec: { provider: 'local' } } });
    expect(engine).toContain('ClusterProviderConfig local-pg was created');
    expect(engine).toContain('Its job store is an emptyDir');
    expect(await renderNotes(CUSTOM_VALUES)).toContain('It reconciles ReplicationJobs in namespace orders labelled shard=a.');
  });
});
