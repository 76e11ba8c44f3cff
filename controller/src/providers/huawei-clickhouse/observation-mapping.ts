import type { Observation, PrecheckObservation } from '../../reconcile/observation.ts';
import type { ListedReplication } from './schemas.ts';
import { isSteadyReplication, mapReplication } from './status-map.ts';

/** What one poll round learned about one job: its instance's list entry for the database, if any. */
export interface ReplicationSnapshot {
  jobId: string;
  replication?: ListedReplication;
  /** start() was accepted moments ago and the list does not show the task yet. */
  startPending?: boolean;
  /** Calls the instance's listing took this round (shared by every job of the instance). */
  pages: number;
}

/** What the account remembers about a job between rounds (lost on restart, which is safe: see below). */
export interface LocalJobState {
  /** The latest database-check + table-check outcome. */
  precheck?: PrecheckObservation;
  /** delete() was accepted: a task still listed is being removed. */
  deleteRequested?: boolean;
}

/**
 * Snapshot + local state → Observation. Pure. A database that is not listed (and not being
 * started) is a job that was registered but not started yet: phase Configuring, with the
 * pre-check it ran. That is also what a restarted controller sees for a job it had not started
 * (it runs the pre-check again) or for one it had already removed (the planner then deletes
 * it again, which is a no-op).
 */
export function toObservation(s: ReplicationSnapshot, local: LocalJobState): Observation {
  // The check that let the task start stays in every observation, so status.precheck ends up
  // with it even when the status write of the reconcile that started the task was lost.
  const precheck = local.precheck ? { precheck: local.precheck } : {};
  if (s.replication) {
    const mapped = mapReplication(s.replication);
    if (local.deleteRequested) {
      return { jobId: s.jobId, providerStatus: mapped.providerStatus, phase: 'Stopping', deletable: true };
    }
    return {
      ...precheck,
      jobId: s.jobId,
      providerStatus: mapped.providerStatus,
      phase: mapped.phase,
      // No stop step exists: a task in any state is released by deleting it.
      deletable: true,
      ...(mapped.phase === 'Failed' ? { recoverable: false } : {}),
      ...(mapped.error ? { error: mapped.error } : {}),
      ...(mapped.progress ? { progress: mapped.progress } : {}),
    };
  }
  if (s.startPending) return { jobId: s.jobId, providerStatus: 'creating', phase: 'Starting', deletable: true, ...precheck };
  return { jobId: s.jobId, providerStatus: 'not-synchronized', phase: 'Configuring', deletable: true, ...precheck };
}

/** Nothing moves: an idle registration, a replicating or a failed task. */
export function isSteady(s: ReplicationSnapshot): boolean {
  if (s.replication) return isSteadyReplication(s.replication);
  return !s.startPending;
}

/** Whether the reconcile of the job needs to run. */
export function snapshotChanged(before: ReplicationSnapshot | undefined, after: ReplicationSnapshot): boolean {
  if (!before) return true;
  const a = before.replication;
  const b = after.replication;
  if (!a || !b) return a !== b || before.startPending !== after.startPending;
  return a.status !== b.status || a.stage !== b.stage || a.catchup_stage !== b.catchup_stage || String(a.percentage) !== String(b.percentage);
}
