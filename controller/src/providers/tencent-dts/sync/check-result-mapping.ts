import type { PrecheckItem, PrecheckObservation } from '../../../reconcile/observation.ts';
import type { DescribeCheckSyncJobResultResponse, StepInfo, StepTip } from './api-types.ts';

/**
 * DescribeCheckSyncJobResult → the normalized pre-check. Pure.
 *
 * Each error of a step is one FAILED item and each warning one ALARM item (the user fixes them
 * one by one); a step that finished clean (or was skipped) is one PASSED item. The check is
 * finished only when the job itself left Checking (CheckPass / CheckNotPass) and the result says
 * so, so a result read a moment before the job status moved is never taken as final.
 */
export function toPrecheck(jobStatus: string, result: DescribeCheckSyncJobResultResponse | undefined): PrecheckObservation {
  const settled = jobStatus === 'CheckPass' || jobStatus === 'CheckNotPass';
  const done = result?.Status === 'success' || result?.Status === 'failed';
  const steps = result?.StepInfos ?? [];
  const items = steps.flatMap(stepItems);
  const finished = settled && done;
  const failed = items.some((i) => i.result === 'FAILED');
  const clean = steps.filter((s) => isOver(s) && s.Status !== 'failed' && (s.Errors ?? []).length === 0).length;
  return {
    purpose: 'start',
    finished,
    // The job status is DTS's own verdict; an error item without it would still block.
    passed: finished && jobStatus === 'CheckPass' && result?.Status === 'success' && !failed,
    hasAlarms: items.some((i) => i.result === 'ALARM'),
    ...(finished && steps.length > 0 ? { passedRate: `${Math.round((100 * clean) / steps.length)}%` } : {}),
    items,
  };
}

function isOver(step: StepInfo): boolean {
  return step.Status === 'finished' || step.Status === 'failed' || step.Status === 'skipped';
}

function stepItems(step: StepInfo): PrecheckItem[] {
  if (!isOver(step)) return [];
  const item = step.StepName || step.StepId || `step ${step.StepNo ?? '?'}`;
  const group = step.StepId ? { group: step.StepId } : {};
  const errors = step.Errors ?? [];
  const warnings = step.Warnings ?? [];
  const out: PrecheckItem[] = [
    ...errors.map((tip) => ({ item, ...group, result: 'FAILED', failedReason: reason(tip) })),
    ...warnings.map((tip) => ({ item, ...group, result: 'ALARM', failedReason: reason(tip) })),
  ];
  if (out.length > 0) return out;
  if (step.Status === 'failed') return [{ item, ...group, result: 'FAILED', failedReason: 'DTS reported this check step as failed without details' }];
  return [{ item, ...group, result: 'PASSED' }];
}

/** "Message (Code). Fix: Solution", whatever of it DTS gave. */
export function reason(tip: StepTip): string {
  const message = tip.Message?.trim() || 'no message';
  const code = tip.Code ? ` (${tip.Code})` : '';
  const fix = tip.Solution?.trim() ? `. Fix: ${tip.Solution.trim()}` : '';
  return `${message}${code}${fix}`;
}
