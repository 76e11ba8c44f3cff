import type { ProviderPhase } from '../../reconcile/observation.ts';

/**
 * CDB data-sync task statuses (GetCdbDataSyncTaskList `status`) and what the operator makes of
 * them. The phase of 6 (syncing) and 9 (succeeded) also depends on progress and the task's
 * migrateType: see phaseOf.
 */
export const CDB_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'NotConfigured',
  1: 'Configured',
  2: 'Verifying',
  3: 'VerificationFailed',
  4: 'VerificationPassed',
  5: 'Ready',
  6: 'Syncing',
  7: 'ToBeSwitched',
  8: 'SyncFailed',
  9: 'SyncSucceeded',
};

/** DelCdbDataSyncTask is accepted only in these statuses. */
export const DELETABLE_STATUSES: ReadonlySet<number> = new Set([0, 1, 3, 4, 8, 9]);
/** The task is syncing: the API can neither stop nor delete it. */
export const SYNCING_STATUSES: ReadonlySet<number> = new Set([6, 7]);
/** Nothing moves in these (the poller's slow interval applies). */
export const STEADY_STATUSES: ReadonlySet<number> = new Set([3, 7, 8, 9]);

/** "Syncing(6)": the name users read in status.providerStatus, with the API's number. */
export function providerStatusText(status: number): string {
  return `${CDB_STATUS_NAMES[status] ?? 'Unknown'}(${status})`;
}

/**
 * 0 → Creating (the service is still applying the configuration create sent);
 * 1–4 → Configuring (verification is reported as the pre-check);
 * 5 → Starting;
 * 6 → FullSync while progress < 100, then IncrementalSync;
 * 7 (to be switched: caught up, streaming changes) → IncrementalSync;
 * 8 → Failed (the API has no retry: not recoverable);
 * 9 → IncrementalSync for a full + incremental task (migrateType 3, the only kind create makes:
 *     the disaster-recovery instance now replicates from the master), Completed for a
 *     structure-only or full-only task (migrateType 1 or 2, made outside the operator).
 */
export function phaseOf(status: number, progress: number | undefined, migrateType: number | undefined): ProviderPhase {
  switch (status) {
    case 0:
      return 'Creating';
    case 1:
    case 2:
    case 3:
    case 4:
      return 'Configuring';
    case 5:
      return 'Starting';
    case 6:
      return (progress ?? 0) >= 100 ? 'IncrementalSync' : 'FullSync';
    case 7:
      return 'IncrementalSync';
    case 8:
      return 'Failed';
    case 9:
      return migrateType === 1 || migrateType === 2 ? 'Completed' : 'IncrementalSync';
    default:
      // A status this build does not know: treat it as transient and keep looking.
      return 'Starting';
  }
}
