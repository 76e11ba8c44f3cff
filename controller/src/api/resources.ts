import type { z } from 'zod';
import { API_GROUP_VERSION } from './group.ts';
import { ClusterProviderConfigSpec, ProviderConfigSpec, ProviderConfigStatus } from './provider-config.ts';
import { ReplicationJobSpec } from './replication-job-spec.ts';
import { ReplicationJobStatus } from './replication-job-status.ts';

/**
 * The object envelopes. Metadata is the subset of metav1.ObjectMeta the operator reads; it is
 * declared here (not imported from client-node) so the pure planner depends on no I/O library.
 */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | Date;
  deletionTimestamp?: string | Date;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface Resource<Spec, Status> {
  apiVersion: typeof API_GROUP_VERSION | string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  status?: Status;
}

export type ReplicationJob = Resource<z.infer<typeof ReplicationJobSpec>, z.infer<typeof ReplicationJobStatus>>;
export type ProviderConfig = Resource<z.infer<typeof ProviderConfigSpec>, z.infer<typeof ProviderConfigStatus>>;
export type ClusterProviderConfig = Resource<z.infer<typeof ClusterProviderConfigSpec>, z.infer<typeof ProviderConfigStatus>>;
