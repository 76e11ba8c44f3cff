import type {
  ConnectionTestItem,
  ModifyJobItem,
  ModifyPasswordItem,
  SelectObjectsItem,
  SpeedLimitItem,
  SyncPolicyItem,
} from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { drsError } from '../drs-errors.ts';
import type { JobRecord } from '../job.ts';
import type { Operation } from '../state-machine.ts';
import type { ApiContext, ApiResponse } from './api-context.ts';
import { actionResult, ItemRefusal, runItemOp } from './item-op.ts';

/**
 * Configuration calls on a task in CONFIGURATION (and, for names, passwords and speed limits,
 * later): 4.1.2 batch-connection, 4.1.4 batch-modification, 4.1.5 batch-select-objects,
 * 4.3.2 batch-sync-policy, 4.1.8 batch-limit-speed, 4.1.15 batch-modify-pwd. State rules are in
 * state-machine.ts; each function here applies one item and shapes its result per the seed.
 *
 * Changing what a pre-check looked at (endpoints, objects, sync policy) voids the pre-check:
 * the task must be checked again before it can start.
 */

/** 4.1.2 → 200. One entry per endpoint (so / ta); passed when both succeeded. */
export async function testConnections(api: ApiContext, items: readonly ConnectionTestItem[]): Promise<ApiResponse> {
  // Items run concurrently; the so and ta entries of one task queue on its lock in request order.
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.id, { endpoint: 'batch-connection', op: 'test-connection' }, async (draft, ctx) => {
        const result = await api.executor.testConnection(draft, { ...item }, ctx);
        draft.connections[item.end_point_type] = {
          success: result.success,
          at: ctx.now(),
          ...(result.errorCode ? { errorCode: result.errorCode } : {}),
          ...(result.errorMsg ? { errorMsg: result.errorMsg } : {}),
        };
        return result;
      });
      if (!outcome.ok) return { id: item.id, status: 'failed', success: false, ...outcome.error };
      if (outcome.value.success) return { id: item.id, status: 'success', success: true };
      return {
        id: item.id,
        status: 'failed',
        success: false,
        error_code: outcome.value.errorCode ?? 'DRS.KE014',
        error_msg: outcome.value.errorMsg ?? 'Internal error.',
      };
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

/** Fields of a modification that only rename/describe/notify (allowed outside CONFIGURATION). */
const INFO_FIELDS = new Set(['job_id', 'name', 'description', 'alarm_notify', 'tags']);

/** Fields fixed at creation: a different value means a new task, not a modification. */
const IMMUTABLE: ReadonlyArray<[keyof ModifyJobItem, keyof JobRecord]> = [
  ['engine_type', 'engineType'],
  ['db_use_type', 'dbUseType'],
  ['job_direction', 'jobDirection'],
];

/** 4.1.4 → 200. */
export async function modifyJobs(api: ApiContext, items: readonly ModifyJobItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const changesConfig = Object.keys(item).some((key) => !INFO_FIELDS.has(key));
      const op: Operation = changesConfig ? 'modify-config' : 'modify-info';
      let claimed: { projectId: string; name: string } | undefined;
      try {
        const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-modification', op }, async (draft, ctx) => {
          if (item.name !== undefined && item.name !== draft.name) {
            if (!/^[A-Za-z][A-Za-z0-9_-]{3,49}$/.test(item.name)) throw new ItemRefusal(drsError('DRS.M00202', 'name'));
            if (api.names && !api.names.claim(draft.projectId, item.name, draft.id)) throw new ItemRefusal(drsError('DRS.M00277'));
            claimed = { projectId: draft.projectId, name: item.name };
            draft.name = item.name;
          }
          if (item.description !== undefined) draft.description = item.description;
          if (item.alarm_notify !== undefined) draft.alarmNotify = { ...item.alarm_notify };
          if (item.tags !== undefined) draft.options.tags = item.tags.map((tag) => ({ key: tag.key ?? '', value: tag.value ?? '' }));
          if (changesConfig) applyConfiguration(draft, item);
          await api.executor.reconfigure?.(draft, ctx);
        });
        return actionResult(item.job_id, outcome);
      } finally {
        if (claimed) api.names?.release(claimed.projectId, claimed.name);
      }
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

function applyConfiguration(draft: JobRecord, item: ModifyJobItem): void {
  for (const [field, recordField] of IMMUTABLE) {
    if (item[field] !== undefined && item[field] !== draft[recordField]) {
      throw new ItemRefusal(drsError('DRS.M00202', `${field} (it cannot change after creation)`));
    }
  }
  if (item.task_type !== undefined) draft.taskType = item.task_type;
  if (item.node_type !== undefined) draft.nodeType = item.node_type;
  if (item.net_type !== undefined) draft.netType = item.net_type;
  if (item.source_endpoint) draft.source = { ...draft.source, ...item.source_endpoint };
  if (item.target_endpoint) draft.target = { ...draft.target, ...item.target_endpoint };
  if (item.is_target_readonly !== undefined) draft.options.isTargetReadonly = item.is_target_readonly;
  if (item.replace_definer !== undefined) draft.options.replaceDefiner = item.replace_definer;
  if (item.store_db_info !== undefined) draft.options.storeDbInfo = item.store_db_info;
  // 4.1.4: called after the connection tests with both endpoints, this completes configuration.
  const connectionsPassed = draft.connections.so?.success === true && draft.connections.ta?.success === true;
  if (connectionsPassed && item.source_endpoint && item.target_endpoint) draft.configured = true;
  delete draft.precheck;
}

/** 4.1.5 → 202 `{all_counts, results: [{job_id, status: boolean}]}`. */
export async function selectObjects(api: ApiContext, items: readonly SelectObjectsItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-select-objects', op: 'select-objects' }, async (draft, ctx) => {
        const selected = item.selected ?? false;
        if (selected && (item.job ?? []).length === 0) throw new ItemRefusal(drsError('DRS.M00201', 'job'));
        draft.objects = {
          selected,
          items: selected ? (item.job ?? []).map((object) => ({ ...object })) : [],
          ...(item.sync_database !== undefined ? { syncDatabase: item.sync_database } : {}),
        };
        delete draft.precheck;
        await api.executor.reconfigure?.(draft, ctx);
      });
      return outcome.ok ? { job_id: item.job_id, status: true } : { job_id: item.job_id, status: false, ...outcome.error };
    }),
  );
  return { status: 202, body: { all_counts: results.length, results } };
}

/** 4.3.2 → 200. */
export async function setSyncPolicies(api: ApiContext, items: readonly SyncPolicyItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-sync-policy', op: 'sync-policy' }, async (draft, ctx) => {
        const { job_id: _jobId, ...policy } = item;
        draft.syncPolicy = { ...draft.syncPolicy, ...policy };
        delete draft.precheck;
        await api.executor.reconfigure?.(draft, ctx);
      });
      return actionResult(item.job_id, outcome);
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

/** 4.1.8 → 200. `speed_limit: []` removes the limit. */
export async function limitSpeeds(api: ApiContext, items: readonly SpeedLimitItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-limit-speed', op: 'limit-speed' }, async (draft, ctx) => {
        checkWindows(item.speed_limit);
        draft.speedLimits = item.speed_limit.map((window) => ({ ...window }));
        await api.executor.reconfigure?.(draft, ctx);
      });
      return actionResult(item.job_id, outcome);
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

/**
 * 4.1.8 constraints: begin ≠ end; windows may not overlap. Hours only (minutes of begin are
 * ignored, end is hh:59); a window whose end hour precedes its begin hour wraps past midnight.
 */
function checkWindows(windows: SpeedLimitItem['speed_limit']): void {
  const hours = new Set<number>();
  for (const window of windows) {
    const begin = Number(window.begin.slice(0, 2));
    const end = Number(window.end.slice(0, 2));
    if (window.begin === window.end) throw new ItemRefusal(drsError('DRS.M00306'));
    const span = end >= begin ? end - begin + 1 : 24 - begin + end + 1;
    for (let i = 0; i < Math.min(span, 24); i += 1) {
      const hour = (begin + i) % 24;
      if (hours.has(hour)) throw new ItemRefusal(drsError('DRS.M00202', 'speed_limit (time ranges overlap)'));
      hours.add(hour);
    }
  }
}

/** 4.1.15 → 200, one result per (task, endpoint) with end_point_type echoed. */
export async function modifyPasswords(api: ApiContext, items: readonly ModifyPasswordItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-modify-pwd', op: 'modify-password' }, async (draft, ctx) => {
        const result = await api.executor.changePassword(draft, item.end_point_type, item.db_password, ctx);
        if (!result.success) {
          throw new ItemRefusal({ error_code: result.errorCode ?? 'DRS.KE002', error_msg: result.errorMsg ?? 'The username or password is incorrect.' });
        }
        const endpoint = item.end_point_type === 'so' ? draft.source : draft.target;
        endpoint.db_password = item.db_password;
      });
      return { ...actionResult(item.job_id, outcome), end_point_type: item.end_point_type };
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}
