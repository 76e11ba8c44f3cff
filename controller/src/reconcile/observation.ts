import type { Phase } from '../api/phase.ts';
import type { ProgressStatus } from '../api/replication-job-status.ts';

/**
 * What a provider reports about one job, already mapped into the normalized model. Providers
 * build this from their batched snapshot; the planner reads nothing else about the provider.
 */
export interface Observation {
  jobId: string;
  /** The provider's own status string (DRS INCRE_TRANSFER_STARTED, DTS Running, ...). */
  providerStatus: string;
  /** The provider status mapped into the normalized lifecycle. */
  phase: ProviderPhase;
  /** The provider job can be deleted right away (e.g. DRS CREATE_FAILED, RELEASE_RESOURCE_COMPLETE). */
  deletable: boolean;
  /** False for failures the provider cannot retry (e.g. DRS CREATE_FAILED): only a new job helps. */
  recoverable?: boolean;
  /** An error the provider attached to the job (failed states). Never contains secrets. */
  error?: { code?: string; message: string };
  progress?: ProgressStatus;
  precheck?: PrecheckObservation;
}

/** Phases a provider status can map to; the planner derives the rest (Prechecking, Deleting ...). */
export type ProviderPhase = Extract<
  Phase,
  'Creating' | 'Configuring' | 'Starting' | 'FullSync' | 'IncrementalSync' | 'Completed' | 'Paused' | 'Failed' | 'Stopping' | 'Stopped'
>;

export interface PrecheckObservation {
  /** Which lifecycle step the check was run for. */
  purpose: 'start' | 'retry';
  finished: boolean;
  /** No FAILED item. */
  passed: boolean;
  /** At least one ALARM item. */
  hasAlarms: boolean;
  passedRate?: string;
  items: PrecheckItem[];
}

export interface PrecheckItem {
  item: string;
  group?: string;
  result: 'PASSED' | 'ALARM' | 'FAILED' | string;
  failedReason?: string;
}
