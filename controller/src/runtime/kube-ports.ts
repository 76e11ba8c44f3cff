import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION, FINALIZER, KINDS } from '../api/group.ts';
import type { ReplicationJobStatus } from '../api/replication-job-status.ts';
import type { ClusterProviderConfig, ProviderConfig, ReplicationJob } from '../api/resources.ts';
import type { ClusterView, JobWriter, SecretView } from '../reconcile/ports.ts';
import type { EventRecorder } from './event-recorder.ts';
import { addFinalizer, removeFinalizer } from './finalizers.ts';
import type { Informer } from './informer.ts';
import { ResourceClient } from './resource-client.ts';
import { StatusWriter } from './status-writer.ts';

/** The reconciler's ports over informer caches (reads) and client-node (writes). */
export class KubePorts implements ClusterView, JobWriter {
  readonly #jobs: Informer<ReplicationJob>;
  readonly #configs: Informer<ProviderConfig>;
  readonly #clusterConfigs: Informer<ClusterProviderConfig>;
  readonly #secrets: Informer<V1Secret>;
  readonly #client: ResourceClient<ReplicationJob>;
  readonly #status: StatusWriter<ReplicationJob>;
  readonly #events: EventRecorder;

  constructor(options: {
    kubeConfig: KubeConfig;
    jobs: Informer<ReplicationJob>;
    configs: Informer<ProviderConfig>;
    clusterConfigs: Informer<ClusterProviderConfig>;
    secrets: Informer<V1Secret>;
    events: EventRecorder;
  }) {
    this.#jobs = options.jobs;
    this.#configs = options.configs;
    this.#clusterConfigs = options.clusterConfigs;
    this.#secrets = options.secrets;
    this.#events = options.events;
    this.#client = new ResourceClient<ReplicationJob>(options.kubeConfig, { group: API_GROUP, version: API_VERSION, plural: KINDS.ReplicationJob.plural });
    this.#status = new StatusWriter(this.#client);
  }

  getJob(key: string): ReplicationJob | undefined {
    const [namespace, name] = splitKey(key);
    return this.#jobs.get(name, namespace);
  }
  getProviderConfig(namespace: string, name: string) {
    return this.#configs.get(name, namespace);
  }
  getClusterProviderConfig(name: string) {
    return this.#clusterConfigs.get(name);
  }
  getSecret(namespace: string, name: string): SecretView | undefined {
    const secret = this.#secrets.get(name, namespace);
    if (!secret) return undefined;
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(secret.data ?? {})) data[k] = Buffer.from(v, 'base64').toString('utf8');
    return { resourceVersion: secret.metadata?.resourceVersion ?? '', data };
  }

  addFinalizer(job: ReplicationJob) {
    return addFinalizer(this.#client, job, FINALIZER);
  }
  async removeFinalizer(job: ReplicationJob) {
    await removeFinalizer(this.#client, job, FINALIZER);
  }
  setAnnotations(job: ReplicationJob, annotations: Record<string, string>) {
    return this.#client.mergePatch(refOf(job), { metadata: { resourceVersion: job.metadata.resourceVersion, annotations } });
  }
  writeStatus(job: ReplicationJob, status: ReplicationJobStatus) {
    return this.#status.write(job, status);
  }
  event(job: ReplicationJob, type: 'Normal' | 'Warning', reason: string, message: string) {
    this.#events.record({ apiVersion: job.apiVersion, kind: job.kind, metadata: job.metadata }, type, reason, message);
  }
}

export function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i) || undefined, key.slice(i + 1)];
}

const refOf = (job: ReplicationJob) => ({ name: job.metadata.name ?? '', ...(job.metadata.namespace ? { namespace: job.metadata.namespace } : {}) });
