import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { startEngine, type Engine } from '../../engine/src/engine.ts';
import { API_GROUP, API_VERSION, KINDS } from './api/group.ts';
import type { BindAddress } from './config-values.ts';

/** Name of the ClusterProviderConfig (and its credentials Secret) pointing at the embedded engine. */
export const LOCAL_PROVIDER_CONFIG = 'local';
export const LOCAL_ENGINE_SECRET = 'drs-operator-local-engine';

/**
 * --embedded-engine: run the built-in PostgreSQL engine in this process and point a
 * ClusterProviderConfig named `local` at it, so ReplicationJobs work without any cloud account.
 * Credentials are fresh each start (the engine only listens where this process can reach it);
 * they live in a Secret in the operator's namespace, never in the ClusterProviderConfig.
 */
export async function startEmbeddedEngine(options: {
  kubeConfig: KubeConfig;
  dataDir: string;
  listen: BindAddress;
  namespace: string;
  log: { info(obj: object, msg: string): void };
}): Promise<Engine> {
  await mkdir(options.dataDir, { recursive: true });
  const credentials = { accessKey: 'drs-operator-local', secretKey: randomBytes(24).toString('base64url') };
  const engine = await startEngine({ dataDir: options.dataDir, credentials, executor: 'postgres', listen: options.listen, admin: false });
  await upsertSecret(options.kubeConfig, options.namespace, credentials);
  await upsertLocalProviderConfig(options.kubeConfig, engine.url, options.namespace);
  options.log.info({ url: engine.url, dataDir: options.dataDir, providerConfig: `ClusterProviderConfig/${LOCAL_PROVIDER_CONFIG}` }, 'embedded engine serving');
  return engine;
}

async function upsertSecret(kubeConfig: KubeConfig, namespace: string, credentials: { accessKey: string; secretKey: string }): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const body = {
    metadata: { name: LOCAL_ENGINE_SECRET, namespace, labels: { 'app.kubernetes.io/managed-by': 'drs-operator' } },
    type: 'Opaque',
    stringData: credentials,
  };
  try {
    await core.createNamespacedSecret({ namespace, body });
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
    await core.replaceNamespacedSecret({ name: LOCAL_ENGINE_SECRET, namespace, body });
  }
}

async function upsertLocalProviderConfig(kubeConfig: KubeConfig, url: string, namespace: string): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const ref = { group: API_GROUP, version: API_VERSION, plural: KINDS.ClusterProviderConfig.plural };
  const spec = { provider: 'local', endpoint: url, credentialsSecretRef: { name: LOCAL_ENGINE_SECRET, namespace }, pollIntervals: { active: '2s', steady: '10s' } };
  const body = {
    apiVersion: `${API_GROUP}/${API_VERSION}`,
    kind: KINDS.ClusterProviderConfig.kind,
    metadata: { name: LOCAL_PROVIDER_CONFIG, labels: { 'app.kubernetes.io/managed-by': 'drs-operator' } },
    spec,
  };
  try {
    await api.createClusterCustomObject({ ...ref, body });
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
    const current = (await api.getClusterCustomObject({ ...ref, name: LOCAL_PROVIDER_CONFIG })) as { metadata: { resourceVersion: string } };
    await api.replaceClusterCustomObject({ ...ref, name: LOCAL_PROVIDER_CONFIG, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } } });
  }
}
