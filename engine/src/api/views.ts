import { createHash } from 'node:crypto';
import type { ProgressReport } from '../executor.ts';
import type { EndpointRecord, JobRecord } from '../job.ts';
import { stateViewOf } from '../job-transitions.ts';
import { jobActions } from '../state-machine.ts';
import { FAILURE_STATUSES } from '../statuses.ts';

/**
 * Job records as the DRS API shows them: field names, string-typed numbers and timestamp
 * formats per the seed's response tables and examples. Secrets never leave: endpoint
 * passwords, certificates and keys are dropped from every view.
 */

/** Endpoint fields a response may carry (Table 4-158 minus secrets). */
const ENDPOINT_FIELDS = [
  'db_type',
  'az_code',
  'region',
  'inst_id',
  'vpc_id',
  'subnet_id',
  'security_group_id',
  'project_id',
  'db_port',
  'db_user',
  'inst_name',
  'ip',
  'mongo_ha_mode',
  'safe_mode',
  'ssl_cert_name',
  'ssl_link',
  'topic',
  'cluster_mode',
] as const;

export function endpointView(endpoint: EndpointRecord): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of ENDPOINT_FIELDS) {
    const value = endpoint[field];
    if (value === undefined || value === null) continue;
    view[field] = field === 'db_port' && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  }
  return view;
}

/** batch-detail result (Table 4-157, example in 4.1.21). */
export function detailView(job: JobRecord): Record<string, unknown> {
  const failed = FAILURE_STATUSES.has(job.status) && job.failure;
  const detail: Record<string, unknown> = {
    id: job.id,
    name: job.name,
    status: job.status,
    description: job.description,
    create_time: String(job.createdAt),
    task_type: job.taskType,
    source_endpoint: endpointView(job.source),
    target_endpoint: endpointView(job.target),
    net_type: job.netType,
    inst_info: instInfo(job),
    update_time: String(job.updatedAt),
    job_direction: job.jobDirection,
    db_use_type: job.dbUseType,
    need_restart: false,
    is_target_readonly: job.options.isTargetReadonly ?? true,
    speed_limit: job.speedLimits.map((limit) => ({ ...limit })),
    schema_type: schemaType(job.engineType),
    object_switch: job.objects?.selected ?? false,
    replace_definer: job.options.replaceDefiner ?? false,
    migrate_user: false,
    multi_write: job.options.multiWrite ?? false,
    support_ip_v6: false,
    original_job_direction: job.jobDirection,
    tags: job.options.tags.map((tag) => ({ ...tag })),
    is_open_fast_clean: job.options.isOpenFastClean ?? false,
    object_infos: (job.objects?.items ?? []).map(objectInfo),
  };
  if (job.options.subnetId) detail.subnet_id = job.options.subnetId;
  if (job.actualStartAt !== undefined) detail.actual_start_time = String(job.actualStartAt);
  if (job.fullCompleteAt !== undefined) detail.full_transfer_complete_time = String(job.fullCompleteAt);
  if (job.syncPolicy) {
    if (typeof job.syncPolicy.conflict_policy === 'string') detail.conflict_policy = job.syncPolicy.conflict_policy;
    if (typeof job.syncPolicy.filter_ddl_policy === 'string') detail.filter_ddl_policy = job.syncPolicy.filter_ddl_policy;
    if (typeof job.syncPolicy.index_trans === 'boolean') detail.index_trans = job.syncPolicy.index_trans;
  }
  if (job.objects?.syncDatabase !== undefined) detail.sync_database = job.objects.syncDatabase;
  if (job.alarmNotify) detail.alarm_notify = { ...job.alarmNotify };
  if (failed) {
    detail.failed_reason = job.failure!.errorMsg;
    detail.error_code = job.failure!.errorCode;
    detail.error_message = job.failure!.errorMsg;
  }
  return detail;
}

/** list result entry (Table 4-149): create_time as "yyyy-MM-dd HH:mm:ss" (UTC) like the example. */
export function listView(job: JobRecord): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    id: job.id,
    name: job.name,
    status: job.status,
    description: job.description,
    create_time: new Date(job.createdAt).toISOString().replace('T', ' ').slice(0, 19),
    engine_type: job.engineType,
    net_type: job.netType,
    billing_tag: false,
    job_direction: job.jobDirection,
    db_use_type: job.dbUseType,
    task_type: job.taskType,
    node_newFramework: false,
    job_action: jobActions(stateViewOf(job)),
  };
  if (FAILURE_STATUSES.has(job.status) && job.failure) entry.error_msg = job.failure.errorMsg;
  return entry;
}

/** batch-progress result (Table 4-143): numbers as strings, -1 delay outside incremental. */
export function progressView(job: JobRecord, report: ProgressReport, now: number): Record<string, unknown> {
  const view: Record<string, unknown> = {
    job_id: job.id,
    progress: String(report.percent),
    incre_trans_delay: report.incrementalDelayMs === undefined ? '-1' : String(Math.floor(report.incrementalDelayMs / 1000)),
    incre_trans_delay_millis: report.incrementalDelayMs === undefined ? '-1' : String(Math.floor(report.incrementalDelayMs)),
    task_mode: job.taskType,
    transfer_status: job.status,
    process_time: job.actualStartAt === undefined ? '0' : String(now),
    remaining_time: String(report.remainingSeconds),
  };
  if (report.phases) {
    view.progress_map = {
      struct: { completed: `${report.phases.struct}%`, remaining_time: null },
      data: { completed: `${report.phases.data}%`, remaining_time: null },
      index: { completed: `${report.phases.index}%`, remaining_time: null },
    };
  }
  return view;
}

/** batch-precheck-result result (Table 4-53): process "N%" until done, then items and pass rate. */
export function precheckResultView(job: JobRecord, runningPercent: number): Record<string, unknown> {
  const precheck = job.precheck!;
  const done = precheck.finishedAt !== undefined;
  const items = done ? (precheck.items ?? []) : [];
  const passedItems = items.filter((item) => item.result !== 'FAILED').length;
  return {
    precheck_id: job.id,
    result: done && precheck.passed === true,
    process: done ? '100%' : `${runningPercent}%`,
    total_passed_rate: done && items.length > 0 ? `${Math.floor((passedItems * 100) / items.length)}%` : '0%',
    rds_instance_id: String(job.target.inst_id ?? ''),
    job_direction: job.jobDirection,
    precheck_result: items.map((item) => ({ ...item })),
  };
}

function objectInfo(item: Record<string, unknown>): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  if (item.id !== undefined) info.id = item.id;
  if (item.parent_id !== undefined && item.parent_id !== null) info.parent_id = item.parent_id;
  if (item.object_type !== undefined) info.type = item.object_type;
  if (item.object_name !== undefined) info.name = item.object_name;
  if (item.object_alias_name !== undefined && item.object_alias_name !== null) info.alias_name = item.object_alias_name;
  if (item.select !== undefined) info.select = item.select;
  return info;
}

function instInfo(job: JobRecord): Record<string, unknown> {
  // A stable, made-up private address for the replication instance, derived from the task ID.
  const digest = createHash('sha256').update(job.id).digest();
  const info: Record<string, unknown> = {
    ip: `172.16.${digest[0]}.${(digest[1] ?? 0) % 254 + 1}`,
    status: job.status === 'RELEASE_RESOURCE_COMPLETE' || job.status === 'DELETED' ? 'deleted' : 'active',
    inst_type: job.nodeType,
    engine_type: job.engineType,
    volume_size: 100,
    start_time: String(job.scheduledStartAt ?? 0),
  };
  if (job.options.bindEip) info.public_ip = '*****';
  return info;
}

function schemaType(engineType: string): string {
  if (engineType === 'postgresql') return 'Replication';
  return 'Tungsten';
}
