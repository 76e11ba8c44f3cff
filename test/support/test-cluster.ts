import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiextensionsV1Api, CoreV1Api, KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { startKubeApiServer, type KubeApiServer } from './kube-apiserver/index.ts';

export const CRD_DIR = join(import.meta.dirname, '..', '..', 'crds');

/**
 * Where integration tests run: the in-process Kubernetes API test server by default, or a real
 * cluster when `npm run test:cluster` sets DRS_TEST_CLUSTER=1 (KUBECONFIG must point at it).
 * Tests that need fault injection skip on a real cluster.
 */
export interface TestCluster {
  kubeConfig: KubeConfig;
  /** The test server, when not on a real cluster (fault injection, request counters). */
  server?: KubeApiServer;
  /** A fresh namespace for one test file, deleted on close when the cluster is real. */
  namespace: string;
  close(): Promise<void>;
}

export const onRealCluster = process.env.DRS_TEST_CLUSTER === '1';

export async function startTestCluster(namespace: string): Promise<TestCluster> {
  if (!onRealCluster) {
    const server = await startKubeApiServer({ crdDir: CRD_DIR });
    const kubeConfig = server.kubeConfig();
    await ensureNamespace(kubeConfig, namespace);
    return { kubeConfig, server, namespace, close: () => server.close() };
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  await applyCrds(kubeConfig);
  await ensureNamespace(kubeConfig, namespace);
  return {
    kubeConfig,
    namespace,
    close: async () => {
      await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => {});
    },
  };
}

async function ensureNamespace(kubeConfig: KubeConfig, name: string): Promise<void> {
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } })
    .catch((error: { code?: number }) => {
      if (error.code !== 409) throw error;
    });
}

async function applyCrds(kubeConfig: KubeConfig): Promise<void> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  for (const file of (await readdir(CRD_DIR)).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(await readFile(join(CRD_DIR, file), 'utf8'))) {
      const crd = doc.toJS() as V1CustomResourceDefinition;
      try {
        const existing = await api.readCustomResourceDefinition({ name: crd.metadata!.name! });
        await api.replaceCustomResourceDefinition({ name: crd.metadata!.name!, body: { ...crd, metadata: { ...crd.metadata, resourceVersion: existing.metadata!.resourceVersion! } } });
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
        await api.createCustomResourceDefinition({ body: crd });
      }
    }
  }
}

/** Poll until `check` returns a value (not undefined/false), or fail with what was last seen. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
