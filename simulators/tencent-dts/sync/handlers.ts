import { Api3Error, type Api3Handler } from '../../tencent-api3/server.ts';
import { findStep, settleCheck, type CheckOutcome } from './check-steps.ts';
import { checkResult, syncJobInfo } from './describe.ts';
import type { SyncJobStore } from './job-store.ts';
import { requireAllowed } from './rules.ts';
import { int, invalid, parseConfigure, parseCreate, parseRateLimit, str } from './validation.ts';

const VERSION = '2021-12-06';

/**
 * The DTS 2021-12-06 sync-job actions. Each finds the job (ResourceNotFound.JobNotExist), checks
 * the status rules (FailedOperation.StatusInConflict / OperationDenied.JobOperationDeniedError),
 * validates the request, then changes the store. Mutating calls answer only RequestId.
 */
export function syncHandlers(store: SyncJobStore, outcome: () => CheckOutcome): Map<string, Api3Handler> {
  const jobOf = (p: Record<string, unknown>, region: string | undefined) => store.get(str(p, 'JobId', { required: true }), region);
  const handlers: Record<string, Api3Handler> = {
    CreateSyncJob: (p, ctx) => ({ JobIds: store.create(parseCreate(p), ctx.region).map((j) => j.JobId) }),

    ConfigureSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Configure');
      store.configure(job, parseConfigure(p, job), str(p, 'JobName'));
      return {};
    },

    CreateCheckSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Check');
      store.startCheck(job, outcome());
      return {};
    },

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

    StartSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Start');
      store.start(job);
      return {};
    },

    PauseSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Pause');
      store.pause(job);
      return {};
    },

    ContinueSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Continue');
      store.continue(job);
      return {};
    },

    ResumeSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Resume');
      store.resume(job);
      return {};
    },

    StopSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Stop');
      store.stop(job);
      return {};
    },

    ModifySyncRateLimit: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'RateLimit');
      store.setRateLimit(job, parseRateLimit(p));
      return {};
    },

    IsolateSyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Isolate');
      store.isolate(job);
      return {};
    },

    DestroySyncJob: (p, ctx) => {
      const job = jobOf(p, ctx.region);
      requireAllowed(job, 'Destroy');
      store.destroy(job);
      return {};
    },

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
