import type {
  DeleteJobItem,
  PauseJobItem,
  PrecheckItem,
  RetryJobItem,
  StartJobItem,
} from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { enterState } from '../job-transitions.ts';
import type { Operation } from '../state-machine.ts';
import type { ApiContext, ApiResponse } from './api-context.ts';
import { actionResult, runItemOp } from './item-op.ts';

/**
 * Calls that move a task through its life: 4.1.6 batch-precheck, 4.1.11 batch-starting,
 * 4.1.12 batch-retry-task, 4.1.13 batch-pause-task, 4.1.14 batch-jobs (terminate,
 * force_terminate, delete). Each accepted item enters the state the state machine names,
 * drops the task's pending timeline (it is superseded) and hands the work to the executor,
 * which reports the asynchronous rest.
 */

/** 4.1.6 → 200 `{id, precheck_id, status}`; the pre-check ID is the task ID (seed example). */
export async function startPrechecks(api: ApiContext, items: readonly PrecheckItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const op: Operation = item.precheck_mode === 'forStartJob' ? 'precheck-start' : 'precheck-retry';
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-precheck', op }, async (draft, ctx) => {
        draft.precheck = { mode: item.precheck_mode, startedAt: ctx.now() };
        await api.executor.precheck(draft, item.precheck_mode, ctx);
      });
      return outcome.ok
        ? { id: item.job_id, status: 'success', precheck_id: item.job_id }
        : { id: item.job_id, status: 'failed', ...outcome.error };
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

/** 4.1.11 → 202. start_time: ms timestamp string; empty/absent/past = now. */
export async function startJobs(api: ApiContext, items: readonly StartJobItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-starting', op: 'start' }, async (draft, ctx, next) => {
        const startAt = item.start_time ? Number(item.start_time) : undefined;
        ctx.clearScheduled();
        enterState(draft, next, ctx.now());
        if (startAt !== undefined && startAt > ctx.now()) draft.scheduledStartAt = startAt;
        await api.executor.start(draft, startAt !== undefined && startAt > ctx.now() ? { startAt } : {}, ctx);
      });
      return actionResult(item.job_id, outcome);
    }),
  );
  return { status: 202, body: { results, count: results.length } };
}

/** 4.1.12 → 200: resume a paused task (back to the transfer state it paused in) or retry a failed one. */
export async function retryJobs(api: ApiContext, items: readonly RetryJobItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-retry-task', op: 'retry' }, async (draft, ctx, next) => {
        ctx.clearScheduled();
        enterState(draft, next, ctx.now());
        await api.executor.resume(draft, ctx);
      });
      return actionResult(item.job_id, outcome);
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

/** 4.1.13 → 200: the task goes to PAUSING; the executor reports when the pause is done. */
export async function pauseJobs(api: ApiContext, items: readonly PauseJobItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const outcome = await runItemOp(
        api,
        item.job_id,
        { endpoint: 'batch-pause-task', op: 'pause', pauseMode: item.pause_mode },
        async (draft, ctx, next) => {
          ctx.clearScheduled();
          enterState(draft, next, ctx.now());
          await api.executor.pause(draft, item.pause_mode, ctx);
        },
      );
      return actionResult(item.job_id, outcome);
    }),
  );
  return { status: 200, body: { results, count: results.length } };
}

const DELETE_OPERATIONS: Record<DeleteJobItem['delete_type'], Operation> = {
  terminate: 'terminate',
  force_terminate: 'force-terminate',
  delete: 'delete',
};

/**
 * 4.1.14 DELETE batch-jobs → 202. terminate / force_terminate: RELEASE_RESOURCE_STARTED, then
 * the executor reports RELEASE_RESOURCE_COMPLETE. delete: the task becomes DELETED at once
 * (kept as a tombstone so later calls answer DRS.M05004, with its secrets dropped).
 */
export async function deleteJobs(api: ApiContext, items: readonly DeleteJobItem[]): Promise<ApiResponse> {
  const results = await Promise.all(
    items.map(async (item) => {
      const op = DELETE_OPERATIONS[item.delete_type];
      const outcome = await runItemOp(api, item.job_id, { endpoint: 'batch-jobs', op }, async (draft, ctx, next) => {
        ctx.clearScheduled();
        enterState(draft, next, ctx.now());
        if (item.delete_type === 'delete') {
          await api.executor.remove(draft, ctx);
          delete draft.source.db_password;
          delete draft.target.db_password;
          delete draft.precheck;
        } else {
          await api.executor.stop(draft, { force: item.delete_type === 'force_terminate' }, ctx);
        }
      });
      return actionResult(item.job_id, outcome);
    }),
  );
  return { status: 202, body: { results, count: results.length } };
}
