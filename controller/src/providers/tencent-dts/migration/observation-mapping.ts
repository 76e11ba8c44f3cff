import type { ProgressStatus } from '../../../api/replication-job-status.ts';
import { isMaterialProgressChange } from '../../progress-change.ts';
import type { Observation, PrecheckItem, PrecheckObservation, ProviderPhase } from '../../../reconcile/observation.ts';
import type { DescribeMigrationCheckJobResponse, JobItem, MigrateDetailInfo, StepDetailInfo } from './api-types.ts';
import { ISOLATABLE_STATUSES, RELEASING_TRADE_STATUSES, isIncrementalStep, mapMigrationStatus } from './status-map.ts';

/** What the poller knows about one migration job: the raw DTS answers it last received. */
export interface MigrationSnapshot {
  jobId: string;
  jobName?: string;
  status: string;
  tradeStatus?: string;
  briefMsg?: string;
  steps?: MigrateDetailInfo;
  /** A pre-check this operator asked for or saw; `result` is the latest DescribeMigrationCheckJob answer. */
  check?: { result?: DescribeMigrationCheckJobResponse };
  /** ErrorInfo read with DescribeMigrationDetail when the job turned failed. */
  error?: { code?: string; message: string };
}

/** Job states in which DescribeMigrationDetail is read once for ErrorInfo. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(['failed', 'resumableErr', 'error']);

/** A DescribeMigrationJobs item → snapshot, carrying forward what only per-job calls tell. */
export function snapshotOf(item: JobItem & { JobId: string }, before: MigrationSnapshot | undefined): MigrationSnapshot {
  const status = item.Status ?? 'unknown';
  return {
    jobId: item.JobId,
    status,
    ...(item.JobName ? { jobName: item.JobName } : {}),
    ...(item.TradeInfo?.TradeStatus ? { tradeStatus: item.TradeInfo.TradeStatus } : {}),
    ...(item.BriefMsg ? { briefMsg: item.BriefMsg } : {}),
    ...(item.StepInfo ? { steps: item.StepInfo } : {}),
    ...(before?.check ? { check: before.check } : {}),
    // An error belongs to the failure it was read for: gone once the job runs again.
    ...(before?.error && FAILED_STATUSES.has(status) ? { error: before.error } : {}),
  };
}

/** DTS answers → the normalized Observation the planner reads. Pure. */
export function toObservation(s: MigrationSnapshot): Observation {
  const mapped = mapMigrationStatus(s.status) ?? { phase: 'Starting' as const, recoverable: true };
  const phase = phaseOf(s, mapped.phase);
  const progress = toProgress(s);
  const precheck = s.check ? toPrecheck(s.check.result, s.status) : undefined;
  const error = phase === 'Failed' ? (s.error ?? (s.briefMsg ? { message: s.briefMsg } : undefined)) : undefined;
  return {
    jobId: s.jobId,
    providerStatus: s.tradeStatus && RELEASING_TRADE_STATUSES.has(s.tradeStatus) ? `${s.status}/${s.tradeStatus}` : s.status,
    phase,
    deletable: ISOLATABLE_STATUSES.has(s.status) || (s.tradeStatus !== undefined && RELEASING_TRADE_STATUSES.has(s.tradeStatus)),
    ...(phase === 'Failed' ? { recoverable: mapped.recoverable } : {}),
    ...(error ? { error } : {}),
    ...(progress ? { progress } : {}),
    ...(precheck ? { precheck } : {}),
  };
}

function phaseOf(s: MigrationSnapshot, mapped: ProviderPhase): ProviderPhase {
  // Isolated (or being released): the job will never run again.
  if (s.tradeStatus && RELEASING_TRADE_STATUSES.has(s.tradeStatus)) return 'Stopped';
  if (s.status === 'running' && isIncrementalStep(currentStep(s.steps)?.StepId, currentStep(s.steps)?.StepName)) return 'IncrementalSync';
  // A full-and-incremental migration succeeds only when someone completed it: it has ended.
  if (s.status === 'success' && hasIncrementalStep(s.steps)) return 'Stopped';
  return mapped;
}

function currentStep(steps: MigrateDetailInfo | undefined): StepDetailInfo | undefined {
  const list = steps?.StepInfo ?? [];
  return list.find((step) => step.Status === 'running') ?? list.find((step) => step.StepNo === steps?.StepNow);
}

function hasIncrementalStep(steps: MigrateDetailInfo | undefined): boolean {
  return (steps?.StepInfo ?? []).some((step) => isIncrementalStep(step.StepId, step.StepName));
}

/**
 * percent: the full part (every step but the incremental one), done steps 100, the running one
 * its Percent. Delay: SecondsBehindMaster while the incremental step streams (-1 means unknown).
 */
export function toProgress(s: MigrationSnapshot): ProgressStatus | undefined {
  const list = s.steps?.StepInfo ?? [];
  const full = list.filter((step) => !isIncrementalStep(step.StepId, step.StepName));
  let percent: number | undefined;
  if (s.status === 'success') percent = 100;
  else if (full.length > 0) {
    const sum = full.reduce((n, step) => n + (step.Status === 'success' ? 100 : step.Status === 'running' ? clamp(step.Percent ?? 0) : 0), 0);
    percent = Math.floor(sum / full.length);
  }
  const streaming = s.status === 'readyComplete' || (s.status === 'running' && isIncrementalStep(currentStep(s.steps)?.StepId, currentStep(s.steps)?.StepName));
  const behind = s.steps?.SecondsBehindMaster;
  const delay = streaming && behind !== undefined && behind >= 0 ? behind : undefined;
  if (percent === undefined && delay === undefined) return undefined;
  return { ...(percent !== undefined ? { percent } : {}), ...(delay !== undefined ? { incrementalDelaySeconds: delay } : {}) };
}

const CHECK_RESULT: Readonly<Record<string, string>> = { pass: 'PASSED', warning: 'ALARM', failed: 'FAILED', blocked: 'FAILED', notStarted: 'NOT_RUN' };

/**
 * DescribeMigrationCheckJob → the planner's pre-check view. One item per DetailCheckItem (a step
 * without items is one item). A result counts as finished only once the job itself left
 * created/checking, so the answer of an earlier check is never taken for the one just asked.
 */
export function toPrecheck(result: DescribeMigrationCheckJobResponse | undefined, jobStatus: string): PrecheckObservation {
  const unfinished: PrecheckObservation = { purpose: 'start', finished: false, passed: false, hasAlarms: false, items: [] };
  if (!result) return unfinished;
  const items: PrecheckItem[] = [];
  for (const step of result.StepInfo ?? []) {
    const group = step.StepName ?? step.StepId;
    const details = step.DetailCheckItems ?? [];
    if (details.length === 0) {
      items.push(item(step.StepName ?? step.StepId ?? 'check step', group, step.StepStatus, step.StepMessage));
      continue;
    }
    for (const d of details) items.push(item(d.CheckItemName ?? group ?? 'check item', group, d.CheckResult, joinReason(d.FailureReason, d.Solution)));
  }
  const finished = (result.Status === 'success' || result.Status === 'failed') && jobStatus !== 'checking' && jobStatus !== 'created';
  if (finished && result.Status === 'failed' && !items.some((i) => i.result === 'FAILED')) {
    items.push({ item: 'pre-check', result: 'FAILED', failedReason: result.BriefMsg ?? 'the DTS pre-check could not run' });
  }
  const passedCount = items.filter((i) => i.result === 'PASSED' || i.result === 'ALARM').length;
  return {
    purpose: 'start',
    finished,
    passed: finished && result.Status === 'success' && result.CheckFlag === 'checkPass',
    hasAlarms: items.some((i) => i.result === 'ALARM'),
    ...(items.length > 0 ? { passedRate: `${Math.floor((passedCount / items.length) * 100)}%` } : {}),
    items,
  };
}

function item(name: string, group: string | undefined, outcome: string | undefined, reason: string | undefined): PrecheckItem {
  const result = CHECK_RESULT[outcome ?? ''] ?? (outcome ? outcome.toUpperCase() : 'NOT_RUN');
  return { item: name, ...(group && group !== name ? { group } : {}), result, ...(reason && result !== 'PASSED' ? { failedReason: reason } : {}) };
}

function joinReason(reason: string | undefined, solution: string | undefined): string | undefined {
  if (reason && solution) return `${reason} Solution: ${solution}`;
  return reason ?? solution;
}

/** Whether the reconcile of this job needs to run: the job moved in a way status shows. */
export function snapshotChanged(before: MigrationSnapshot | undefined, after: MigrationSnapshot): boolean {
  if (!before) return true;
  if (before.status !== after.status || before.tradeStatus !== after.tradeStatus) return true;
  if (isMaterialProgressChange(toProgress(before), toProgress(after))) return true;
  if (before.check?.result?.Status !== after.check?.result?.Status || before.check?.result?.CheckFlag !== after.check?.result?.CheckFlag) return true;
  if ((before.check === undefined) !== (after.check === undefined)) return true;
  return before.error?.message !== after.error?.message;
}

function clamp(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}
