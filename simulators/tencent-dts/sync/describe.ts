import { checkProgress, checkStepCur, CHECK_STEPS } from './check-steps.ts';
import type { SimSyncJob } from './model.ts';
import { allowedActions } from './rules.ts';

/** The answers DescribeSyncJobs and DescribeCheckSyncJobResult give about a job. */

const ALL_ACTIONS = ['Configure', 'Check', 'Start', 'Pause', 'Continue', 'Resume', 'Stop', 'RateLimit', 'Isolate', 'Destroy'];

/** yyyy-mm-dd hh:mm:ss, as DTS formats times (UTC here). */
export function dtsTime(ms: number | undefined): string {
  return ms === undefined ? '0000-00-00 00:00:00' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** 1-based number of the step the run is at (0 before the job started). */
export function stepNow(job: SimSyncJob): number {
  let now = 0;
  job.run.forEach((s, i) => {
    if (s.Status !== 'notStarted') now = i + 1;
  });
  return now;
}

function inIncrementalStep(job: SimSyncJob): boolean {
  return job.run.length > 0 && stepNow(job) === job.run.length;
}

/** Overall progress: the steps before the endless incremental one; 100 once it is reached. */
function overallProgress(job: SimSyncJob): number {
  if (job.run.length === 0) return 0;
  if (inIncrementalStep(job)) return 100;
  const finite = job.run.slice(0, -1);
  return Math.floor(finite.reduce((sum, s) => sum + (s.Status === 'finished' ? 100 : Math.max(0, s.Progress)), 0) / finite.length);
}

/** Passwords are never echoed back. */
function withoutPassword(info: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!info) return undefined;
  const { Password: _password, ...rest } = info;
  return rest;
}

export function syncJobInfo(job: SimSyncJob): Record<string, unknown> {
  const behind = inIncrementalStep(job) && ['Running', 'Pausing', 'Paused'].includes(job.Status);
  const now = stepNow(job);
  const current = job.run[now - 1];
  const c = job.config;
  return {
    JobId: job.JobId,
    JobName: job.JobName,
    PayMode: job.PayMode,
    RunMode: c?.RunMode ?? 'Immediate',
    ExpectRunTime: c?.ExpectRunTime ?? '',
    AllActions: ALL_ACTIONS,
    Actions: allowedActions(job),
    Options: {
      ...(c?.Options ?? {}),
      RateLimitOption: {
        CurrentDumpThread: job.rateLimit.DumpThread,
        DefaultDumpThread: 8,
        CurrentDumpRps: job.rateLimit.DumpRps,
        DefaultDumpRps: 50_000_000,
        CurrentLoadThread: job.rateLimit.LoadThread,
        DefaultLoadThread: 16,
        CurrentLoadRps: job.rateLimit.LoadRps,
        DefaultLoadRps: 50_000_000,
        CurrentSinkerThread: job.rateLimit.SinkerThread,
        DefaultSinkerThread: 32,
        HasUserSetRateLimit: job.rateLimit.userSet ? 'yes' : 'no',
      },
    },
    Objects: c?.Objects ?? null,
    Specification: job.Specification,
    ExpireTime: dtsTime(undefined),
    SrcRegion: job.SrcRegion,
    SrcDatabaseType: job.SrcDatabaseType,
    SrcAccessType: c?.SrcAccessType ?? '',
    SrcInfo: withoutPassword(c?.SrcInfo) ?? null,
    SrcNodeType: c?.SrcNodeType ?? 'single',
    DstRegion: job.DstRegion,
    DstDatabaseType: job.DstDatabaseType,
    DstAccessType: c?.DstAccessType ?? '',
    DstInfo: withoutPassword(c?.DstInfo) ?? null,
    DstNodeType: c?.DstNodeType ?? 'single',
    CreateTime: dtsTime(job.createdAt),
    StartTime: dtsTime(job.startedAt),
    EndTime: dtsTime(job.endedAt),
    Status: job.Status,
    Tags: job.Tags,
    Detail: {
      StepAll: job.run.length,
      StepNow: now,
      Progress: overallProgress(job),
      CurrentStepProgress: current ? current.Progress : -1,
      MasterSlaveDistance: behind ? job.delaySeconds * 1024 : -1,
      SecondsBehindMaster: behind ? job.delaySeconds : -1,
      Message: job.ErrInfo?.Message ?? '',
      StepInfos: job.run.map((s) => ({ StepNo: s.StepNo, StepName: s.StepName, StepId: s.StepId, Status: s.Status, Errors: [], Warnings: [], Progress: s.Progress })),
      ...(job.ErrInfo ? { ErrInfo: job.ErrInfo } : {}),
    },
    TradeStatus: job.TradeStatus,
    InstanceClass: job.InstanceClass,
    AutoRenew: job.AutoRenew,
    OfflineTime: dtsTime(undefined),
    AutoRetryTimeRangeMinutes: c?.AutoRetryTimeRangeMinutes ?? 0,
  };
}

export function checkResult(job: SimSyncJob): Record<string, unknown> {
  const check = job.check;
  if (!check) return { Status: 'notStarted', StepCount: CHECK_STEPS.length, StepCur: 0, Progress: 0, StepInfos: [] };
  return {
    Status: check.Status,
    StepCount: check.steps.length,
    StepCur: checkStepCur(check),
    Progress: checkProgress(check),
    StepInfos: check.steps.map((s) => ({ ...s })),
  };
}
