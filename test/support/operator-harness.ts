import { CoreV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION } from '../../controller/src/api/group.ts';
import type { ReplicationJob } from '../../controller/src/api/resources.ts';
import { createMetrics } from '../../controller/src/observability/metrics.ts';
import { Operator, type OperatorSettings } from '../../controller/src/operator.ts';
import type { ProviderFactory } from '../../controller/src/reconcile/provider-accounts.ts';

const print = (level: string) => (obj: object, msg: string) => console.log(level, msg, JSON.stringify(obj));
/** Silent unless DRS_TEST_LOG=1 (then warnings and errors go to the test output). */
export const quietLog = process.env.DRS_TEST_LOG
  ? { debug() {}, info() {}, warn: print('WARN'), error: print('ERROR') }
  : { debug() {}, info() {}, warn() {}, error() {} };

export function operatorSettings(overrides: Partial<OperatorSettings> = {}): OperatorSettings {
  return {
    concurrency: 4,
    leaderElect: false,
    leaderElectionNamespace: 'default',
    leaderElectionId: 'drs-operator-test',
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 250,
    identity: 'test-operator',
    resyncPeriodMs: 10 * 60_000,
    watchdogTimeoutMs: 5 * 60_000,
    backoffBaseMs: 50,
    backoffMaxMs: 1000,
    globalQps: 1000,
    globalBurst: 1000,
    defaultPollIntervalMs: 1000,
    ...overrides,
  };
}

export function startOperator(kubeConfig: KubeConfig, providers: Map<string, ProviderFactory>, overrides: Partial<OperatorSettings> = {}) {
  const operator = new Operator({ kubeConfig, settings: operatorSettings(overrides), providers, log: quietLog, metrics: createMetrics() });
  return operator;
}

export type TestObjects = ReturnType<typeof objects>;

/** Thin typed helpers over client-node for the test objects. */
export function objects(kubeConfig: KubeConfig, namespace: string) {
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const base = { group: API_GROUP, version: API_VERSION, namespace };
  // client-node sends PATCH as a JSON patch unless told otherwise; tests write merge patches.
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  return {
    custom,
    core,
    createSecret: (name: string, data: Record<string, string>) => core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: data } }),
    replaceSecret: (name: string, data: Record<string, string>) =>
      core.replaceNamespacedSecret({ name, namespace, body: { metadata: { name, namespace }, stringData: data } }),
    createProviderConfig: (name: string, spec: object) =>
      custom.createNamespacedCustomObject({ ...base, plural: 'providerconfigs', body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'ProviderConfig', metadata: { name }, spec } }),
    createJob: (name: string, spec: object) =>
      custom.createNamespacedCustomObject({ ...base, plural: 'replicationjobs', body: { apiVersion: `${API_GROUP}/${API_VERSION}`, kind: 'ReplicationJob', metadata: { name }, spec } }),
    getJob: async (name: string) => (await custom.getNamespacedCustomObject({ ...base, plural: 'replicationjobs', name })) as ReplicationJob,
    deleteJob: (name: string) => custom.deleteNamespacedCustomObject({ ...base, plural: 'replicationjobs', name }),
    /** A JSON merge patch of the whole object: `{ spec: {...} }`, `{ metadata: { annotations } }`. */
    patchJob: (name: string, body: object) => custom.patchNamespacedCustomObject({ ...base, plural: 'replicationjobs', name, body }, mergePatch),
    replaceJob: (job: ReplicationJob) => custom.replaceNamespacedCustomObject({ ...base, plural: 'replicationjobs', name: job.metadata.name!, body: job }),
  };
}

export function jobSpec(overrides: object = {}) {
  return {
    providerRef: { kind: 'ProviderConfig', name: 'local' },
    type: 'sync',
    engine: 'postgresql',
    mode: 'fullAndIncremental',
    source: { host: '127.0.0.1', port: 5432, database: 'shop', user: 'repl', passwordSecretRef: { name: 'db', key: 'password' } },
    target: { host: '127.0.0.1', port: 5433, database: 'shop', user: 'repl', passwordSecretRef: { name: 'db', key: 'password' } },
    ...overrides,
  };
}
