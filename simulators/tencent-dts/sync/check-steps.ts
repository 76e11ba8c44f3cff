import type { CheckRun, CheckStep, RunStep, Tip } from './model.ts';

/**
 * The steps a sync check runs (DescribeCheckSyncJobResult.StepInfos) and the steps a started
 * job goes through (DescribeSyncJobs Detail.StepInfos). The last run step is the incremental
 * catch-up: it never ends, and only there does DTS report SecondsBehindMaster.
 */
export const CHECK_STEPS: readonly { StepId: string; StepName: string }[] = [
  { StepId: 'ConnectDBCheck', StepName: 'Database connection check' },
  { StepId: 'VersionCheck', StepName: 'Version check' },
  { StepId: 'SrcPrivilegeCheck', StepName: 'Source privilege check' },
  { StepId: 'DstPrivilegeCheck', StepName: 'Target privilege check' },
  { StepId: 'BinlogCheck', StepName: 'Binlog parameter check' },
  { StepId: 'TargetTableCheck', StepName: 'Target table conflict check' },
];

/** What the next checks find (admin hook sync/check-outcome); tips without StepId go to the last step. */
export interface CheckOutcome {
  errors: (Tip & { StepId?: string })[];
  warnings: (Tip & { StepId?: string })[];
}

export const CLEAN_OUTCOME: CheckOutcome = { errors: [], warnings: [] };

export function newCheck(): CheckRun {
  return {
    Status: 'running',
    steps: CHECK_STEPS.map((s, i) => ({ StepNo: i + 1, ...s, Status: i === 0 ? 'running' : 'notStarted', Errors: [], Warnings: [], Progress: 0 })),
  };
}

/** Finish the running step with what the outcome says about it; start the next. Returns true when the check is over. */
export function advanceCheck(check: CheckRun, outcome: CheckOutcome): boolean {
  const last = CHECK_STEPS[CHECK_STEPS.length - 1]!.StepId;
  const index = check.steps.findIndex((s) => s.Status === 'running');
  if (index < 0) return true;
  const step = check.steps[index]!;
  const mine = (tip: { StepId?: string }) => (tip.StepId ?? last) === step.StepId;
  step.Errors = outcome.errors.filter(mine).map(stripStep);
  step.Warnings = outcome.warnings.filter(mine).map(stripStep);
  step.Status = step.Errors.length > 0 ? 'failed' : 'finished';
  step.Progress = 100;
  const next = check.steps[index + 1];
  if (next) {
    next.Status = 'running';
    return false;
  }
  settleCheck(check);
  return true;
}

/** A check whose steps are all over: failed if any step still failed (skipped ones do not count). */
export function settleCheck(check: CheckRun): void {
  check.Status = check.steps.some((s) => s.Status === 'failed') ? 'failed' : 'success';
}

function stripStep(tip: Tip & { StepId?: string }): Tip {
  return { ...(tip.Code ? { Code: tip.Code } : {}), Message: tip.Message, ...(tip.Solution ? { Solution: tip.Solution } : {}) };
}

export function checkStepCur(check: CheckRun): number {
  const running = check.steps.findIndex((s) => s.Status === 'running');
  return running < 0 ? check.steps.length : running + 1;
}

export function checkProgress(check: CheckRun): number {
  const over = check.steps.filter((s) => s.Status !== 'notStarted' && s.Status !== 'running').length;
  return Math.round((100 * over) / check.steps.length);
}

/** Run steps for an Options.InitType: None skips structure and data, Data skips structure, Structure skips data. */
export function runSteps(initType: string): RunStep[] {
  const steps: { StepId: string; StepName: string }[] = [{ StepId: 'Init', StepName: 'Initialize' }];
  if (initType === 'Full' || initType === 'Structure') steps.push({ StepId: 'StructureSync', StepName: 'Structure initialization' });
  if (initType === 'Full' || initType === 'Data') steps.push({ StepId: 'FullDataSync', StepName: 'Full data initialization' });
  steps.push({ StepId: 'IncrementalSync', StepName: 'Incremental sync' });
  return steps.map((s, i) => ({ StepNo: i + 1, ...s, Status: 'notStarted', Progress: 0 }));
}

export function findStep(check: CheckRun, stepId: string): CheckStep | undefined {
  return check.steps.find((s) => s.StepId === stepId);
}
