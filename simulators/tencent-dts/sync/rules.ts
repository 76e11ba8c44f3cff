import { Api3Error } from '../../tencent-api3/server.ts';
import type { SimSyncJob, SyncStatus, TradeStatus } from './model.ts';

/**
 * Which action each job status allows: the one table the handlers check and DescribeSyncJobs
 * reports as Actions[]. Where the public docs are silent the choice is the plausible one and
 * says so:
 * - ConfigureSyncJob is accepted until the job is started (reconfiguring drops the old check).
 * - ModifySyncRateLimit is accepted from CheckPass on (assumption: the limit set on a checked
 *   job is used when it starts; ConfigureSyncJob's RateLimitOption is documented as ignored).
 * - IsolateSyncJob needs a job that is not running: never started, Stopped or Failed.
 * - StopSyncJob ends a started job only; DestroySyncJob needs TradeStatus Isolated.
 */
export type SyncAction = 'Configure' | 'Check' | 'Start' | 'Pause' | 'Continue' | 'Resume' | 'Stop' | 'RateLimit' | 'Isolate' | 'Destroy';

const NOT_STARTED: SyncStatus[] = ['UnInitialized', 'Initialized', 'CheckPass', 'CheckNotPass'];

export const ALLOWED: Readonly<Record<Exclude<SyncAction, 'Destroy'>, readonly SyncStatus[]>> = {
  Configure: NOT_STARTED,
  Check: ['Initialized', 'CheckPass', 'CheckNotPass'],
  Start: ['CheckPass'],
  Pause: ['Running'],
  Continue: ['Paused'],
  Resume: ['ResumableErr'],
  Stop: ['ReadyRunning', 'Running', 'Paused', 'ResumableErr'],
  RateLimit: ['CheckPass', 'ReadyRunning', 'Running', 'Pausing', 'Paused', 'ResumableErr', 'Resuming'],
  Isolate: [...NOT_STARTED, 'Stopped', 'Failed'],
};

const API_NAMES: Readonly<Record<SyncAction, string>> = {
  Configure: 'ConfigureSyncJob',
  Check: 'CreateCheckSyncJob',
  Start: 'StartSyncJob',
  Pause: 'PauseSyncJob',
  Continue: 'ContinueSyncJob',
  Resume: 'ResumeSyncJob',
  Stop: 'StopSyncJob',
  RateLimit: 'ModifySyncRateLimit',
  Isolate: 'IsolateSyncJob',
  Destroy: 'DestroySyncJob',
};

/** Billing states in which the job only waits for isolation / destruction. */
const LEAVING: ReadonlySet<TradeStatus> = new Set(['Isolating', 'Isolated', 'Offlining', 'Offlined']);

/** Actions[] of DescribeSyncJobs: what the job accepts now. */
export function allowedActions(job: SimSyncJob): SyncAction[] {
  if (job.TradeStatus === 'Isolated') return ['Destroy'];
  if (LEAVING.has(job.TradeStatus) || job.Status === 'Released') return [];
  return (Object.keys(ALLOWED) as (keyof typeof ALLOWED)[]).filter((a) => ALLOWED[a].includes(job.Status));
}

/** Throws the DTS error for an action the job does not accept now. */
export function requireAllowed(job: SimSyncJob, action: SyncAction): void {
  const api = API_NAMES[action];
  if (action === 'Destroy') {
    if (job.TradeStatus !== 'Isolated') {
      throw new Api3Error('OperationDenied.JobOperationDeniedError', `${api} needs an isolated job; ${job.JobId} has TradeStatus ${job.TradeStatus}: call IsolateSyncJob and wait for Isolated`);
    }
    return;
  }
  if (LEAVING.has(job.TradeStatus) || job.Status === 'Released') {
    throw new Api3Error('OperationDenied.JobOperationDeniedError', `${api} is not allowed: job ${job.JobId} is ${job.Status === 'Released' ? 'released' : job.TradeStatus.toLowerCase()}`);
  }
  if (!ALLOWED[action].includes(job.Status)) {
    throw new Api3Error('FailedOperation.StatusInConflict', `${api} is not allowed in status ${job.Status} (allowed: ${ALLOWED[action].join(', ')})`);
  }
}

export function jobNotExist(jobId: unknown): Api3Error {
  return new Api3Error('ResourceNotFound.JobNotExist', `The sync job ${String(jobId)} does not exist`);
}
