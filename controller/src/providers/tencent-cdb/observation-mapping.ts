import type { ProgressStatus } from '../../api/replication-job-status.ts';
import type { Observation, PrecheckItem, PrecheckObservation } from '../../reconcile/observation.ts';
import type { CheckResult, JobOutput, TaskItem } from './schemas.ts';
import { DELETABLE_STATUSES, phaseOf, providerStatusText } from './status-map.ts';

/** What the poller keeps of one task: the parts of its list entry the operator reads. */
export interface CdbTaskSnapshot {
  jobId: string;
  jobName?: string;
  status: number;
  progress?: number;
  migrateType?: number;
  checkFlag?: number;
  checkResult?: CheckResult;
  output?: JobOutput;
  /** The entry's own code/message (execution status of the task). */
  code?: number;
  message?: string;
}

export function toSnapshot(item: TaskItem): CdbTaskSnapshot {
  const detail = item.detail;
  const check = detail?.checkInfo;
  return {
    jobId: String(item.jobId),
    status: item.status,
    ...(detail?.jobName !== undefined ? { jobName: detail.jobName } : {}),
    ...(item.progress !== undefined ? { progress: item.progress } : {}),
    ...(detail?.migrateType !== undefined ? { migrateType: detail.migrateType } : {}),
    ...(check?.checkFlag !== undefined ? { checkFlag: check.checkFlag } : {}),
    ...(check?.checkResult ? { checkResult: check.checkResult } : {}),
    ...(detail?.jobOutput ? { output: detail.jobOutput } : {}),
    ...(item.code !== undefined ? { code: item.code } : {}),
    ...(item.message ? { message: item.message } : {}),
  };
}

/** A task's list entry → the normalized Observation the planner reads. Pure. */
export function toObservation(s: CdbTaskSnapshot): Observation {
  const phase = phaseOf(s.status, s.progress, s.migrateType);
  const precheck = toPrecheck(s);
  const progress = toProgress(s);
  const error = phase === 'Failed' ? failureOf(s) : undefined;
  return {
    jobId: s.jobId,
    providerStatus: providerStatusText(s.status),
    phase,
    deletable: DELETABLE_STATUSES.has(s.status),
    // The API has no retry: a failed task stays failed.
    ...(phase === 'Failed' ? { recoverable: false } : {}),
    ...(error ? { error } : {}),
    ...(progress ? { progress } : {}),
    ...(precheck ? { precheck } : {}),
  };
}

/**
 * Verification (CheckCdbDataSyncTask) as the pre-check: status 2 running, 3 failed, 4 passed;
 * a started task (5–9) keeps its passed verification (checkFlag 1), which is reported too so
 * that status.precheck ends up right even if the status write at status 4 was lost.
 * checkResult.stepInfo gives one item per step (code 0 = passed).
 */
export function toPrecheck(s: CdbTaskSnapshot): PrecheckObservation | undefined {
  const verified = s.status === 4 || (s.status >= 5 && s.checkFlag === 1);
  if (s.status !== 2 && s.status !== 3 && !verified) return undefined;
  const finished = s.status !== 2;
  const items: PrecheckItem[] = (s.checkResult?.stepInfo ?? []).map((step, i) => {
    const passed = step.code === 0;
    return {
      item: (step.stepName ?? `step ${step.stepNo ?? i + 1}`).slice(0, 256),
      result: passed ? 'PASSED' : 'FAILED',
      ...(!passed ? { failedReason: (step.message || `failed with code ${step.code ?? 'unknown'}`).slice(0, 4096) } : {}),
    };
  });
  const passed = verified;
  if (s.status === 3 && !items.some((i) => i.result === 'FAILED')) {
    // Verification failed without a failing step: report what CDB said about it as a whole.
    items.push({ item: 'verification', result: 'FAILED', failedReason: (s.checkResult?.message || 'CDB reported the verification as failed without details').slice(0, 4096) });
  }
  const passedCount = items.filter((i) => i.result === 'PASSED').length;
  return {
    purpose: 'start',
    finished,
    passed,
    hasAlarms: false,
    ...(finished && items.length > 0 ? { passedRate: `${Math.round((passedCount / items.length) * 100)}%` } : {}),
    items,
  };
}

/** progress (0–100) while the task syncs; nothing before it starts. */
export function toProgress(s: CdbTaskSnapshot): ProgressStatus | undefined {
  if (s.status < 5 || s.progress === undefined || s.progress < 0) return undefined;
  return { percent: Math.min(100, Math.round(s.progress)) };
}

function failureOf(s: CdbTaskSnapshot): { code?: string; message: string } {
  const code = s.output?.code ?? s.code;
  const message = s.output?.message || s.message || 'the data-sync task failed (status 8) without a message';
  return { ...(code !== undefined && code !== 0 ? { code: String(code) } : {}), message };
}
