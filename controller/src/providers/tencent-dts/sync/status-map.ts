import type { ProviderPhase } from '../../../reconcile/observation.ts';
import { LEAVING_TRADE_STATUSES, type SyncStatus } from './enums.ts';

/**
 * DTS sync-job Status × TradeStatus → the normalized lifecycle. Pure.
 *
 * - Everything before StartSyncJob (UnInitialized … CheckNotPass) is Configuring: the planner
 *   drives configure → check → start from there and reads the check from the observation.
 * - Running is FullSync or IncrementalSync depending on the step (see syncPhase).
 * - ResumableErr is a recoverable failure (ResumeSyncJob); Failed is not.
 * - A job whose billing is leaving (Isolating … Offlined) is Stopped whatever its Status says:
 *   it can never run again, only be destroyed.
 */
export interface DtsStatusMapping {
  phase: ProviderPhase;
  /** IsolateSyncJob is accepted now (or the job is already isolating / isolated). */
  deletable: boolean;
  /** For failed statuses: can ResumeSyncJob recover it? */
  recoverable: boolean;
}

const map = (phase: ProviderPhase, deletable = false, recoverable = true): DtsStatusMapping => ({ phase, deletable, recoverable });

const BY_STATUS: Readonly<Record<Exclude<SyncStatus, 'Running' | 'Released'>, DtsStatusMapping>> = {
  UnInitialized: map('Configuring', true),
  Initialized: map('Configuring', true),
  // Not deletable while the check runs: it ends in CheckPass/CheckNotPass within minutes.
  Checking: map('Configuring'),
  CheckPass: map('Configuring', true),
  CheckNotPass: map('Configuring', true),
  ReadyRunning: map('Starting'),
  // Pausing settles in Paused; resuming meanwhile is refused (StatusInConflict) and retried.
  Pausing: map('Paused'),
  Paused: map('Paused'),
  Stopping: map('Stopping'),
  Stopped: map('Stopped', true),
  ResumableErr: map('Failed', false, true),
  Resuming: map('Starting'),
  Failed: map('Failed', true, false),
  // ResetSyncJob takes the job back to UnInitialized; wait for it.
  Resetting: map('Creating'),
  // DTS does not know either: wait (Starting only waits) rather than act on a guess.
  Unknown: map('Starting'),
};

/** Statuses in which the job no longer exists for any purpose. */
export function isGoneStatus(status: string | undefined): boolean {
  return status === 'Released';
}

/**
 * Running in the last step is the incremental catch-up: the API reports SecondsBehindMaster
 * there only ("只在…同步的最后一步（追Binlog的阶段）才有效"). Earlier steps copy structure and data.
 */
export function syncPhase(detail: { StepAll?: number | undefined; StepNow?: number | undefined } | null | undefined): 'FullSync' | 'IncrementalSync' {
  const all = detail?.StepAll ?? 0;
  const now = detail?.StepNow ?? 0;
  return all > 0 && now >= all ? 'IncrementalSync' : 'FullSync';
}

export function mapDtsStatus(
  status: string,
  tradeStatus: string | undefined,
  detail?: { StepAll?: number | undefined; StepNow?: number | undefined } | null,
): DtsStatusMapping {
  if (tradeStatus !== undefined && LEAVING_TRADE_STATUSES.has(tradeStatus)) return map('Stopped', true, false);
  if (status === 'Running') return map(syncPhase(detail));
  return BY_STATUS[status as keyof typeof BY_STATUS] ?? map('Starting');
}

/** What delete() does next for a job in this billing state. */
export type DeleteStep = 'isolate' | 'wait' | 'destroy';

export function deleteStep(tradeStatus: string | undefined): DeleteStep {
  if (tradeStatus === 'Isolated') return 'destroy';
  if (tradeStatus !== undefined && LEAVING_TRADE_STATUSES.has(tradeStatus)) return 'wait';
  return 'isolate';
}

/** Statuses before StartSyncJob: a job there is terminated by isolating it (StopSyncJob refuses). */
export const NOT_STARTED_STATUSES: ReadonlySet<string> = new Set(['UnInitialized', 'Initialized', 'CheckPass', 'CheckNotPass']);

/** Statuses in which nothing moves without an action: the steady poll interval applies. */
export function isSteadyStatus(status: string, tradeStatus: string | undefined, detail?: SyncDetailLike | null): boolean {
  if (tradeStatus === 'Isolating' || tradeStatus === 'Offlining') return false;
  if (status === 'Running') return syncPhase(detail) === 'IncrementalSync';
  return ['UnInitialized', 'Initialized', 'CheckPass', 'CheckNotPass', 'Paused', 'Stopped', 'ResumableErr', 'Failed'].includes(status);
}

type SyncDetailLike = { StepAll?: number | undefined; StepNow?: number | undefined };
