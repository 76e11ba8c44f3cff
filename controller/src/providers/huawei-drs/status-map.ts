import type { ProviderPhase } from '../../reconcile/observation.ts';

/**
 * DRS task statuses (seed Appendix A.4) mapped into the normalized lifecycle. DRS has no
 * separate "paused" status: a paused task reports PAUSING until it is resumed.
 */
export interface DrsStatusMapping {
  phase: ProviderPhase;
  /** batch-jobs delete_type=delete is accepted only in these statuses. */
  deletable: boolean;
  /** For failed statuses: can batch-retry-task recover it? */
  recoverable: boolean;
}

const map = (phase: ProviderPhase, deletable = false, recoverable = true): DrsStatusMapping => ({ phase, deletable, recoverable });

export const DRS_STATUS_MAP: Readonly<Record<string, DrsStatusMapping>> = {
  CREATING: map('Creating'),
  CREATE_FAILED: map('Failed', true, false),
  CONFIGURATION: map('Configuring'),
  STARTJOBING: map('Starting'),
  WAITING_FOR_START: map('Starting'),
  START_JOB_FAILED: map('Failed'),
  PAUSING: map('Paused'),
  FULL_TRANSFER_STARTED: map('FullSync'),
  FULL_TRANSFER_FAILED: map('Failed'),
  FULL_TRANSFER_COMPLETE: map('Completed'),
  INCRE_TRANSFER_STARTED: map('IncrementalSync'),
  INCRE_TRANSFER_FAILED: map('Failed'),
  RELEASE_RESOURCE_STARTED: map('Stopping'),
  // A failed stop is retried by terminating again (forced after the stop timeout).
  RELEASE_RESOURCE_FAILED: map('Failed', false, false),
  RELEASE_RESOURCE_COMPLETE: map('Stopped', true),
  // A running job being modified: transient, wait for it.
  CHANGE_JOB_STARTED: map('Starting'),
  CHANGE_JOB_FAILED: map('Failed'),
  CHILD_TRANSFER_STARTING: map('Starting'),
  CHILD_TRANSFER_STARTED: map('FullSync'),
  CHILD_TRANSFER_COMPLETE: map('Completed'),
  CHILD_TRANSFER_FAILED: map('Failed'),
  RELEASE_CHILD_TRANSFER_STARTED: map('Stopping'),
  RELEASE_CHILD_TRANSFER_COMPLETE: map('Stopped', true),
};

/** DELETED (and the gone error codes) mean the job no longer exists. */
export const DRS_GONE_STATUSES: ReadonlySet<string> = new Set(['DELETED']);

export function mapDrsStatus(status: string): DrsStatusMapping | undefined {
  return DRS_STATUS_MAP[status];
}
