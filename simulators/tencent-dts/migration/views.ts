import type {
  DBEndpointInfo,
  DescribeMigrationCheckJobResponse,
  DescribeMigrationDetailResponse,
  JobItem,
} from '../../../controller/src/providers/tencent-dts/migration/api-types.ts';
import { notStartedCheck } from './check-run.ts';
import { formatTime } from './jobs.ts';
import { ALL_ACTIONS, INCREMENTAL_STEP_ID, allowedActions, type SimJob } from './model.ts';

/** How DTS answers about a job: DescribeMigrationJobs items, DescribeMigrationDetail, the check. Passwords never leave. */
export function jobItem(job: SimJob): JobItem {
  const streaming = job.steps.some((s) => s.StepId === INCREMENTAL_STEP_ID && s.Status === 'running');
  const stepNow = job.steps.find((s) => s.Status === 'running' || s.Status === 'failed')?.StepNo ?? (job.status === 'success' ? job.steps.length : 0);
  return {
    JobId: job.id,
    JobName: job.name,
    CreateTime: formatTime(job.createdAt),
    UpdateTime: formatTime(job.updatedAt),
    StartTime: job.startedAt ? formatTime(job.startedAt) : '',
    EndTime: job.endedAt ? formatTime(job.endedAt) : '',
    BriefMsg: job.briefMsg ?? '',
    Status: job.status,
    RunMode: job.config?.RunMode ?? 'immediate',
    ExpectRunTime: job.config?.ExpectRunTime ?? '',
    Action: { AllAction: [...ALL_ACTIONS], AllowedAction: allowedActions(job) },
    StepInfo: {
      StepAll: job.steps.length,
      StepNow: stepNow,
      MasterSlaveDistance: streaming ? job.lagSeconds : -1,
      SecondsBehindMaster: streaming ? job.lagSeconds : -1,
      StepInfo: job.steps.map((s) => ({ ...s })),
    },
    ...(job.config ? { SrcInfo: withoutPasswords(job.config.SrcInfo), DstInfo: withoutPasswords(job.config.DstInfo) } : {}),
    TradeInfo: {
      DealName: `dts-deal-${job.id.slice(4)}`,
      InstanceClass: job.instanceClass,
      TradeStatus: job.tradeStatus,
      PayType: 'postpay',
      BillingType: job.tradeStatus === 'notBilled' ? 'notBilling' : 'billing',
      ...(job.isolatedAt ? { IsolateTime: formatTime(job.isolatedAt), IsolateReason: 'Isolated by the user' } : {}),
    },
    Tags: job.tags.map((t) => ({ ...t })),
  };
}

export function jobDetail(job: SimJob): DescribeMigrationDetailResponse {
  return {
    ...jobItem(job),
    ...(job.config ? { MigrateOption: job.config.MigrateOption } : {}),
    ErrorInfo: job.error ? [{ Code: job.error.code, ErrorLog: job.error.message, Solution: job.error.solution, HelpDoc: '' }] : [],
  };
}

export function checkResult(job: SimJob): DescribeMigrationCheckJobResponse {
  const run = job.check;
  if (!run) return notStartedCheck();
  return {
    Status: run.status,
    BriefMsg: run.brief,
    StepInfo: run.steps.map((s) => ({ ...s, DetailCheckItems: (s.DetailCheckItems ?? []).map((d) => ({ ...d })) })),
    CheckFlag: run.flag ?? '',
  };
}

function withoutPasswords(e: DBEndpointInfo): DBEndpointInfo {
  return { ...e, Info: e.Info.map(({ Password: _password, ...rest }) => rest) };
}
