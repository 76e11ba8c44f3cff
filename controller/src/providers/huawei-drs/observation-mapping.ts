import type { ProgressStatus } from '../../api/replication-job-status.ts';
import type { Observation, PrecheckObservation } from '../../reconcile/observation.ts';
import type { JobProgress, PrecheckResult } from './schemas.ts';
import { mapDrsStatus } from './status-map.ts';

/** What the poller knows about one job: the raw DRS answers it last received. */
export interface DrsSnapshot {
  jobId: string;
  status: string;
  error?: { code?: string; message: string };
  progress?: JobProgress;
  precheck?: { purpose: 'start' | 'retry'; result?: PrecheckResult };
}

/** DRS answers → the normalized Observation the planner reads. Pure. */
export function toObservation(s: DrsSnapshot): Observation {
  const mapped = mapDrsStatus(s.status) ?? { phase: 'Starting' as const, deletable: false, recoverable: true };
  const progress = s.progress ? toProgress(s.progress) : undefined;
  const precheck = s.precheck ? toPrecheck(s.precheck.purpose, s.precheck.result) : undefined;
  return {
    jobId: s.jobId,
    providerStatus: s.status,
    phase: mapped.phase,
    deletable: mapped.deletable,
    ...(mapped.phase === 'Failed' ? { recoverable: mapped.recoverable } : {}),
    ...(s.error && mapped.phase === 'Failed' ? { error: s.error } : {}),
    ...(progress ? { progress } : {}),
    ...(precheck ? { precheck } : {}),
  };
}

export function toPrecheck(purpose: 'start' | 'retry', result: PrecheckResult | undefined): PrecheckObservation {
  if (!result) return { purpose, finished: false, passed: false, hasAlarms: false, items: [] };
  const items = (result.precheck_result ?? []).map((c) => ({
    item: c.item ?? 'unnamed check',
    result: c.result ?? 'FAILED',
    ...(c.group ? { group: c.group } : {}),
    ...(c.failed_reason ? { failedReason: c.failed_reason } : {}),
  }));
  const finished = result.process === '100%';
  const failedItem = items.some((i) => i.result === 'FAILED');
  return {
    purpose,
    finished,
    // DRS sets result:true only when every item passed; items say whether only alarms remain.
    passed: finished && (result.result === true || (items.length > 0 && !failedItem)),
    hasAlarms: items.some((i) => i.result === 'ALARM'),
    ...(result.total_passed_rate ? { passedRate: result.total_passed_rate } : {}),
    items,
  };
}

/** batch-progress strings ("100", "94%", "-1") → numbers; -1 and blanks mean unknown. */
export function toProgress(p: JobProgress): ProgressStatus {
  const percent = number(p.progress);
  const delayMs = number(p.incre_trans_delay_millis);
  const delayS = number(p.incre_trans_delay);
  const remaining = number(p.remaining_time);
  const map = p.progress_map ?? {};
  const part = (key: string) => map[key]?.completed ?? undefined;
  const struct = part('struct') ?? part('structure');
  const data = part('data');
  const index = part('index');
  return {
    ...(percent !== undefined ? { percent: Math.min(100, Math.round(percent)) } : {}),
    ...(delayMs !== undefined ? { incrementalDelaySeconds: delayMs / 1000 } : delayS !== undefined ? { incrementalDelaySeconds: delayS } : {}),
    ...(remaining !== undefined ? { remainingSeconds: remaining } : {}),
    ...(struct ? { struct } : {}),
    ...(data ? { data } : {}),
    ...(index ? { index } : {}),
  };
}

function number(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const n = Number(value.replace('%', ''));
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
