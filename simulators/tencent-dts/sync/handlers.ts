import { Api3Error, type Api3Handler } from '../../tencent-api3/server.ts';
import { findStep, settleCheck, type CheckOutcome } from './check-steps.ts';
import { checkResult, syncJobInfo } from './describe.ts';
import type { SyncJobStore } from './job-store.ts';
import type { SimSyncJob } from './model.ts';
import { requireAllowed, type SyncAction } from './rules.ts';
import { int, invalid, parseConfigure, parseCreate, parseRateLimit, str } from './validation.ts';

const VERSION = '2021-12-06';

/**
 * The DTS 2021-12-06 sync-job actions. Each finds the job (ResourceNotFound.JobNotExist), checks
 * the status rules (FailedOperation.StatusInConflict / OperationDenied.JobOperationDeniedError),
 * validates the request, then changes the store. Mutating calls answer only RequestId.
 */
export function syncHandlers(store: SyncJobStore, outcome: () => CheckOutcome): Map<string, Api3Handler> {
  const jobOf = (p: Record<string, unknown>, region: string | undefined) => store.get(str(p, 'JobId', { required: true }), region);
  /** A mutating action on one job: find it, check the status rules for `action`, then `change` it (validating the rest of the request first). */
  const onJob =
    (action: SyncAction, change: (job: SimSyncJob, p: Record<string, unknown>) => void): Api3Handler =>
    (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, action);
      change(job, p);
      return {};
    };
  const handlers: Record<string, Api3Handler> = {
    CreateSyncJob: (p, ctx) => ({ JobIds: store.create(parseCreate(p), ctx.region).map((j) => j.JobId) }),

    ConfigureSyncJob: onJob('Configure', (job, p) => store.configure(job, parseConfigure(p, job), str(p, 'JobName'))),
    CreateCheckSyncJob: onJob('Check', (job) => store.startCheck(job, outcome())),

    DescribeCheckSyncJobResult: (p, ctx) => checkResult(jobOf(p, ctx.region)),

    SkipSyncCheckItem: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      const ids = p.StepIds;
      if (!Array.isArray(ids) || ids.length === 0) throw invalid('StepIds must be a non-empty array');
      const check = job.check;
      if (job.Status !== 'CheckNotPass' || !check) throw new Api3Error('FailedOperation.StatusInConflict', `SkipSyncCheckItem is allowed only in status CheckNotPass, not ${job.Status}`);
      for (const id of ids) {
        const step = findStep(check, String(id));
        if (!step) throw invalid(`StepIds ${String(id)} is not a step of the check`);
        step.Status = 'skipped';
      }
      settleCheck(check);
      if (check.Status === 'success') job.Status = 'CheckPass';
      return {};
    },

    StartSyncJob: onJob('Start', (job) => store.start(job)),
    PauseSyncJob: onJob('Pause', (job) => store.pause(job)),
    ContinueSyncJob: onJob('Continue', (job) => store.continue(job)),
    ResumeSyncJob: onJob('Resume', (job) => store.resume(job)),
    StopSyncJob: onJob('Stop', (job) => store.stop(job)),
    ModifySyncRateLimit: onJob('RateLimit', (job, p) => store.setRateLimit(job, parseRateLimit(p))),
    IsolateSyncJob: onJob('Isolate', (job) => store.isolate(job)),
    DestroySyncJob: onJob('Destroy', (job) => store.destroy(job)),

    DescribeSyncJobs: (p, ctx) => {
      const ids = p.JobIds;
      if (ids !== undefined && (!Array.isArray(ids) || ids.length > 100)) throw invalid('JobIds must be an array of at most 100 job IDs');
      const jobId = str(p, 'JobId');
      const name = str(p, 'JobName');
      const statuses = p.Status;
      if (statuses !== undefined && !Array.isArray(statuses)) throw invalid('Status must be an array');
      const offset = int(p, 'Offset', { min: 0 }) ?? 0;
      const limit = int(p, 'Limit', { min: 1, max: 100 }) ?? 20;
      const asc = str(p, 'OrderSeq', { oneOf: ['ASC', 'DESC'] }) === 'ASC';
      const matching = [...store.jobs.values()]
        .filter((j) => !ctx.region || !j.region || j.region === ctx.region)
        .filter((j) => !ids || (ids as unknown[]).includes(j.JobId))
        .filter((j) => !jobId || j.JobId === jobId)
        .filter((j) => !name || j.JobName === name)
        .filter((j) => !statuses || (statuses as unknown[]).includes(j.Status))
        .sort((a, b) => (asc ? a.createdAt - b.createdAt : b.createdAt - a.createdAt));
      return { TotalCount: matching.length, JobList: matching.slice(offset, offset + limit).map(syncJobInfo) };
    },
  };
  return new Map(Object.entries(handlers).map(([action, handler]) => [`${VERSION}/${action}`, handler]));
}
