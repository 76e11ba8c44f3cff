import { CONDITION_TYPES } from '../api/phase.ts';
import type { PrecheckStatus, ProgressStatus, ReplicationJobStatus } from '../api/replication-job-status.ts';
import { removeCondition, setCondition } from './conditions.ts';
import type { ReconcileError } from './errors.ts';
import type { Observation, PrecheckObservation } from './observation.ts';
import type { Plan } from './plan.ts';

/** The largest number of pre-check items kept in status (failures first), to bound object size. */
export const MAX_PRECHECK_ITEMS = 100;

export interface StatusInput {
  previous: ReplicationJobStatus;
  plan: Plan;
  observed: Observation | undefined;
  /** The first action that failed, if any. */
  failure?: ReconcileError;
  desiredState: 'Running' | 'Paused' | 'Stopped';
  tolerateAlarms: boolean;
  generation: number;
  now: string;
}

/** The status to write after a reconcile. Pure: same inputs, same status (so no spurious patches). */
export function buildStatus(input: StatusInput): ReplicationJobStatus {
  const { previous, plan, observed, failure, now, generation } = input;
  const next: ReplicationJobStatus = { ...previous, phase: plan.phase, state: input.desiredState, observedGeneration: generation };

  if (observed) {
    next.jobId = observed.jobId;
    next.providerStatus = observed.providerStatus;
    next.lastObservedAt = now;
    if (observed.progress) next.progress = withDisplay(observed.progress);
    if (observed.precheck) next.precheck = precheckStatus(previous.precheck, observed.precheck, input.tolerateAlarms, now);
    if ((observed.phase === 'IncrementalSync' || observed.phase === 'Completed') && !next.fullSyncCompletedAt) next.fullSyncCompletedAt = now;
    if (observed.phase === 'IncrementalSync' || observed.phase === 'Completed') delete next.retries;
  }

  let conditions = setCondition(
    previous.conditions,
    { type: CONDITION_TYPES.Ready, status: plan.verdict.ready ? 'True' : 'False', reason: plan.verdict.reason, message: plan.verdict.message },
    now,
    generation,
  );
  conditions = setCondition(
    conditions,
    failure
      ? { type: CONDITION_TYPES.Synced, status: 'False', reason: failure.reason, message: failure.message }
      : { type: CONDITION_TYPES.Synced, status: 'True', reason: 'ReconcileSuccess', message: 'The provider job matches spec as far as it can at this phase' },
    now,
    generation,
  );
  if (next.precheck?.passed !== undefined) {
    const passed = next.precheck.passed;
    conditions = setCondition(
      conditions,
      {
        type: CONDITION_TYPES.PrecheckPassed,
        status: passed ? 'True' : 'False',
        reason: passed ? 'PrecheckPassed' : 'PrecheckFailed',
        message: passed ? `Pre-check passed (${next.precheck.passedRate ?? '100%'})` : precheckFailureSummary(next.precheck),
      },
      now,
      generation,
    );
  }
  const terminal = failure?.terminal ? { reason: failure.reason, message: failure.message } : plan.terminal;
  conditions = terminal
    ? setCondition(conditions, { type: CONDITION_TYPES.Terminal, status: 'True', ...terminal }, now, generation)
    : removeCondition(conditions, CONDITION_TYPES.Terminal);
  next.conditions = conditions;
  next.message = failure ? failure.message : plan.verdict.message;
  return next;
}

function precheckStatus(previous: PrecheckStatus | undefined, check: PrecheckObservation, tolerateAlarms: boolean, now: string): PrecheckStatus {
  const rank = (result: string) => (result === 'FAILED' ? 0 : result === 'ALARM' ? 1 : 2);
  const items = [...check.items].sort((a, b) => rank(a.result) - rank(b.result)).slice(0, MAX_PRECHECK_ITEMS);
  return {
    ...previous,
    purpose: check.purpose,
    ...(check.finished ? { passed: check.passed && (!check.hasAlarms || tolerateAlarms) } : {}),
    ...(check.passedRate !== undefined ? { passedRate: check.passedRate } : {}),
    items: items.map((i) => ({ item: i.item, result: i.result, ...(i.group ? { group: i.group } : {}), ...(i.failedReason ? { failedReason: i.failedReason } : {}) })),
    checkedAt: now,
  };
}

function precheckFailureSummary(precheck: PrecheckStatus): string {
  const blocking = (precheck.items ?? []).filter((i) => i.result !== 'PASSED');
  const names = blocking.slice(0, 5).map((i) => `${i.item} (${i.result}${i.failedReason ? `: ${i.failedReason}` : ''})`);
  const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : '';
  return `Pre-check did not pass: ${names.join('; ')}${more}. See status.precheck.items`;
}

function withDisplay(progress: ProgressStatus): ProgressStatus {
  return {
    ...progress,
    ...(progress.percent !== undefined ? { percentText: `${progress.percent}%` } : {}),
    ...(progress.incrementalDelaySeconds !== undefined ? { delayText: formatSeconds(progress.incrementalDelaySeconds) } : {}),
  };
}

/** 0s, 42s, 2m5s, 3h0m: short enough for a kubectl column. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}
