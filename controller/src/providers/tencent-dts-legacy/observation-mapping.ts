import type { ProgressStatus } from '../../api/replication-job-status.ts';
import { isMaterialProgressChange } from '../progress-change.ts';
import type { Observation, PrecheckObservation } from '../../reconcile/observation.ts';
import type { DescribeMigrateCheckJobResponse, MigrateDetailInfo } from './api-types.ts';
import { FULL_AND_INCREMENTAL, mapLegacyStatus, providerStatusText } from './status-map.ts';

/** What the poller keeps about one migrate job: the parts of the answers the operator reads. */
export interface LegacySnapshot {
  jobId: string;
  jobName: string;
  status: number;
  migrateType?: number;
  detail?: Pick<MigrateDetailInfo, 'Progress' | 'SecondsBehindMaster' | 'StepAll' | 'StepNow'>;
  /** ErrorInfo[].ErrorLog of a failed job. */
  errorLogs?: string[];
  /** The DescribeMigrateCheckJob answer for the latest check, when it was read. */
  check?: Omit<DescribeMigrateCheckJobResponse, 'RequestId'>;
}

const CHECK_ITEM = 'Migration check (CreateMigrateCheckJob)';

/** A migrate job snapshot → the normalized Observation the planner reads. Pure. */
export function toObservation(s: LegacySnapshot): Observation {
  const mapped = mapLegacyStatus(s.status, s.migrateType);
  const progress = toProgress(s);
  const precheck = toPrecheck(s);
  const error = s.status === 10 ? toError(s) : undefined;
  return {
    jobId: s.jobId,
    providerStatus: providerStatusText(s.status),
    phase: mapped.phase,
    deletable: mapped.deletable,
    // A failed migrate job cannot be resumed in place: only a new job (new check, new start) helps.
    ...(mapped.phase === 'Failed' ? { recoverable: false } : {}),
    ...(error ? { error } : {}),
    ...(progress ? { progress } : {}),
    ...(precheck ? { precheck } : {}),
  };
}

/** StartMigrateJob is allowed in 4 CheckPass only: a job in these statuses passed its check. */
const STARTED: ReadonlySet<number> = new Set([7, 8, 9, 11, 12]);

/**
 * The check outcome, from the job status (3 running, 4 passed, 5 failed) with the check answer's
 * message. The status decides: it is read for every job each round, the check only sometimes.
 * A started job keeps reporting its passed check, so status.precheck never loses the outcome
 * (for instance when the status write of the reconcile that started the job was lost).
 */
export function toPrecheck(s: LegacySnapshot): PrecheckObservation | undefined {
  if (STARTED.has(s.status)) {
    return { purpose: 'start', finished: true, passed: true, hasAlarms: false, passedRate: '100%', items: [{ item: CHECK_ITEM, result: 'PASSED' }] };
  }
  if (![3, 4, 5].includes(s.status)) return undefined;
  if (s.status === 3) {
    return { purpose: 'start', finished: false, passed: false, hasAlarms: false, items: [] };
  }
  const passed = s.status === 4;
  const message = s.check?.ErrorMessage && s.check.ErrorMessage !== 'ok' ? s.check.ErrorMessage : undefined;
  const code = s.check?.ErrorCode;
  const failedReason = passed
    ? undefined
    : `${message ?? 'The migration check did not pass (no message from DTS yet)'}${code !== undefined && code !== 0 ? ` (ErrorCode ${code})` : ''}`;
  return {
    purpose: 'start',
    finished: true,
    passed,
    hasAlarms: false,
    ...(passed ? { passedRate: '100%' } : {}),
    items: [{ item: CHECK_ITEM, result: passed ? 'PASSED' : 'FAILED', ...(failedReason ? { failedReason } : {}) }],
  };
}

/** Detail.Progress ("0".."100") and, for a streaming job, SecondsBehindMaster. */
export function toProgress(s: LegacySnapshot): ProgressStatus | undefined {
  if (![7, 8, 9, 12].includes(s.status)) return undefined;
  const copied = s.status === 8 || s.status === 9 || s.status === 12;
  const reported = s.detail ? Number(s.detail.Progress) : NaN;
  const percent = copied ? 100 : Number.isFinite(reported) ? Math.max(0, Math.min(100, Math.round(reported))) : undefined;
  const streaming = s.status === 8 && s.migrateType === FULL_AND_INCREMENTAL;
  const delay = streaming && s.detail && Number.isFinite(s.detail.SecondsBehindMaster) && s.detail.SecondsBehindMaster >= 0 ? s.detail.SecondsBehindMaster : undefined;
  if (percent === undefined && delay === undefined) return undefined;
  return { ...(percent !== undefined ? { percent } : {}), ...(delay !== undefined ? { incrementalDelaySeconds: delay } : {}) };
}

function toError(s: LegacySnapshot): { message: string } {
  const logs = (s.errorLogs ?? []).filter((l) => l.trim() !== '');
  return { message: logs.length > 0 ? logs.join('; ') : 'DTS reports the migration as failed (status 10) without an error log' };
}

/** Whether the job's reconcile needs to run: status, progress, delay, check or error moved. */
export function snapshotChanged(before: LegacySnapshot | undefined, after: LegacySnapshot): boolean {
  if (!before) return true;
  if (before.status !== after.status || before.migrateType !== after.migrateType) return true;
  if (isMaterialProgressChange(toProgress(before), toProgress(after))) return true;
  if (before.check?.Status !== after.check?.Status || before.check?.CheckFlag !== after.check?.CheckFlag || before.check?.ErrorMessage !== after.check?.ErrorMessage) return true;
  return (before.errorLogs ?? []).join('\n') !== (after.errorLogs ?? []).join('\n');
}
