import type { ProgressStatus } from '../../api/replication-job-status.ts';
import type { ProviderPhase } from '../../reconcile/observation.ts';
import type { ListedReplication } from './schemas.ts';

/**
 * A listed synchronization → normalized phase. Pure.
 *
 * | status   | stage (or catchup_stage) | phase            |
 * |----------|--------------------------|------------------|
 * | abnormal | any                      | Failed           |
 * | normal   | failed                   | Failed           |
 * | normal   | wait                     | Starting         |
 * | normal   | full                     | FullSync (+ %)   |
 * | normal   | incremental              | IncrementalSync  |
 * | normal   | other / absent           | Starting         |
 *
 * Assumptions (the reference names the values, not their meaning): `stage` is the task's own
 * stage and `catchup_stage` that of tables being caught up after a change of scope, so the
 * phase follows `stage` (catchup_stage when stage is absent), and either one `failed` fails the
 * task. `other` is a transition the reference does not describe: reported as Starting (not
 * ready, polled actively) rather than guessed. The API has no retry, so a failure is final.
 */
export interface MappedReplication {
  phase: ProviderPhase;
  providerStatus: string;
  progress?: ProgressStatus;
  error?: { code: string; message: string };
}

export function mapReplication(r: ListedReplication): MappedReplication {
  const status = (r.status ?? '').toLowerCase();
  const stage = (r.stage ?? r.catchup_stage ?? '').toLowerCase();
  const catchup = (r.catchup_stage ?? '').toLowerCase();
  const providerStatus = `${status || 'unknown'}/${stage || 'unknown'}`;
  const percent = parsePercentage(r.percentage);
  if (status === 'abnormal' || stage === 'failed' || catchup === 'failed') {
    const where = catchup === 'failed' && stage !== 'failed' ? 'while catching up tables' : `in stage ${stage || 'unknown'}`;
    return {
      phase: 'Failed',
      providerStatus,
      error: {
        code: status === 'abnormal' ? 'abnormal' : 'failed',
        message: `GaussDB(for MySQL) reports the synchronization of database ${r.source_database} as ${status === 'abnormal' ? 'abnormal' : 'failed'} ${where}; see the instance's HTAP page in the console for the cause`,
      },
    };
  }
  switch (stage) {
    case 'full':
      return { phase: 'FullSync', providerStatus, ...(percent !== undefined ? { progress: { percent } } : {}) };
    case 'incremental':
      // The copy is complete once changes stream; the list reports no delay.
      return { phase: 'IncrementalSync', providerStatus, progress: { percent: 100 } };
    default:
      return { phase: 'Starting', providerStatus };
  }
}

/** Whether nothing moves (the poller's slow interval applies). */
export function isSteadyReplication(r: ListedReplication): boolean {
  const { phase } = mapReplication(r);
  return phase === 'IncrementalSync' || phase === 'Failed';
}

/** "45", "45%", 45, "45.6" → 0..100; blanks, negatives and junk → unknown. */
export function parsePercentage(value: string | number | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0) return undefined;
  return Math.min(100, Math.round(n));
}
