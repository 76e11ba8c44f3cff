import { systemClock } from '../../engine/src/clock.ts';
import type { FaultInjector } from '../../engine/src/faults.ts';
import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import type { AdminEndpoint } from '../shared/admin.ts';
import { startEndpointForState } from '../shared/endpoint-for-state.ts';
import { cdbError } from './cdb-errors.ts';
import { CdbTaskStore, type CheckOutcome } from './task-store.ts';
import { startV2Endpoint, type V2Handler } from './v2-endpoint.ts';

/**
 * The Tencent CDB data-sync task API (API v2, https://cdb.api.qcloud.com/v2/index.php): the
 * five actions of the seed and its reference, their status machine (task-store.ts), error codes
 * and answer shape, behind a v2 endpoint that verifies signatures (v2-endpoint.ts).
 *
 * Admin API (no auth), for tests and trying it by hand:
 *   GET|POST|PUT|DELETE /_sim/faults         fault injection (engine/src/faults.ts settings):
 *                                            throttled → 4400, error → 9013, busy → 9570
 *   GET|DELETE /_sim/calls                   calls answered per action
 *   GET|DELETE /_sim/codes                   answers per code (0 = success)
 *   GET|POST /_sim/check-outcome             {failedSteps: [{stepName, message, code?}] | null}:
 *                                            the next verifications fail with these steps
 *   POST /_sim/settings                      {progressStep}: % per step while syncing (0 = hold)
 *   GET /_sim/tasks                          every task, as stored
 *   POST /_sim/tasks/<jobId>/fail            {code?, message?}: a starting/syncing task fails (8)
 *   POST /_sim/tasks/<jobId>/progress        {progress}: set a syncing task's progress
 *   POST /_sim/tasks/<jobId>/status          {status: 7 | 9}: to be switched / sync succeeded
 */
export interface CdbSimulator extends RunningSimulator {
  tasks: CdbTaskStore;
  calls: Map<string, number>;
  /** Answers per code (0 = success). */
  codes: Map<number, number>;
  faults: FaultInjector;
}

/** How long one state step takes. */
export const CDB_STEP_MS = { fast: 40, default: 2000 } as const;

export async function startCdbSimulator(options: SimulatorOptions & { actionLimitPerSecond?: number }): Promise<CdbSimulator> {
  const clock = options.clock ?? systemClock;
  const tasks = new CdbTaskStore({ clock, stepMs: CDB_STEP_MS[options.pace ?? 'default'] });

  const handlers = new Map<string, V2Handler>([
    ['CreateCdbDataSyncTask', (p, ctx) => ({ data: { jobId: tasks.create(ctx.region, p) }, codeAsString: true })],
    ['CheckCdbDataSyncTask', (p, ctx) => (tasks.check(ctx.region, p.jobId), { data: [] })],
    ['StartCdbDataSyncTask', (p, ctx) => (tasks.start(ctx.region, p.jobId), { data: [], codeAsString: true })],
    ['DelCdbDataSyncTask', (p, ctx) => (tasks.remove(ctx.region, p.jobId), { data: [], codeAsString: true })],
    ['GetCdbDataSyncTaskList', (p, ctx) => ({ data: tasks.list(ctx.region, p) })],
  ]);

  const admin = new Map<string, AdminEndpoint>([
    [
      'check-outcome',
      ({ method, body }) => {
        if (method === 'POST') {
          const steps = (body as { failedSteps?: CheckOutcome['failedSteps'] | null } | undefined)?.failedSteps;
          if (steps !== null && steps !== undefined && !Array.isArray(steps)) throw new Error('failedSteps must be a list or null');
          tasks.setCheckOutcome(steps && steps.length > 0 ? { failedSteps: steps } : undefined);
        }
        return tasks.checkOutcome ?? { failedSteps: null };
      },
    ],
    [
      'settings',
      ({ body }) => {
        const step = (body as { progressStep?: unknown } | undefined)?.progressStep;
        if (step !== undefined) {
          if (typeof step !== 'number' || step < 0 || step > 100) throw new Error('progressStep must be a number in [0, 100]');
          tasks.progressStep = step;
        }
        return { progressStep: tasks.progressStep };
      },
    ],
    [
      'tasks',
      ({ method, body, path }) => {
        if (!path) return tasks.all();
        const [id, what] = path.split('/');
        const jobId = Number(id);
        if (method !== 'POST' || !Number.isInteger(jobId)) throw new Error('use POST /_sim/tasks/<jobId>/(fail|progress|status)');
        const b = (body ?? {}) as { code?: number; message?: string; progress?: number; status?: number };
        if (what === 'fail') return tasks.fail(jobId, { ...(b.code !== undefined ? { code: b.code } : {}), ...(b.message !== undefined ? { message: b.message } : {}) });
        if (what === 'progress') return tasks.setProgress(jobId, Number(b.progress));
        if (what === 'status') return tasks.setStatus(jobId, Number(b.status));
        throw new Error(`unknown task hook ${what ?? ''}: fail, progress or status`);
      },
    ],
  ]);

  const endpoint = await startEndpointForState(tasks, () => startV2Endpoint({
    credentials: { secretId: options.credentials.id, secretKey: options.credentials.key },
    handlers,
    admin,
    isMutating: (action) => !action.startsWith('Get'),
    busyError: () => cdbError(9570, 'injected'),
    clock,
    ...(options.actionLimitPerSecond !== undefined ? { actionLimitPerSecond: options.actionLimitPerSecond } : {}),
    ...(options.listen ? { listen: options.listen } : {}),
  }));
  options.log?.info({ url: endpoint.url }, 'tencent-cdb simulator listening');

  return {
    url: endpoint.url,
    tasks,
    calls: endpoint.calls,
    codes: endpoint.codes,
    faults: endpoint.faults,
    close: endpoint.close,
  };
}
