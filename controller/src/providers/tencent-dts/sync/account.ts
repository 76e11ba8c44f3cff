import type { ReplicationJobSpec } from '../../../api/replication-job-spec.ts';
import { ReconcileError, retryableError, terminalError } from '../../../reconcile/errors.ts';
import type { Observation } from '../../../reconcile/observation.ts';
import { capabilitiesOffering } from '../../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../../reconcile/provider.ts';
import { ProviderHttpError, toReconcileError } from '../../http/errors.ts';
import { PolledAccount, type PollingOptions } from '../../polling/polled-account.ts';
import { QuotaHold } from '../../quota/quota-hold.ts';
import type { DtsSyncClient } from './client.ts';
import { ERROR_CODES } from './enums.ts';
import { toObservation, type DtsSyncSnapshot } from './observation-mapping.ts';
import { DtsSyncPoller } from './poller.ts';
import * as map from './spec-mapping.ts';
import { NOT_STARTED_STATUSES, deleteStep, isGoneStatus } from './status-map.ts';

/**
 * What DTS sync jobs offer. No retry pre-check (ResumeSyncJob needs none), no in-place settings
 * (no description or alarms on the job), no password push (no API changes a running job's
 * endpoints), and the objects of a started job are not changed here (ModifySyncJobConfig is a
 * separate check-and-start flow not wired yet). speedLimits: the ModifySyncRateLimit values of
 * providerOptions.rateLimit (spec.speedLimits itself is refused: see spec-mapping.ts).
 */
export const DTS_SYNC_CAPABILITIES = capabilitiesOffering({ pause: true, resume: true, retry: true, precheck: true, configure: true, stop: true, speedLimits: true });

export interface DtsSyncAccountOptions extends PollingOptions {
  client: DtsSyncClient;
  /** The account region (ProviderConfig spec.region): the default region of both endpoints. */
  region: string;
}

/**
 * A Tencent Cloud DTS account's sync jobs (API 2021-12-06) as the reconciler sees it.
 * Observation comes from one batched poller; actions are single-job calls (DTS has no batch
 * mutations), each followed by marking the job stale so the next plan sees its effect.
 */
export class DtsSyncAccount extends PolledAccount<DtsSyncSnapshot, DtsSyncPoller> implements ProviderAccount {
  readonly providerId = 'tencent-dts';
  readonly capabilities = DTS_SYNC_CAPABILITIES;
  readonly #o: DtsSyncAccountOptions;
  /** Creates held while DTS's quota of unconfigured jobs is full. */
  readonly #quota: QuotaHold;

  constructor(options: DtsSyncAccountOptions) {
    super(options, (settings) => new DtsSyncPoller({ ...settings, client: options.client }));
    this.#o = options;
    this.#quota = new QuotaHold({
      what: 'DTS sync job',
      quota: 'the account has too many unconfigured sync jobs (LimitExceeded.MaxUnusedJobs)',
      freedBy: 'job configured',
      fix: 'Configure or isolate unused DTS sync jobs in the account to make room',
      isQuotaRefusal: (error) => error instanceof ProviderHttpError && error.code === ERROR_CODES.maxUnusedJobs,
      // Room made outside the operator (jobs configured or isolated there) is found this often.
      probeEveryMs: 10_000,
      recheckMs: 1_000,
      jitterMs: 1_000,
      now: () => options.clock.now(),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  validate(spec: ReplicationJobSpec): string[] {
    return map.validateForDtsSync(spec, { region: this.#o.region });
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    return this.observeSnapshot(job, 'DTS sync job', toObservation);
  }

  async findJobByName(job: JobContext): Promise<string | undefined> {
    const found = await this.#call(() => this.#o.client.findByName(job.jobName));
    // The oldest live one: CreateSyncJob is the only writer of this name.
    const live = found.filter((j) => j.JobId && !isGoneStatus(j.Status)).sort((a, b) => (a.CreateTime ?? '').localeCompare(b.CreateTime ?? ''));
    return live[0]?.JobId;
  }

  createHold(_job: JobContext): ReconcileError | undefined {
    return this.#quota.createHold();
  }

  async create(job: JobContext): Promise<{ jobId: string }> {
    let id: string | undefined;
    try {
      // DTS's quota of unconfigured jobs frees up as jobs get configured: the account holds its
      // creates until then, rather than spend the API budget and Kubernetes writes on refusals.
      id = await this.#quota.create(() => this.#o.client.createSyncJob(map.createSyncJobRequest(job, this.#o.region)));
    } catch (error) {
      throw error instanceof ReconcileError ? error : this.#translate(error, 'create the sync job');
    }
    if (!id) throw retryableError('ProviderUnavailable', 'DTS accepted CreateSyncJob but returned no job ID; the job will be looked up by name');
    this.poller.markStale(id);
    return { jobId: id };
  }

  /** Endpoints, objects and options in one ConfigureSyncJob; the job becomes Initialized. */
  async configure(job: JobContext): Promise<void> {
    const jobId = requireId(job);
    const unconfigured = this.#unconfigured(job);
    await this.#call(() => this.#o.client.configureSyncJob(map.configureSyncJobRequest(jobId, job, this.#o.region)), 'configure the sync job');
    // A configured job no longer counts as unused: one held create fits now.
    if (unconfigured) this.#quota.freed();
    this.poller.expectCheck(jobId);
  }

  /** DTS checks before start only; a failed job is resumed without one (precheckBeforeRetry false). */
  async startPrecheck(job: JobContext, _purpose: 'start' | 'retry'): Promise<void> {
    const jobId = requireId(job);
    await this.#call(() => this.#o.client.createCheckSyncJob(jobId), 'start the check');
    this.poller.expectCheck(jobId);
  }

  /**
   * Rate limits first, then StartSyncJob: both are safe to repeat, so a failure between them is
   * repaired by the next start. (Assumption: DTS keeps a limit set on a checked job for its run;
   * ConfigureSyncJob's RateLimitOption is documented as not applied.)
   */
  async start(job: JobContext): Promise<void> {
    const jobId = requireId(job);
    const limit = map.rateLimitRequest(jobId, job.spec);
    if (limit) await this.#call(() => this.#o.client.modifySyncRateLimit(limit), 'set the rate limit');
    await this.#call(() => this.#o.client.startSyncJob(jobId), 'start the sync job');
    this.poller.markStale(jobId);
  }

  async pause(job: JobContext): Promise<void> {
    await this.#act(job, 'pause the sync job', (id) => this.#o.client.pauseSyncJob(id));
  }

  async resume(job: JobContext): Promise<void> {
    await this.#act(job, 'continue the paused sync job', (id) => this.#o.client.continueSyncJob(id));
  }

  /** ResumableErr → Resuming → Running. Failed jobs are not recoverable (the planner knows). */
  async retry(job: JobContext): Promise<void> {
    await this.#act(job, 'resume the failed sync job', (id) => this.#o.client.resumeSyncJob(id));
  }

  /**
   * StopSyncJob ends a started job. A job that never started cannot be stopped, only terminated:
   * it is isolated instead (Stopped is final either way), which also bills nothing further.
   */
  async stop(job: JobContext, _options: { force: boolean }): Promise<void> {
    const status = this.#snapshot(job)?.status;
    if (status !== undefined && NOT_STARTED_STATUSES.has(status)) {
      await this.#isolate(job, 'terminate the unstarted sync job');
      return;
    }
    await this.#act(job, 'stop the sync job', (id) => this.#o.client.stopSyncJob(id), { goneIsDone: true });
  }

  /**
   * Called again on every pass until the job is gone: isolate (a NotBilled job is released by
   * that and disappears), wait while it isolates, destroy once Isolated, wait while it goes offline.
   */
  async delete(job: JobContext): Promise<void> {
    const step = deleteStep(this.#snapshot(job)?.tradeStatus);
    if (step === 'wait') return;
    if (step === 'destroy') await this.#act(job, 'destroy the isolated sync job', (id) => this.#o.client.destroySyncJob(id), { goneIsDone: true });
    else await this.#isolate(job, 'isolate the sync job');
  }

  /** IsolateSyncJob; an unconfigured job isolated no longer counts against DTS's quota. */
  async #isolate(job: JobContext, what: string): Promise<void> {
    const unconfigured = this.#unconfigured(job);
    await this.#act(job, what, (id) => this.#o.client.isolateSyncJob(id), { goneIsDone: true });
    if (unconfigured) this.#quota.freed();
  }

  /** Whether the job counts against DTS's quota of unconfigured jobs (one not seen yet was just created: it does). */
  #unconfigured(job: JobContext): boolean {
    return (this.#snapshot(job)?.status ?? 'UnInitialized') === 'UnInitialized';
  }

  /** Nothing to apply: DTS sync jobs have no description or alarms (validate refuses them). */
  async applySettings(_job: JobContext): Promise<void> {
    throw terminalError('SettingsUnsupported', 'Tencent DTS sync jobs have no in-place settings (description, alarms); remove them from the spec');
  }

  async applySpeedLimits(job: JobContext): Promise<void> {
    const request = map.rateLimitRequest(requireId(job), job.spec);
    // DTS has no "no limit": without providerOptions.rateLimit the job keeps its current limits.
    if (!request) return;
    await this.#act(job, 'change the rate limit', () => this.#o.client.modifySyncRateLimit(request));
  }

  async rotatePassword(_job: JobContext, endpoint: 'source' | 'target'): Promise<void> {
    throw terminalError('PasswordRotationUnsupported', `Tencent DTS cannot change the ${endpoint} password of an existing sync job; create a new ReplicationJob`);
  }

  protected async closeClient(): Promise<void> {
    await this.#o.client.close();
  }

  #snapshot(job: JobContext) {
    return job.jobId ? this.poller.peek(job.jobId)?.snapshot : undefined;
  }

  async #act(job: JobContext, what: string, send: (jobId: string) => Promise<void>, opts: { goneIsDone?: boolean } = {}): Promise<void> {
    const jobId = requireId(job);
    try {
      await send(jobId);
    } catch (error) {
      const gone = error instanceof ProviderHttpError && error.code === ERROR_CODES.jobNotExist;
      if (!(opts.goneIsDone && gone)) throw this.#translate(error, what);
    }
    this.poller.markStale(jobId);
  }

  async #call<T>(fn: () => Promise<T>, what = 'read sync jobs'): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#translate(error, what);
    }
  }

  /** Transport and API failures → ReconcileError; refusals name the fix. */
  #translate(error: unknown, what: string): ReconcileError {
    if (!(error instanceof ProviderHttpError)) return toReconcileError(error);
    if (error.kind === 'invalid') {
      return terminalError('ProviderRejected', `DTS refused to ${what}: ${error.providerMessage ?? error.code ?? 'invalid request'}${error.code ? ` (${error.code})` : ''}. Fix the ReplicationJob spec or its providerOptions`);
    }
    return toReconcileError(error);
  }
}

function requireId(job: JobContext): string {
  if (!job.jobId) throw new ReconcileError('NoProviderJob', 'No DTS sync job ID is known for this ReplicationJob yet');
  return job.jobId;
}
