import type { ProviderPhase } from '../../../reconcile/observation.ts';

/**
 * DTS 2021-12-06 migration statuses mapped into the normalized lifecycle. Two statuses need the
 * job's steps to be read right (see observation-mapping.ts):
 * - running is FullSync while a full step runs and IncrementalSync once the incremental step
 *   streams (a full-and-incremental migration stays running while it catches up).
 * - success is Completed for a full migration; a full-and-incremental migration only reaches
 *   success when someone completed it (CompleteMigrateJob), which ends it for good: Stopped.
 * A job stopped with StopMigrateJob ends in failed (assumption, as the 2018-03-30 API does);
 * the planner reports it Stopped because it asked for the stop.
 */
export interface MigrationStatusMapping {
  phase: ProviderPhase;
  /** For failed statuses: can ResumeMigrateJob continue the job? */
  recoverable: boolean;
}

const map = (phase: ProviderPhase, recoverable = true): MigrationStatusMapping => ({ phase, recoverable });

export const MIGRATION_STATUS_MAP: Readonly<Record<string, MigrationStatusMapping>> = {
  creating: map('Creating'),
  created: map('Configuring'),
  checking: map('Configuring'),
  checkPass: map('Configuring'),
  checkNotPass: map('Configuring'),
  readyRun: map('Starting'),
  running: map('FullSync'),
  // Full data copied, incremental sync caught up: waiting to be completed.
  readyComplete: map('IncrementalSync'),
  success: map('Completed'),
  failed: map('Failed'),
  stopping: map('Stopping'),
  completing: map('Stopping'),
  // Pausing is transient; the job no longer moves forward, so it counts as paused already.
  pausing: map('Paused'),
  manualPaused: map('Paused'),
  resumableErr: map('Failed'),
  resuming: map('Starting'),
  error: map('Failed', false),
  canceled: map('Stopped'),
};

export function mapMigrationStatus(status: string): MigrationStatusMapping | undefined {
  return MIGRATION_STATUS_MAP[status];
}

/** IsolateMigrateJob is accepted in these statuses: nothing runs (assumption; the API does not list them). */
export const ISOLATABLE_STATUSES: ReadonlySet<string> = new Set(['created', 'checkPass', 'checkNotPass', 'success', 'failed', 'canceled', 'error']);

/** The job is finished: nothing is left to stop. */
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['success', 'failed', 'canceled', 'error']);

/** The delete sequence is under way (or done): IsolateMigrateJob was accepted. */
export const RELEASING_TRADE_STATUSES: ReadonlySet<string> = new Set(['isolating', 'isolated', 'offlining', 'offlined']);

/** Statuses in which nothing moves without an action: the slow poll interval applies. */
export const STEADY_STATUSES: ReadonlySet<string> = new Set(['readyComplete', 'manualPaused', 'success', 'failed', 'canceled', 'error', 'checkNotPass']);

/** A migration step that streams changes (StepId like IncrMigration / IncrementalSync). Assumption: real step IDs are not documented. */
export function isIncrementalStep(stepId: string | undefined, stepName?: string): boolean {
  return /incr/i.test(stepId ?? '') || /incremental/i.test(stepName ?? '');
}
