import type { z } from 'zod';
import { CATEGORY, KINDS, type KindName } from './group.ts';
import { ClusterProviderConfigSpec, ProviderConfigSpec, ProviderConfigStatus } from './provider-config.ts';
import { ReplicationJobSpec } from './replication-job-spec.ts';
import { ReplicationJobStatus } from './replication-job-status.ts';

/** What the CRD generator needs to know about each kind beyond its schemas. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  priority?: number;
}

export interface CrdDefinition {
  kind: KindName;
  description: string;
  spec: z.ZodType;
  status: z.ZodType;
  printerColumns: PrinterColumn[];
}

const ready: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Whether the resource is ready.',
};
const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'Time since creation.' };

export const CRD_DEFINITIONS: CrdDefinition[] = [
  {
    kind: 'ReplicationJob',
    description:
      'A database replication job (migration, sync or disaster recovery) run by a provider: Huawei DRS, Tencent DTS/CDB, ' +
      'Huawei GaussDB to ClickHouse, or the built-in PostgreSQL engine. The operator creates, configures, pre-checks, starts, ' +
      'pauses, resumes, stops and deletes the provider job to match spec, and reports progress, delay and pre-check results in status.',
    spec: ReplicationJobSpec,
    status: ReplicationJobStatus,
    printerColumns: [
      { name: 'State', type: 'string', jsonPath: '.status.state', description: 'Desired state the operator acts on.' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Normalized lifecycle phase.' },
      { name: 'Progress', type: 'string', jsonPath: '.status.progress.percentText', description: 'Full-sync progress.' },
      { name: 'Delay', type: 'string', jsonPath: '.status.progress.delayText', description: 'Incremental replication delay.' },
      { name: 'Job ID', type: 'string', jsonPath: '.status.jobId', description: 'Provider job ID.' },
      { ...ready, priority: 1 },
      { name: 'Provider Status', type: 'string', jsonPath: '.status.providerStatus', description: 'Raw provider status.', priority: 1 },
      age,
    ],
  },
  {
    kind: 'ProviderConfig',
    description: 'A provider account (endpoint, region, credentials Secret, rate limit) for ReplicationJobs in this namespace.',
    spec: ProviderConfigSpec,
    status: ProviderConfigStatus,
    printerColumns: [
      { name: 'Provider', type: 'string', jsonPath: '.spec.provider', description: 'Provider id.' },
      { name: 'Region', type: 'string', jsonPath: '.spec.region', description: 'Region.' },
      ready,
      age,
    ],
  },
  {
    kind: 'ClusterProviderConfig',
    description: 'A cluster-wide provider account (endpoint, region, credentials Secret, rate limit), optionally limited to some namespaces.',
    spec: ClusterProviderConfigSpec,
    status: ProviderConfigStatus,
    printerColumns: [
      { name: 'Provider', type: 'string', jsonPath: '.spec.provider', description: 'Provider id.' },
      { name: 'Region', type: 'string', jsonPath: '.spec.region', description: 'Region.' },
      ready,
      age,
    ],
  },
];

export { CATEGORY, KINDS };
