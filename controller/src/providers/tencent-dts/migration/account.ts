import type { ReplicationJobSpec } from '../../../api/replication-job-spec.ts';
import { ReconcileError, retryableError, terminalError } from '../../../reconcile/errors.ts';
import type { Observation } from '../../../reconcile/observation.ts';
import { capabilitiesOffering } from '../../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../../reconcile/provider.ts';
import { ProviderHttpError, callProvider } from '../../http/errors.ts';
import { PolledAccount, type PollingOptions } from '../../polling/polled-account.ts';
import type { DtsMigrationClient } from './client.ts';
import { toObservation, type MigrationSnapshot } from './observation-mapping.ts';
import { MigrationPoller } from './poller.ts';
import * as map from './spec-mapping.ts';
import { FINISHED_STATUSES, ISOLATABLE_STATUSES, isIncrementalStep } from './status-map.ts';

/**
 * What the DTS migration API can do. No speed limits in MB/s windows, no in-place settings or
 * password push for a configured job, objects fixed once started; a failed job is retried with
 * ResumeMigrateJob without a second pre-check.
 */
export const DTS_MIGRATION_CAPABILITIES = capabilitiesOffering({ pause: true, resume: true, retry: true, precheck: true, configure: true, stop: true });

export interface DtsMigrationAccountOptions extends PollingOptions {
  client: DtsMigrationClient;
  /** The API region: DstRegion of every job, and the default source region. */
  region: string;
}

/**
 * One Tencent Cloud account's DTS 2021-12-06 migration jobs (provider tencent-dts, spec.type
 * migration; job IDs dts-…). Observation is one batched poller per account; actions are single
 * per-job calls (the API has no batch actions), each checked against the job's last snapshot so
 * that repeating one after a crash is harmless.
 */
export class DtsMigrationAccount extends PolledAccount<MigrationSnapshot, MigrationPoller> implements ProviderAccount {
  readonly providerId = 'tencent-dts';
  readonly capabilities = DTS_MIGRATION_CAPABILITIES;
  readonly #o: DtsMigrationAccountOptions;

  constructor(options: DtsMigrationAccountOptions) {
    super(options, (settings) => new MigrationPoller({ ...settings, client: options.client }));
    this.#o = options;
  }

  validate(spec: ReplicationJobSpec): string[] {
    return map.validateMigrationSpec(spec, this.#o.region);
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    return this.observeSnapshot(job, 'DTS migration job', toObservation);
  }

  /** DescribeMigrationJobs JobName filter (DTS may match loosely: the name is compared exactly here). */
  async findJobByName(job: JobContext): Promise<string | undefined> {
    const listing = await callProvider(() => this.#o.client.listJobs({ JobName: job.jobName }));
    const live = listing.jobs.filter((j) => j.JobName === job.jobName && j.TradeInfo?.TradeStatus !== 'offlining' && j.TradeInfo?.TradeStatus !== 'offlined');
    return live[0]?.JobId;
  }

  async create(job: JobContext): Promise<{ jobId: string }> {
    const ids = await callProvider(() => this.#o.client.createService(map.createServiceRequest(job, this.#o.region)));
    const id = ids[0];
    if (!id) throw retryableError('ProviderUnavailable', 'DTS accepted CreateMigrationService but returned no job ID; the job will be looked up by name');
    this.poller.markStale(id);
    return { jobId: id };
  }

  /** ModifyMigrationJob with the whole configuration (objects, type, both endpoints with passwords). */
  async configure(job: JobContext): Promise<void> {
    const jobId = requireId(job);
    await callProvider(() => this.#o.client.modifyJob(map.modifyJobRequest(jobId, job, this.#o.region)));
    this.poller.markStale(jobId);
  }

  async startPrecheck(job: JobContext, _purpose: 'start' | 'retry'): Promise<void> {
    const jobId = requireId(job);
    const s = await this.#snapshot(jobId);
    // Already checking (a repeat after a crash): wait for that check instead of starting another.
    if (s?.status !== 'checking') await callProvider(() => this.#o.client.createCheckJob(jobId));
    this.poller.expectPrecheck(jobId);
  }

  async start(job: JobContext): Promise<void> {
    // Started already (a repeat after a crash): nothing to send. Otherwise DTS says whether it may start.
    await this.#act(job, (id, s) => (s && STARTED_STATUSES.has(s.status) ? undefined : this.#o.client.start(id)));
  }

  async pause(job: JobContext): Promise<void> {
    await this.#act(job, (id, s) => (s?.status === 'pausing' || s?.status === 'manualPaused' ? undefined : this.#o.client.pause(id)));
  }

  async resume(job: JobContext): Promise<void> {
    await this.#act(job, (id, s) => {
      if (s?.status === 'pausing') throw retryableError('ProviderBusy', `DTS migration job ${id} is still pausing; it is continued once paused`);
      return s?.status === 'manualPaused' || !s ? this.#o.client.continue(id) : undefined;
    });
  }

  async retry(job: JobContext): Promise<void> {
    const option = map.options(job.spec).resumeOption ?? 'normal';
    await this.#act(job, (id) => this.#o.client.resume(id, option));
  }

  /**
   * Stopped is final. A full-and-incremental migration that caught up (readyComplete) is
   * completed (CompleteMigrateJob: the cutover), unless providerOptions.stopMode is abort or the
   * stop is forced. One still catching up gets nothing yet: the planner asks again on its next
   * pass (spec.state Stopped) or, when deleting, forces the stop after its stop timeout, so a
   * migration that never catches up cannot hold the finalizer forever. Anything else running is
   * stopped (StopMigrateJob); a job that never started is released (IsolateMigrateJob).
   */
  async stop(job: JobContext, { force }: { force: boolean }): Promise<void> {
    await this.#act(
      job,
      (id, s) => {
        if (!s || FINISHED_STATUSES.has(s.status) || s.status === 'stopping' || s.status === 'completing') return undefined;
        const complete = !force && (map.options(job.spec).stopMode ?? 'complete') === 'complete' && job.spec.mode !== 'full';
        if (complete && s.status === 'readyComplete') return this.#o.client.complete(id);
        if (complete && s.status === 'running' && streaming(s)) {
          this.#o.log?.debug({ jobId: id, secondsBehind: s.steps?.SecondsBehindMaster }, 'Migration still catching up; it is completed once DTS reports readyComplete');
          return undefined;
        }
        // Never started (created, checked): nothing runs, so stopping it means releasing it.
        if (ISOLATABLE_STATUSES.has(s.status)) return this.#release(id, s);
        if (s.status === 'creating') throw retryableError('ProviderBusy', `DTS migration job ${id} is still being created; it is stopped once created`);
        return this.#o.client.stop(id);
      },
      { goneIsDone: true },
    );
  }

  /**
   * IsolateMigrateJob, then (once TradeStatus is isolated) DestroyMigrateJob; a notBilled job
   * disappears on isolation. Called repeatedly by the planner until the job is gone.
   */
  async delete(job: JobContext): Promise<void> {
    await this.#act(job, (id, s) => (s ? this.#release(id, s) : undefined), { goneIsDone: true });
  }

  #release(id: string, s: MigrationSnapshot): Promise<void> | undefined {
    switch (s.tradeStatus) {
      case 'isolated':
        return this.#o.client.destroy(id);
      case 'isolating':
      case 'offlining':
      case 'offlined':
        return undefined; // DTS is on it; the poller sees the job go.
      default:
        return this.#o.client.isolate(id);
    }
  }

  async applySettings(_job: JobContext): Promise<void> {
    throw terminalError('Unsupported', 'DTS migration jobs have no settings that change in place');
  }

  async applySpeedLimits(_job: JobContext): Promise<void> {
    throw terminalError('Unsupported', 'DTS migration jobs have no speed limits: remove spec.speedLimits');
  }

  async rotatePassword(_job: JobContext, _endpoint: 'source' | 'target'): Promise<void> {
    throw terminalError('Unsupported', 'DTS cannot change the password of a configured migration job');
  }

  protected async closeClient(): Promise<void> {
    await this.#o.client.close();
  }

  async #snapshot(jobId: string): Promise<MigrationSnapshot | undefined> {
    const tracked = await this.poller.read(jobId);
    return tracked.gone ? undefined : tracked.snapshot;
  }

  /** One action on one job, decided against its freshest snapshot; the job is re-read afterwards. */
  async #act(job: JobContext, send: (jobId: string, s: MigrationSnapshot | undefined) => Promise<void> | undefined, opts: { goneIsDone?: boolean } = {}): Promise<void> {
    const jobId = requireId(job);
    const s = await this.#snapshot(jobId);
    try {
      await callProvider(async () => send(jobId, s));
    } catch (error) {
      const gone = error instanceof ReconcileError && error.cause instanceof ProviderHttpError && error.cause.kind === 'notFound';
      if (!(opts.goneIsDone && gone)) throw error;
    }
    this.poller.markStale(jobId);
  }
}

const STARTED_STATUSES: ReadonlySet<string> = new Set(['readyRun', 'running', 'readyComplete', 'pausing', 'manualPaused', 'stopping', 'completing', 'success', 'failed', 'resuming', 'resumableErr', 'error', 'canceled']);

function streaming(s: MigrationSnapshot): boolean {
  const list = s.steps?.StepInfo ?? [];
  const current = list.find((step) => step.Status === 'running');
  return isIncrementalStep(current?.StepId, current?.StepName);
}

function requireId(job: JobContext): string {
  if (!job.jobId) throw new ReconcileError('NoProviderJob', 'No DTS migration job ID is known for this ReplicationJob yet');
  return job.jobId;
}
