import type { ProgressStatus } from '../../../api/replication-job-status.ts';
import type { Observation } from '../../../reconcile/observation.ts';
import type { DescribeCheckSyncJobResultResponse, ErrInfo, SyncDetailInfo, SyncJobInfo } from './api-types.ts';
import { toPrecheck } from './check-result-mapping.ts';
import { mapDtsStatus, syncPhase } from './status-map.ts';

/** What the poller keeps about one job: the parts of the DTS answers the planner needs. */
export interface DtsSyncSnapshot {
  jobId: string;
  status: string;
  tradeStatus?: string;
  detail?: Pick<SyncDetailInfo, 'StepAll' | 'StepNow' | 'Progress' | 'SecondsBehindMaster' | 'ErrInfo'>;
  /**
   * The latest DescribeCheckSyncJobResult, with the job status it was read in: a result read in
   * Checking must be read again once the job settles in CheckPass / CheckNotPass.
   */
  check?: { readInStatus: string; result: DescribeCheckSyncJobResultResponse };
}

/** The slice of a DescribeSyncJobs item a snapshot keeps (the answer carries much more). */
export function snapshotOf(info: SyncJobInfo & { JobId: string }, previous?: DtsSyncSnapshot): DtsSyncSnapshot {
  const d = info.Detail ?? undefined;
  const status = info.Status ?? 'Unknown';
  // A check result only belongs to the check phase; a new status there keeps it until re-read.
  const check = previous?.check && CHECK_PHASE.has(status) ? previous.check : undefined;
  return {
    jobId: info.JobId,
    status,
    ...(info.TradeStatus ? { tradeStatus: info.TradeStatus } : {}),
    ...(d
      ? {
          detail: {
            ...(d.StepAll !== undefined ? { StepAll: d.StepAll } : {}),
            ...(d.StepNow !== undefined ? { StepNow: d.StepNow } : {}),
            ...(d.Progress !== undefined ? { Progress: d.Progress } : {}),
            ...(d.SecondsBehindMaster !== undefined ? { SecondsBehindMaster: d.SecondsBehindMaster } : {}),
            ...(d.ErrInfo ? { ErrInfo: d.ErrInfo } : {}),
          },
        }
      : {}),
    ...(check ? { check } : {}),
  };
}

/** Statuses whose observation carries the pre-check. */
export const CHECK_PHASE: ReadonlySet<string> = new Set(['Checking', 'CheckPass', 'CheckNotPass']);

/** The job needs a DescribeCheckSyncJobResult call this round (a per-job call: check phase only). */
export function needsCheckRead(s: DtsSyncSnapshot): boolean {
  if (!CHECK_PHASE.has(s.status)) return false;
  return s.status === 'Checking' || s.check === undefined || s.check.readInStatus !== s.status;
}

/** DTS answers → the normalized Observation the planner reads. Pure. */
export function toObservation(s: DtsSyncSnapshot): Observation {
  const mapped = mapDtsStatus(s.status, s.tradeStatus, s.detail);
  const progress = mapped.phase === 'FullSync' || mapped.phase === 'IncrementalSync' || mapped.phase === 'Paused' ? toProgress(s.detail) : undefined;
  const error = mapped.phase === 'Failed' ? toError(s.detail?.ErrInfo) : undefined;
  const precheck = CHECK_PHASE.has(s.status) && mapped.phase === 'Configuring' ? toPrecheck(s.status, s.check?.readInStatus === s.status ? s.check.result : undefined) : undefined;
  return {
    jobId: s.jobId,
    providerStatus: s.tradeStatus && s.tradeStatus !== 'Normal' && s.tradeStatus !== 'NotBilled' ? `${s.status}/${s.tradeStatus}` : s.status,
    phase: mapped.phase,
    deletable: mapped.deletable,
    ...(mapped.phase === 'Failed' ? { recoverable: mapped.recoverable } : {}),
    ...(error ? { error } : {}),
    ...(progress && Object.keys(progress).length > 0 ? { progress } : {}),
    ...(precheck ? { precheck } : {}),
  };
}

/** Detail.Progress → percent; SecondsBehindMaster (valid in the catch-up step only, -1 otherwise) → delay. */
export function toProgress(detail: DtsSyncSnapshot['detail']): ProgressStatus {
  const percent = detail?.Progress;
  const delay = detail?.SecondsBehindMaster;
  const incremental = syncPhase(detail) === 'IncrementalSync';
  return {
    ...(percent !== undefined && Number.isFinite(percent) && percent >= 0 ? { percent: Math.min(100, Math.round(percent)) } : {}),
    ...(incremental && delay !== undefined && Number.isFinite(delay) && delay >= 0 ? { incrementalDelaySeconds: delay } : {}),
  };
}

/** ErrInfo → the job error: Reason is DTS's short cause, Message the detail, Solution the fix. */
export function toError(info: ErrInfo | null | undefined): { code?: string; message: string } | undefined {
  if (!info || (!info.Message && !info.Reason)) return undefined;
  const message = [info.Message || info.Reason, info.Solution ? `Fix: ${info.Solution}` : undefined].filter(Boolean).join('. ');
  return { ...(info.Reason && info.Message ? { code: info.Reason } : {}), message };
}
