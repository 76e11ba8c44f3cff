import type { CheckStep, DetailCheckItem } from '../../../controller/src/providers/tencent-dts/migration/api-types.ts';
import type { CheckRun } from './model.ts';

/**
 * The pre-check DTS runs for a migration (CreateMigrateCheckJob → DescribeMigrationCheckJob):
 * steps named as the API documents (ConnectDBCheck, VersionCheck, SrcPrivilegeCheck, ...), each
 * with detail items. The simulator checks one step per tick; the outcome of every item is pass
 * unless the admin API said otherwise (`/_sim/migration/check-outcome`).
 */
const STEPS: { id: string; name: string; items: string[] }[] = [
  { id: 'ConnectDBCheck', name: 'Database connection check', items: ['Source database connection', 'Target database connection'] },
  { id: 'VersionCheck', name: 'Version check', items: ['Database version compatibility'] },
  { id: 'SrcPrivilegeCheck', name: 'Source privilege check', items: ['Source account privileges'] },
  { id: 'DstPrivilegeCheck', name: 'Target privilege check', items: ['Target account privileges'] },
  { id: 'ObjectCheck', name: 'Migration object check', items: ['Primary key check', 'Target object conflict check'] },
];

export interface CheckItemOutcome {
  /** CheckItemName; an item no step has is added to `step` (default ObjectCheck). */
  item: string;
  step?: string;
  reason: string;
  solution?: string;
}

export interface CheckOutcome {
  failures: CheckItemOutcome[];
  warnings: CheckItemOutcome[];
  /** The check itself cannot run (Status failed, BriefMsg this). */
  error?: string;
}

export const NO_CHECK_FINDINGS: CheckOutcome = { failures: [], warnings: [] };

export function newCheckRun(): CheckRun {
  return {
    status: 'running',
    cursor: 0,
    brief: 'Checking',
    steps: STEPS.map((s, i) => ({ StepNo: i + 1, StepId: s.id, StepName: s.name, StepStatus: 'notStarted', StepMessage: '', DetailCheckItems: [], HasSkipped: false })),
  };
}

/** Check the next step; true once the whole check finished. */
export function advanceCheck(run: CheckRun, outcome: CheckOutcome): boolean {
  if (run.status !== 'running') return true;
  if (outcome.error) {
    run.status = 'failed';
    run.flag = 'checkNotPass';
    run.brief = outcome.error;
    for (const step of run.steps.slice(run.cursor)) step.StepStatus = 'blocked';
    return true;
  }
  const step = run.steps[run.cursor]!;
  const spec = STEPS[run.cursor]!;
  const names = [...spec.items, ...[...outcome.failures, ...outcome.warnings].filter((o) => (o.step ?? 'ObjectCheck') === spec.id && !STEPS.some((s) => s.items.includes(o.item))).map((o) => o.item)];
  step.DetailCheckItems = [...new Set(names)].map((name) => detail(name, outcome));
  const results = step.DetailCheckItems.map((d) => d.CheckResult);
  step.StepStatus = results.includes('failed') ? 'failed' : results.includes('warning') ? 'warning' : 'pass';
  step.StepMessage = step.StepStatus === 'pass' ? '' : (step.DetailCheckItems.find((d) => d.CheckResult !== 'pass')?.FailureReason ?? '');
  run.cursor++;
  if (run.cursor < run.steps.length) return false;
  const failed = run.steps.some((s) => s.StepStatus === 'failed');
  run.status = 'success';
  run.flag = failed ? 'checkNotPass' : 'checkPass';
  run.brief = failed ? 'The pre-check did not pass: fix the failed items and check again' : 'The pre-check passed';
  return true;
}

function detail(name: string, outcome: CheckOutcome): DetailCheckItem {
  const failure = outcome.failures.find((o) => o.item === name);
  const warning = outcome.warnings.find((o) => o.item === name);
  const found = failure ?? warning;
  return {
    CheckItemName: name,
    Description: `${name}`,
    CheckResult: failure ? 'failed' : warning ? 'warning' : 'pass',
    FailureReason: found?.reason ?? '',
    Solution: found?.solution ?? '',
    ErrorLog: [],
    HelpDoc: [],
  };
}

/** DescribeMigrationCheckJob for a job never checked. */
export function notStartedCheck(): { Status: string; BriefMsg: string; StepInfo: CheckStep[]; CheckFlag: string } {
  return { Status: 'notStarted', BriefMsg: '', StepInfo: [], CheckFlag: '' };
}
