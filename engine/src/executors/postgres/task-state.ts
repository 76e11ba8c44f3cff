import type { JobRecord } from '../../job.ts';
import { replicationNames, type ReplicationNames } from './names.ts';
import type { TableWeight } from './progress.ts';

/**
 * What the executor persists with a task (JobRecord.exec). The PostgreSQL objects are named
 * from the task ID (names.ts), so this is only what cannot be derived: where the task's life
 * stands between API calls and the poller. Everything here survives kill -9 with the job.
 */
export interface PgTaskState {
  names: ReplicationNames;
  /** batch-starting start_time: set up replication no earlier than this (epoch ms). */
  startAt?: number;
  /** Setup began: PostgreSQL objects of this task may exist, so stopping must clean up. */
  provisioned?: boolean;
  /** The tables replicated, with their weights for full-sync progress (fixed at start). */
  tables?: TableWeight[];
  /** Table definitions are on the target (progress_map struct 100%). */
  structCopied?: boolean;
  subscriptionOid?: number;
  fullStartedAt?: number;
  /** batch-retry-task asked for the (paused or failed) subscription to be enabled again. */
  enable?: boolean;
  /** FULL_TRANS: every table is copied and the subscription is being dropped. */
  finishing?: boolean;
  /** force_terminate: release even if the source cannot be reached. */
  forceStop?: boolean;
}

export function taskStateOf(job: Readonly<JobRecord>): PgTaskState {
  const state = job.exec as PgTaskState | undefined;
  return state?.names ? structuredClone(state) : { names: replicationNames(job.id) };
}

export function patchedState(job: Readonly<JobRecord>, patch: Partial<PgTaskState>): PgTaskState {
  const state = { ...taskStateOf(job), ...patch };
  for (const key of Object.keys(state) as Array<keyof PgTaskState>) if (state[key] === undefined) delete state[key];
  return state;
}
