import { FINALIZER } from '../../controller/src/api/group.ts';
import type { ReplicationJobStatus } from '../../controller/src/api/replication-job-status.ts';
import type { ClusterProviderConfig, ProviderConfig, ReplicationJob } from '../../controller/src/api/resources.ts';
import { ReconcileError } from '../../controller/src/reconcile/errors.ts';
import type { ClusterView, JobWriter, SecretView } from '../../controller/src/reconcile/ports.ts';

/**
 * The reconciler's Kubernetes ports backed by plain maps, with resourceVersion preconditions,
 * for fast reconciler unit tests. The integration tests use the real API test server instead.
 */
export class MemoryCluster implements ClusterView, JobWriter {
  readonly jobs = new Map<string, ReplicationJob>();
  readonly providerConfigs = new Map<string, ProviderConfig>();
  readonly clusterProviderConfigs = new Map<string, ClusterProviderConfig>();
  readonly secrets = new Map<string, SecretView>();
  readonly events: { type: string; reason: string; message: string }[] = [];
  /** setAnnotations calls (each one a PATCH on a real cluster). */
  annotationWrites = 0;
  readonly statusWrites: ReplicationJobStatus[] = [];
  #rv = 1;

  putJob(job: ReplicationJob): ReplicationJob {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    const stored = structuredClone({ ...job, metadata: { generation: 1, uid: `uid-${job.metadata.name}`, ...job.metadata, resourceVersion: String(this.#rv++) } });
    this.jobs.set(key, stored);
    return stored;
  }

  putSecret(namespace: string, name: string, data: Record<string, string>): void {
    this.secrets.set(`${namespace}/${name}`, { resourceVersion: String(this.#rv++), data });
  }

  getJob(key: string) {
    const job = this.jobs.get(key);
    return job ? structuredClone(job) : undefined;
  }
  getProviderConfig(namespace: string, name: string) {
    return this.providerConfigs.get(`${namespace}/${name}`);
  }
  getClusterProviderConfig(name: string) {
    return this.clusterProviderConfigs.get(name);
  }
  getSecret(namespace: string, name: string) {
    return this.secrets.get(`${namespace}/${name}`);
  }

  #update(job: ReplicationJob, change: (stored: ReplicationJob) => void): ReplicationJob {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    const stored = this.jobs.get(key);
    if (!stored) throw new ReconcileError('NotFound', `${key} not found`);
    if (stored.metadata.resourceVersion !== job.metadata.resourceVersion) throw new ReconcileError('Conflict', `${key} was modified`);
    change(stored);
    stored.metadata.resourceVersion = String(this.#rv++);
    return structuredClone(stored);
  }

  async addFinalizer(job: ReplicationJob) {
    return this.#update(job, (s) => {
      s.metadata.finalizers = [...(s.metadata.finalizers ?? []), FINALIZER];
    });
  }
  async removeFinalizer(job: ReplicationJob) {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    const updated = this.#update(job, (s) => {
      s.metadata.finalizers = (s.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    });
    if (updated.metadata.deletionTimestamp && (updated.metadata.finalizers ?? []).length === 0) this.jobs.delete(key);
  }
  async setAnnotations(job: ReplicationJob, annotations: Record<string, string>) {
    this.annotationWrites++;
    return this.#update(job, (s) => {
      s.metadata.annotations = { ...s.metadata.annotations, ...annotations };
    });
  }
  async writeStatus(job: ReplicationJob, status: ReplicationJobStatus) {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    const stored = this.jobs.get(key);
    if (!stored) throw new ReconcileError('NotFound', `${key} not found`);
    // Like the real status writer: no precondition, last status wins.
    stored.status = structuredClone(status);
    stored.metadata.resourceVersion = String(this.#rv++);
    this.statusWrites.push(structuredClone(status));
    return structuredClone(stored);
  }
  event(_job: ReplicationJob, type: 'Normal' | 'Warning', reason: string, message: string) {
    this.events.push({ type, reason, message });
  }

  markDeleted(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    if ((job.metadata.finalizers ?? []).length === 0) this.jobs.delete(key);
    else job.metadata.deletionTimestamp = new Date().toISOString();
  }
}
