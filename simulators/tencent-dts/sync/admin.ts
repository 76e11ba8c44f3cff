import type { AdminHandler } from '../../tencent-api3/server.ts';
import { CHECK_STEPS, CLEAN_OUTCOME, type CheckOutcome } from './check-steps.ts';
import type { SyncJobStore } from './job-store.ts';
import type { Tip } from './model.ts';

/**
 * Admin endpoints under /_sim/sync/ (no auth), for tests and trying things by hand:
 * - sync/check-outcome  POST {errors?, warnings?: [{StepId?, Code?, Message, Solution?}]}: what
 *   every check started from now on finds (tips without StepId land on the last step);
 *   DELETE clears it; GET shows it.
 * - sync/jobs           GET: every job as stored (passwords included: it is the test's view).
 * - sync/jobs/<id>      GET: one job.
 * - sync/jobs/<id>/fail POST {resumable?: true, Reason?, Message?, Solution?}: the running job
 *   fails (ResumableErr, or Failed with resumable false) with that ErrInfo.
 * - sync/jobs/<id>/delay POST {seconds}: SecondsBehindMaster during incremental sync.
 * - sync/limits         POST {maxUnusedJobs}: LimitExceeded.MaxUnusedJobs threshold; GET shows it.
 */
export function syncAdmin(store: SyncJobStore, outcome: { current: CheckOutcome }): Map<string, AdminHandler> {
  return new Map<string, AdminHandler>([
    [
      'sync/check-outcome',
      (body, method) => {
        if (method === 'DELETE') outcome.current = CLEAN_OUTCOME;
        else if (method === 'POST' || method === 'PUT') outcome.current = parseOutcome(body);
        return outcome.current;
      },
    ],
    [
      'sync/jobs',
      (arg, method) => {
        const sub = arg && typeof arg === 'object' && 'path' in arg ? (arg as { path: string; body: unknown }) : undefined;
        if (!sub) return [...store.jobs.values()];
        const [id, what] = sub.path.split('/');
        const job = store.jobs.get(id ?? '');
        if (!job) throw new Error(`no sync job ${id}`);
        if (what === undefined && method === 'GET') return job;
        const body = (sub.body ?? {}) as Record<string, unknown>;
        if (what === 'delay' && method === 'POST') {
          const seconds = body.seconds;
          if (typeof seconds !== 'number' || seconds < 0) throw new Error('delay needs {"seconds": <number ≥ 0>}');
          job.delaySeconds = seconds;
          return job;
        }
        if (what === 'fail' && method === 'POST') {
          if (!['ReadyRunning', 'Running', 'Pausing', 'Paused', 'Resuming'].includes(job.Status)) throw new Error(`job ${job.JobId} is ${job.Status}: only a started job can fail`);
          store.fail(job, {
            resumable: body.resumable !== false,
            Reason: typeof body.Reason === 'string' ? body.Reason : 'SrcBinlogPurged',
            Message: typeof body.Message === 'string' ? body.Message : 'The binlog the job needs was purged on the source',
            Solution: typeof body.Solution === 'string' ? body.Solution : 'Keep binlogs longer on the source, then resume the job',
          });
          return job;
        }
        throw new Error(`unknown admin call ${method} sync/jobs/${sub.path}`);
      },
    ],
    [
      'sync/limits',
      (body, method) => {
        if (method === 'POST') {
          const max = (body as { maxUnusedJobs?: unknown } | undefined)?.maxUnusedJobs;
          if (typeof max !== 'number' || max < 0) throw new Error('limits needs {"maxUnusedJobs": <number ≥ 0>}');
          store.maxUnusedJobs = max;
        }
        return { maxUnusedJobs: store.maxUnusedJobs };
      },
    ],
  ]);
}

function parseOutcome(body: unknown): CheckOutcome {
  const b = (body ?? {}) as { errors?: unknown; warnings?: unknown };
  return { errors: tips(b.errors, 'errors'), warnings: tips(b.warnings, 'warnings') };
}

function tips(value: unknown, what: string): (Tip & { StepId?: string })[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${what} must be an array`);
  const steps = CHECK_STEPS.map((s) => s.StepId);
  return value.map((t, i) => {
    const tip = (t ?? {}) as Record<string, unknown>;
    if (typeof tip.Message !== 'string') throw new Error(`${what}[${i}].Message must be a string`);
    if (tip.StepId !== undefined && !steps.includes(String(tip.StepId))) throw new Error(`${what}[${i}].StepId must be one of ${steps.join(', ')}`);
    return {
      Message: tip.Message,
      ...(tip.StepId !== undefined ? { StepId: String(tip.StepId) } : {}),
      ...(typeof tip.Code === 'string' ? { Code: tip.Code } : {}),
      ...(typeof tip.Solution === 'string' ? { Solution: tip.Solution } : {}),
    };
  });
}
