import { DTS_VERSION } from '../../../controller/src/providers/tencent-dts/migration/api-types.ts';
import type { Clock } from '../../../engine/src/clock.ts';
import { Api3Error, type AdminHandler, type Api3Handler } from '../../tencent-api3/server.ts';
import { NO_CHECK_FINDINGS, type CheckItemOutcome, type CheckOutcome } from './check-run.ts';
import { MigrationJobs } from './jobs.ts';
import * as req from './requests.ts';
import { checkResult, jobDetail, jobItem } from './views.ts';

type Params = Record<string, unknown>;

/**
 * The DTS 2021-12-06 migration actions (handler keys `2021-12-06/<Action>`) and the simulator's
 * admin hooks (paths under /_sim/migration/), to plug into an API 3.0 endpoint. The sync half of
 * the DTS simulator plugs in beside it on the same endpoint.
 *
 * Admin:
 * - GET  migration/jobs                 every job (configuration without passwords)
 * - POST migration/jobs/<id>/fail       {code?, message?, solution?}: a running job fails
 * - POST migration/jobs/<id>/lag        {seconds}: incremental delay (readyComplete at ≤ 5 s)
 * - POST migration/check-outcome        {failures?: [{item, step?, reason, solution?}], warnings?, error?}: what every later pre-check finds; DELETE resets
 * - POST migration/billing              {tradeStatus: normal | notBilled}: TradeStatus of new jobs
 */
export function dtsMigrationApi(options: { clock: Clock; pace: 'fast' | 'default'; random?: () => number }): {
  handlers: Map<string, Api3Handler>;
  admin: Map<string, AdminHandler>;
  close(): void;
} {
  const jobs = new MigrationJobs({ clock: options.clock, pace: options.pace, ...(options.random ? { random: options.random } : {}) });

  const action = (name: string, handle: (params: Params, region: string | undefined) => unknown): [string, Api3Handler] => [
    `${DTS_VERSION}/${name}`,
    (params, context) => {
      req.checkKnown(name, params);
      return handle(params, context.region);
    },
  ];
  const onJob = (name: string, run: (job: ReturnType<MigrationJobs['get']>, params: Params) => unknown) =>
    action(name, (params) => run(jobs.get(req.requiredString(params, 'JobId')), params) ?? {});

  const handlers = new Map<string, Api3Handler>([
    action('CreateMigrationService', (p, region) => {
      const dstRegion = req.requiredString(p, 'DstRegion');
      if (region && dstRegion !== region) throw new Api3Error('InvalidParameterValue', `DstRegion ${dstRegion} must be the region the API is called in (${region})`);
      const name = req.optionalString(p, 'JobName') ?? '';
      if (name.length > 128) throw new Api3Error('InvalidParameterValue', 'JobName is longer than 128 characters');
      const service = {
        name,
        tags: req.tags(p.Tags),
        srcDatabaseType: req.databaseType(p, 'SrcDatabaseType'),
        dstDatabaseType: req.databaseType(p, 'DstDatabaseType'),
        srcRegion: req.requiredString(p, 'SrcRegion'),
        dstRegion,
        instanceClass: req.instanceClass(p),
      };
      const count = req.optionalInteger(p, 'Count', 1, 15) ?? 1;
      return { JobIds: Array.from({ length: count }, () => jobs.create(service).id) };
    }),
    onJob('ModifyMigrationJob', (job, p) => jobs.configure(job, req.modifyRequest(p, job))),
    onJob('CreateMigrateCheckJob', (job) => jobs.startCheck(job)),
    onJob('DescribeMigrationCheckJob', (job) => checkResult(job)),
    onJob('DescribeMigrationDetail', (job) => jobDetail(job)),
    onJob('StartMigrateJob', (job) => jobs.start(job)),
    onJob('PauseMigrateJob', (job) => jobs.pause(job)),
    onJob('ContinueMigrateJob', (job) => jobs.continue(job)),
    onJob('StopMigrateJob', (job) => jobs.stop(job)),
    onJob('CompleteMigrateJob', (job, p) => {
      const mode = req.optionalString(p, 'CompleteMode');
      if (mode && mode !== 'waitForSync' && mode !== 'immediately') throw new Api3Error('InvalidParameterValue', `CompleteMode ${mode} is not waitForSync or immediately`);
      jobs.complete(job);
    }),
    onJob('ResumeMigrateJob', (job, p) => {
      const option = req.optionalString(p, 'ResumeOption') ?? 'normal';
      if (!['normal', 'clearData', 'overwrite'].includes(option)) throw new Api3Error('InvalidParameterValue', `ResumeOption ${option} is not normal, clearData or overwrite`);
      jobs.resume(job);
    }),
    onJob('IsolateMigrateJob', (job) => jobs.isolate(job)),
    onJob('DestroyMigrateJob', (job) => jobs.destroy(job)),
    onJob('RecoverMigrateJob', (job) => jobs.recover(job)),
    action('DescribeMigrationJobs', (p) => {
      const limit = req.optionalInteger(p, 'Limit', 1, 100) ?? 20;
      const offset = req.optionalInteger(p, 'Offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
      const order = req.optionalString(p, 'OrderSeq') ?? 'desc';
      if (order !== 'asc' && order !== 'desc') throw new Api3Error('InvalidParameterValue', `OrderSeq ${order} is not asc or desc`);
      const jobId = req.optionalString(p, 'JobId');
      const jobName = req.optionalString(p, 'JobName');
      const matching = jobs.query(
        {
          ...(jobId ? { JobId: jobId } : {}),
          ...(jobName ? { JobName: jobName } : {}),
          Status: req.stringList(p.Status, 'Status'),
          TagFilters: req.tagFilters(p.TagFilters),
        },
        order,
      );
      return { TotalCount: matching.length, JobList: matching.slice(offset, offset + limit).map(jobItem) };
    }),
  ]);

  const admin = new Map<string, AdminHandler>([
    ['migration/jobs', (body, method) => {
      const sub = body as { path?: string; body?: unknown } | undefined;
      if (!sub?.path) return { jobs: jobs.list().map((job) => ({ ...jobItem(job), ...(job.config ? { MigrateOption: job.config.MigrateOption } : {}) })) };
      const [id, what] = sub.path.split('/');
      const job = jobs.find(id ?? '');
      if (!job) throw new Error(`no migration job ${id}`);
      if (method !== 'POST') return jobItem(job);
      const input = (sub.body ?? {}) as Record<string, unknown>;
      if (what === 'fail') {
        jobs.fail(job, { ...(typeof input.code === 'string' ? { code: input.code } : {}), ...(typeof input.message === 'string' ? { message: input.message } : {}), ...(typeof input.solution === 'string' ? { solution: input.solution } : {}) });
      } else if (what === 'lag') {
        if (typeof input.seconds !== 'number' || input.seconds < 0) throw new Error('lag needs {seconds: number >= 0}');
        jobs.setLag(job, input.seconds);
      } else {
        throw new Error(`unknown job admin action ${what ?? ''}: fail or lag`);
      }
      return jobItem(job);
    }],
    ['migration/check-outcome', (body, method) => {
      if (method === 'DELETE') jobs.checkOutcome = NO_CHECK_FINDINGS;
      else if (method === 'POST') jobs.checkOutcome = checkOutcome(body);
      return jobs.checkOutcome;
    }],
    ['migration/billing', (body, method) => {
      if (method === 'POST') {
        const status = (body as { tradeStatus?: unknown } | undefined)?.tradeStatus;
        if (status !== 'normal' && status !== 'notBilled') throw new Error('billing needs {tradeStatus: normal | notBilled}');
        jobs.newJobTradeStatus = status;
      }
      return { tradeStatus: jobs.newJobTradeStatus };
    }],
  ]);

  return { handlers, admin, close: () => jobs.close() };
}

function checkOutcome(body: unknown): CheckOutcome {
  const b = (body ?? {}) as { failures?: unknown; warnings?: unknown; error?: unknown };
  const list = (value: unknown, name: string): CheckItemOutcome[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw new Error(`${name} must be a list of {item, reason, step?, solution?}`);
    return value.map((v) => {
      const o = v as Partial<CheckItemOutcome>;
      if (typeof o.item !== 'string' || typeof o.reason !== 'string') throw new Error(`${name} entries need item and reason`);
      return { item: o.item, reason: o.reason, ...(typeof o.step === 'string' ? { step: o.step } : {}), ...(typeof o.solution === 'string' ? { solution: o.solution } : {}) };
    });
  };
  return { failures: list(b.failures, 'failures'), warnings: list(b.warnings, 'warnings'), ...(typeof b.error === 'string' ? { error: b.error } : {}) };
}
