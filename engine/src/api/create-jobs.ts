import { CreateJobItem } from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { drsError, type DrsError } from '../drs-errors.ts';
import type { JobRecord } from '../job.ts';
import type { ApiContext, ApiResponse } from './api-context.ts';
import { errorForIssue } from './validation.ts';

/**
 * 4.1.1 POST batch-creation → 202 `{results, count}`. Each item is validated and created on
 * its own: a bad item gets `{name, error_code, error_msg}` and no job, the others go ahead.
 * A created task starts in CREATING; the executor reports CONFIGURATION (or CREATE_FAILED).
 * Engines the executor cannot run are refused here with DRS.M00302 (transfer schema invalid).
 */
export async function createJobs(api: ApiContext, projectId: string, items: readonly unknown[]): Promise<ApiResponse> {
  const results = await Promise.all(items.map((item) => createOne(api, projectId, item)));
  return { status: 202, body: { results, count: results.length } };
}

async function createOne(api: ApiContext, projectId: string, input: unknown): Promise<Record<string, unknown>> {
  const name = typeof (input as { name?: unknown } | null)?.name === 'string' ? (input as { name: string }).name : undefined;
  const failed = (error: DrsError): Record<string, unknown> => (name === undefined ? { ...error } : { name, ...error });
  if (api.itemBusy('batch-creation')) return failed(drsError('DRS.M01504'));

  const validated = validateItem(api, input);
  if ('error_code' in validated) return failed(validated);
  const item = validated;

  let id = api.newJobId(item.db_use_type);
  while (api.runtime.get(id)) id = api.newJobId(item.db_use_type); // never reuse a task ID
  if (api.names && !api.names.claim(projectId, item.name, id)) return failed(drsError('DRS.M00277'));
  try {
    const job = newJobRecord(id, projectId, item, api.clock.now());
    let provisionError: DrsError | undefined;
    await api.runtime.insert(job, async (draft, ctx) => {
      try {
        await api.executor.provision(draft, ctx);
      } catch (error) {
        provisionError = drsError('DRS.M00004', (error as Error).message);
        ctx.discard(); // nothing half-created
      }
    });
    if (provisionError) return failed(provisionError);
    return { id, name: item.name, status: 'CREATING', create_time: String(job.createdAt) };
  } finally {
    api.names?.release(projectId, item.name);
  }
}

/** Schema (shared zod), engine support, DR-scenario rules and tags: the item, or why it is refused. */
function validateItem(api: ApiContext, input: unknown): CreateJobItem | DrsError {
  const parsed = CreateJobItem.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    if (field === 'engine_type' && (input as { engine_type?: unknown }).engine_type !== undefined) return drsError('DRS.M00302');
    if (field === 'tags') return drsError(issue?.path.length === 1 && issue.code === 'too_big' ? 'DRS.M00271' : 'DRS.M00270');
    return errorForIssue(issue, input);
  }
  const item = parsed.data;
  if (!api.executor.supportsEngine(item.engine_type)) return drsError('DRS.M00302', `engine_type ${item.engine_type} is not supported here`);
  if (item.db_use_type === 'cloudDataGuard') {
    // 4.1.1: multi_write is mandatory for DR; no VPC network in DR; single-active DR is FULL_INCR_TRANS only.
    if (item.multi_write === undefined) return drsError('DRS.M00201', 'multi_write');
    if (item.net_type === 'vpc') return drsError('DRS.M00202', 'net_type');
    if (!item.multi_write && item.task_type !== 'FULL_INCR_TRANS') return drsError('DRS.M00202', 'task_type');
  }
  const tagKeys = (item.tags ?? []).map((tag) => tag.key ?? '');
  if (new Set(tagKeys).size !== tagKeys.length) return drsError('DRS.M00269');
  return item;
}

function newJobRecord(id: string, projectId: string, item: CreateJobItem, now: number): JobRecord {
  const job: JobRecord = {
    id,
    projectId,
    name: item.name,
    description: item.description ?? '',
    status: 'CREATING',
    dbUseType: item.db_use_type,
    engineType: item.engine_type,
    jobDirection: item.job_direction,
    netType: item.net_type,
    nodeType: item.node_type,
    taskType: item.task_type,
    createdAt: now,
    updatedAt: now,
    options: {
      tags: (item.tags ?? []).map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
      sysTags: (item.sys_tags ?? []).map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' })),
      subnetId: item.customize_sutnet_id,
    },
    source: { ...item.source_endpoint },
    target: { ...item.target_endpoint },
    connections: {},
    configured: false,
    speedLimits: [],
    timers: [],
  };
  if (item.bind_eip !== undefined) job.options.bindEip = item.bind_eip;
  if (item.is_target_readonly !== undefined) job.options.isTargetReadonly = item.is_target_readonly;
  if (item.multi_write !== undefined) job.options.multiWrite = item.multi_write;
  if (item.expired_days !== undefined) job.options.expiredDays = item.expired_days;
  if (item.is_open_fast_clean !== undefined) job.options.isOpenFastClean = item.is_open_fast_clean;
  if (item.node_num !== undefined) job.options.nodeNum = item.node_num;
  return job;
}
