import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { startKubeApiServer } from '../../support/kube-apiserver/index.ts';
import { hasKubectl } from '../../support/kubectl.ts';
import { healthLua } from './argocd-health-lua.ts';
import { findManifest, helmRunsHere, renderChart, ROOT } from './helm.ts';

interface Application {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: {
    project: string;
    source: { repoURL: string; targetRevision: string; path: string; helm?: { releaseName?: string; valuesObject?: object } };
    destination: { server: string; namespace: string };
    syncPolicy?: { automated?: { prune?: boolean; selfHeal?: boolean }; syncOptions?: string[] };
    ignoreDifferences?: unknown[];
  };
}

const applications = parseAllDocuments(readFileSync(join(ROOT, 'argocd', 'application.yaml'), 'utf8')).map((d) => d.toJS() as Application);
const byName = (name: string) => applications.find((a) => a.metadata.name === name)!;

describe('argocd/application.yaml', () => {
  it('declares the operator chart Application and a ReplicationJobs Application', () => {
    expect(applications.map((a) => `${a.apiVersion} ${a.kind} ${a.metadata.namespace}/${a.metadata.name}`)).toEqual([
      'argoproj.io/v1alpha1 Application argocd/drs-operator',
      'argoproj.io/v1alpha1 Application argocd/orders-replication',
    ]);
    const chart = byName('drs-operator');
    expect(existsSync(join(ROOT, chart.spec.source.path, 'Chart.yaml')), chart.spec.source.path).toBe(true);
    expect(chart.spec.syncPolicy?.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
  });

  it('never needs ignoreDifferences, and does not prune ReplicationJobs (pruning deletes provider jobs)', () => {
    for (const app of applications) expect(app.spec.ignoreDifferences, app.metadata.name).toBeUndefined();
    expect(byName('orders-replication').spec.syncPolicy?.automated).toEqual({ prune: false, selfHeal: true });
  });

  it.skipIf(!helmRunsHere)('renders the chart with its helm values (they pass values.schema.json)', async () => {
    const chart = byName('drs-operator');
    const manifests = await renderChart(chart.spec.source.helm!.valuesObject!, { release: chart.spec.source.helm!.releaseName!, namespace: chart.spec.destination.namespace });
    expect(findManifest(manifests, 'Deployment', 'drs-operator').metadata.namespace).toBe('drs-system');
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['ServiceMonitor', 'PrometheusRule']));
  });
});

describe.skipIf(!hasKubectl)('argocd/argocd-cm.yaml with the real kubectl', () => {
  it('patches into an existing argocd-cm, keeping its other keys, as the docs say', async () => {
    const server = await startKubeApiServer();
    try {
      const core = server.kubeConfig().makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: 'argocd' } } });
      await core.createNamespacedConfigMap({ namespace: 'argocd', body: { metadata: { name: 'argocd-cm' }, data: { url: 'https://argocd.example.com' } } });
      const dir = await mkdtemp(join(tmpdir(), 'drs-argocd-cm-'));
      const kubeconfig = await server.writeKubeconfig(join(dir, 'kubeconfig'));
      const result = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(
          'kubectl',
          ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '-n', 'argocd', 'patch', 'configmap', 'argocd-cm', '--patch-file', join(ROOT, 'argocd', 'argocd-cm.yaml')],
          { timeout: 30_000 },
          (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
        ),
      );
      expect(result.code, result.stderr).toBe(0);
      const cm = await core.readNamespacedConfigMap({ namespace: 'argocd', name: 'argocd-cm' });
      expect(cm.data).toEqual({ url: 'https://argocd.example.com', 'resource.customizations.health.replication.drs-operator.io_ReplicationJob': healthLua() });
    } finally {
      await server.close();
    }
  });
});
