import type { CreateMigrateJobRequest, DescribeMigrateJobsRequest, ModifyMigrateJobRequest } from '../../controller/src/providers/tencent-dts-legacy/api-types.ts';
import { DTS_LEGACY_VERSION } from '../../controller/src/providers/tencent-dts-legacy/api-types.ts';
import { systemClock, type Clock } from '../../engine/src/clock.ts';
import type { AdminHandler, Api3Handler } from '../tencent-api3/server.ts';
import { DEFAULT_PACE, FAST_PACE, MigrateJobStore, type SimMigrateJob } from './migrate-jobs.ts';
import { checkKnownKeys, requireJobId } from './request-validation.ts';

export interface DtsLegacyApi {
  /** `2018-03-30/<Action>` → handler, for startApi3Server (service dts). */
  handlers: Map<string, Api3Handler>;
  /** Admin endpoints under /_sim/ (tests, trying by hand). */
  admin: Map<string, AdminHandler>;
  store: MigrateJobStore;
  close(): void;
}

/**
 * The DTS 2018-03-30 migrate-job actions and their admin hooks, ready to mount on an API 3.0
 * endpoint (alone, or beside other Tencent simulators on a shared server):
 *
 * - POST /_sim/check-outcome {passed, errorCode?, errorMessage?}: what the next checks conclude
 *   (DELETE: back to passing).
 * - GET /_sim/jobs: every job without passwords; GET /_sim/jobs/<id>: one job.
 * - POST /_sim/jobs/<id>/fail {errorLog}: the job fails (status 10) with that ErrorInfo.
 * - POST /_sim/jobs/<id>/progress {percent, hold?}: set Detail.Progress; hold: true stops the copy there.
 * - POST /_sim/jobs/<id>/lag {seconds}: SecondsBehindMaster while streaming.
 * - POST /_sim/hold-progress {percent}: jobs started from now on hold their copy there until
 *   /_sim/jobs/<id>/progress {hold: false} (DELETE: no more holds).
 * - POST /_sim/limits {maxUnusedJobs}: when LimitExceeded.MaxUnusedJobs starts.
 */
export function dtsLegacyApi(options: { pace?: 'fast' | 'default'; clock?: Clock } = {}): DtsLegacyApi {
  const store = new MigrateJobStore({ clock: options.clock ?? systemClock, pace: options.pace === 'fast' ? FAST_PACE : DEFAULT_PACE });
  const action = (name: string, handler: Api3Handler): [string, Api3Handler] => [`${DTS_LEGACY_VERSION}/${name}`, handler];

  const handlers = new Map<string, Api3Handler>([
    action('CreateMigrateJob', (params) => {
      checkKnownKeys(params, 'CreateMigrateJob');
      return { JobId: store.create(params as unknown as CreateMigrateJobRequest) };
    }),
    action('ModifyMigrateJob', (params) => {
      checkKnownKeys(params, 'ModifyMigrateJob');
      requireJobId(params);
      store.modify(params as unknown as ModifyMigrateJobRequest);
      return {};
    }),
    action('CreateMigrateCheckJob', (params) => void store.startCheck(requireJobId(params))),
    action('DescribeMigrateCheckJob', (params) => store.checkResult(requireJobId(params))),
    action('StartMigrateJob', (params) => void store.start(requireJobId(params))),
    action('StopMigrateJob', (params) => void store.stop(requireJobId(params))),
    action('CompleteMigrateJob', (params) => void store.complete(requireJobId(params), params.CompleteMode)),
    action('DeleteMigrateJob', (params) => void store.delete(requireJobId(params))),
    action('DescribeMigrateJobs', (params) => store.describe(params as DescribeMigrateJobsRequest)),
  ]);

  const admin = new Map<string, AdminHandler>([
    [
      'check-outcome',
      (body, method) => {
        if (method === 'DELETE') store.checkOutcome = { passed: true };
        else if (method === 'POST') store.checkOutcome = parseOutcome(body);
        return store.checkOutcome;
      },
    ],
    [
      'limits',
      (body, method) => {
        if (method === 'POST') {
          const max = (body as { maxUnusedJobs?: unknown } | undefined)?.maxUnusedJobs;
          if (!Number.isInteger(max) || (max as number) < 0) throw new Error('maxUnusedJobs must be an integer >= 0');
          store.maxUnusedJobs = max as number;
        }
        return { maxUnusedJobs: store.maxUnusedJobs };
      },
    ],
    [
      'hold-progress',
      (body, method) => {
        if (method === 'DELETE') store.holdStartsAt = undefined;
        else if (method === 'POST') {
          const percent = (body as { percent?: unknown } | undefined)?.percent;
          if (typeof percent !== 'number' || percent < 0 || percent > 99) throw new Error('hold-progress needs {percent: 0..99}');
          store.holdStartsAt = percent;
        }
        return { percent: store.holdStartsAt ?? null };
      },
    ],
    ['jobs', (arg, method) => jobsAdmin(store, arg, method)],
  ]);

  return { handlers, admin, store, close: () => store.close() };
}

function jobsAdmin(store: MigrateJobStore, arg: unknown, method: string): unknown {
  const sub = arg as { path?: string; body?: unknown } | undefined;
  if (!sub?.path) return store.list().map(publicView);
  const [id = '', what] = sub.path.split('/');
  const job = store.get(id);
  if (!job) throw new Error(`no migration task ${id}`);
  const body = (sub.body ?? {}) as Record<string, unknown>;
  if (!what || method === 'GET') return publicView(job);
  switch (what) {
    case 'fail':
      store.fail(id, typeof body.errorLog === 'string' ? body.errorLog : 'The migration failed (simulated)');
      break;
    case 'progress':
      if (typeof body.percent !== 'number') throw new Error('progress needs {percent: 0..100, hold?: boolean}');
      store.setProgress(id, body.percent, typeof body.hold === 'boolean' ? body.hold : undefined);
      break;
    case 'lag':
      if (typeof body.seconds !== 'number') throw new Error('lag needs {seconds}');
      store.setLag(id, body.seconds);
      break;
    default:
      throw new Error(`unknown job admin action ${what}: fail, progress, lag`);
  }
  return publicView(job);
}

/** A job as the admin API shows it: the configuration without passwords (only whether one was sent). */
export function publicView(job: SimMigrateJob) {
  const { Password: src, ...srcInfo } = job.config.SrcInfo;
  const { Password: dst, ...dstInfo } = job.config.DstInfo;
  return {
    id: job.id,
    name: job.config.JobName,
    status: job.status,
    progress: job.progress,
    held: job.held,
    check: job.check,
    errorLogs: job.errorLogs,
    config: { ...job.config, SrcInfo: { ...srcInfo, passwordSet: Boolean(src) }, DstInfo: { ...dstInfo, passwordSet: Boolean(dst) } },
  };
}

function parseOutcome(body: unknown): { passed: boolean; errorCode?: number; errorMessage?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.passed !== 'boolean') throw new Error('check-outcome needs {passed: boolean, errorCode?: number, errorMessage?: string}');
  return {
    passed: b.passed,
    ...(typeof b.errorCode === 'number' ? { errorCode: b.errorCode } : {}),
    ...(typeof b.errorMessage === 'string' ? { errorMessage: b.errorMessage } : {}),
  };
}
