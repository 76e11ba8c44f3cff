import type { ProviderPhase } from '../../reconcile/observation.ts';

/**
 * DescribeMigrateJobs Status (an integer) → the normalized lifecycle. The integer and its name
 * stay visible in status.providerStatus ("7 Running").
 *
 * Assumptions where the API documentation is silent:
 * - 1 "Creating" is also the resting state of a created, not yet checked job (the published
 *   DescribeMigrateJobs example shows an idle job in 1, and ModifyMigrateJob is allowed there),
 *   so it maps to Configuring: the planner runs the check next.
 * - 8 ReadyComplete of a full + incremental migration (MigrateType 3) is the streaming state:
 *   changes keep flowing until CompleteMigrateJob, so it is IncrementalSync. For a structure or
 *   full migration (MigrateType 1, 2) nothing streams: the copy is done and only the completion
 *   call is missing, so it stays FullSync (100%) until the account completes it.
 * - 9 Success ends a full migration (Completed). A full + incremental migration only reaches 9
 *   when someone completed it, which stops the stream: Stopped.
 * - 12 Completing follows the same split: still finishing a full copy, or stopping a stream.
 * - 23 Unknown is treated as transient (Starting: the planner waits and looks again).
 */
export const LEGACY_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'Creating',
  3: 'Checking',
  4: 'CheckPass',
  5: 'CheckNotPass',
  7: 'Running',
  8: 'ReadyComplete',
  9: 'Success',
  10: 'Failed',
  11: 'Stopping',
  12: 'Completing',
  23: 'Unknown',
};

/** MigrateType 3: full + incremental. 1 (structure) and 2 (full) end by themselves once completed. */
export const FULL_AND_INCREMENTAL = 3;

/** DeleteMigrateJob is refused in these statuses (reference: "not in 3, 7, 8, 11, 12"). */
const UNDELETABLE: ReadonlySet<number> = new Set([3, 7, 8, 11, 12]);

/** Statuses in which nothing moves without a call from us: the steady poll interval applies. */
const STEADY: ReadonlySet<number> = new Set([1, 4, 5, 9, 10]);

export interface LegacyStatusMapping {
  phase: ProviderPhase;
  deletable: boolean;
}

export function providerStatusText(status: number): string {
  return `${status} ${LEGACY_STATUS_NAMES[status] ?? 'Unknown'}`;
}

export function mapLegacyStatus(status: number, migrateType: number | undefined): LegacyStatusMapping {
  const streams = migrateType === FULL_AND_INCREMENTAL;
  const deletable = !UNDELETABLE.has(status);
  const phase = ((): ProviderPhase => {
    switch (status) {
      case 1:
      case 3:
      case 4:
      case 5:
        return 'Configuring';
      case 7:
        return 'FullSync';
      case 8:
        return streams ? 'IncrementalSync' : 'FullSync';
      case 9:
        return streams ? 'Stopped' : 'Completed';
      case 10:
        return 'Failed';
      case 11:
        return 'Stopping';
      case 12:
        return streams ? 'Stopping' : 'FullSync';
      default:
        return 'Starting';
    }
  })();
  return { phase, deletable };
}

/** Nothing changes here until someone acts (a streaming job at 8 included: only its delay moves). */
export function isSteadyStatus(status: number, migrateType: number | undefined): boolean {
  return STEADY.has(status) || (status === 8 && migrateType === FULL_AND_INCREMENTAL);
}

/** A full (or structure) migration whose copy is done and waits for CompleteMigrateJob. */
export function awaitsCompletion(status: number, migrateType: number | undefined): boolean {
  return status === 8 && migrateType !== FULL_AND_INCREMENTAL;
}

/** Created and never started (1 Creating, 3 Checking, 4 CheckPass, 5 CheckNotPass): what LimitExceeded.MaxUnusedJobs counts. */
const UNUSED_STATUSES: ReadonlySet<number> = new Set([1, 3, 4, 5]);

export function isUnusedStatus(status: number | undefined): boolean {
  return status !== undefined && UNUSED_STATUSES.has(status);
}
