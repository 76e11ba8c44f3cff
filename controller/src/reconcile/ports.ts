import type { ReplicationJob, ProviderConfig, ClusterProviderConfig } from '../api/resources.ts';
import type { ReplicationJobStatus } from '../api/replication-job-status.ts';

/**
 * What the reconciler needs from Kubernetes, as interfaces. runtime/ implements them with
 * informer caches and client-node; tests may implement them however they like.
 */
export interface ClusterView {
  getJob(key: string): ReplicationJob | undefined;
  getProviderConfig(namespace: string, name: string): ProviderConfig | undefined;
  getClusterProviderConfig(name: string): ClusterProviderConfig | undefined;
  getSecret(namespace: string, name: string): SecretView | undefined;
}

export interface SecretView {
  resourceVersion: string;
  /** Decoded values by key. */
  data: Record<string, string>;
}

export interface JobWriter {
  /** Add our finalizer (resourceVersion-preconditioned); returns the updated object. */
  addFinalizer(job: ReplicationJob): Promise<ReplicationJob>;
  /** Remove only our finalizer entry (resourceVersion-preconditioned). */
  removeFinalizer(job: ReplicationJob): Promise<void>;
  /** Set annotations with a resourceVersion precondition: a conflict proves we acted on stale data. */
  setAnnotations(job: ReplicationJob, annotations: Record<string, string>): Promise<ReplicationJob>;
  /** Write status through the status subresource (conflicts retried by re-reading). */
  writeStatus(job: ReplicationJob, status: ReplicationJobStatus): Promise<ReplicationJob>;
  event(job: ReplicationJob, type: 'Normal' | 'Warning', reason: string, message: string): void;
}
