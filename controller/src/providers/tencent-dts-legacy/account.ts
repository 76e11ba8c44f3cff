import type { ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import { ReconcileError, retryableError, terminalError } from '../../reconcile/errors.ts';
import type { Observation } from '../../reconcile/observation.ts';
import { capabilitiesOffering } from '../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../reconcile/provider.ts';
import { ProviderHttpError, toReconcileError } from '../http/errors.ts';
import { PolledAccount, type PollingOptions } from '../polling/polled-account.ts';
import { SnapshotPoller } from '../polling/snapshot-poller.ts';
import { QuotaHold } from '../quota/quota-hold.ts';
import { DTS_LEGACY_ERRORS } from './api-types.ts';
import { MigrateJobReader, type ApiCaller } from './job-reader.ts';
import { snapshotChanged, toObservation, type LegacySnapshot } from './observation-mapping.ts';
import * as map from './spec-mapping.ts';
import { awaitsCompletion, isSteadyStatus, isUnusedStatus, providerStatusText } from './status-map.ts';

export const DTS_LEGACY_PROVIDER_ID = 'tencent-dts-legacy';

/**
 * What the 2018-03-30 migrate API offers the planner: CreateMigrateJob carries the whole
 * configuration (no configure step), a check before start, stop (StopMigrateJob or, for a job
 * ready to complete, CompleteMigrateJob) before delete. No pause, no in-place retry, no speed
 * limits, settings or password push to a started job.
 */
export const DTS_LEGACY_CAPABILITIES = capabilitiesOffering({ precheck: true, stop: true });

export interface DtsLegacyAccountOptions extends PollingOptions {
  client: ApiCaller & { close(): Promise<void> };
  /** The account region (ProviderConfig spec.region): the default Region of SrcInfo and DstInfo. */
  region: string;
}

/**
 * A Tencent DTS account driven through the 2018-03-30 migrate-job API. Observation comes from
 * one SnapshotPoller per account (see MigrateJobReader for the cost of a round); actions are
 * single-job calls (the API has no batch actions).
 */
export class DtsLegacyAccount extends PolledAccount<LegacySnapshot> implements ProviderAccount {
  readonly providerId = DTS_LEGACY_PROVIDER_ID;
  readonly capabilities = DTS_LEGACY_CAPABILITIES;
  readonly #o: DtsLegacyAccountOptions;
  readonly #reader: MigrateJobReader;
  /** Jobs this account just created: their first check needs no ModifyMigrateJob (create sent the same configuration). */
  readonly #createdHere = new Set<string>();
  /** Creates held while DTS's quota of unused migrate jobs is full. */
  readonly #quota: QuotaHold;

  constructor(options: DtsLegacyAccountOptions) {
    super(
      options,
      (settings) =>
        new SnapshotPoller<LegacySnapshot>({
          ...settings,
          name: DTS_LEGACY_PROVIDER_ID,
          read: (ids) => this.#reader.read(ids),
          isSteady: (s) => isSteadyStatus(s.status, s.migrateType),
          changed: snapshotChanged,
          // The listing (or per-job reads), plus one DescribeMigrateCheckJob per running check.
          callsPerRound: (jobs, snapshots) => this.#reader.listingCalls(jobs) + snapshots.filter((s) => s.status === 3).length,
        }),
    );
    this.#o = options;
    this.#reader = new MigrateJobReader({ client: options.client, previous: (id) => this.poller.peek(id)?.snapshot });
    this.#quota = new QuotaHold({
      what: 'DTS migrate job',
      quota: 'the account has too many unused (created, never started) migrate jobs (LimitExceeded.MaxUnusedJobs)',
      freedBy: 'job started or deleted',
      fix: 'Start or delete unused migrate jobs in the account to make room',
      isQuotaRefusal: (error) => codeOf(error) === DTS_LEGACY_ERRORS.maxUnusedJobs,
      // Room made outside the operator is found this often.
      probeEveryMs: 30_000,
      recheckMs: 2_000,
      jitterMs: 2_000,
      now: () => options.clock.now(),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  validate(spec: ReplicationJobSpec): string[] {
    return map.validateForLegacy(spec);
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    return this.observeSnapshot(job, 'DTS migrate job', async (snapshot, tracked) => {
      if (!tracked.stale && awaitsCompletion(snapshot.status, snapshot.migrateType)) return toObservation(await this.#completeFullMigration(snapshot));
      return toObservation(snapshot);
    });
  }

  async findJobByName(job: JobContext): Promise<string | undefined> {
    const found = await this.#call('look the job up by name', () => this.#reader.findByName(job.jobName));
    return found[0]?.JobId;
  }

  createHold(_job: JobContext): ReconcileError | undefined {
    return this.#quota.createHold();
  }

  async create(job: JobContext): Promise<{ jobId: string }> {
    const request = map.createRequest(job, this.#o.region);
    let jobId: string | undefined;
    try {
      ({ JobId: jobId } = await this.#quota.create(() => this.#o.client.call<{ JobId?: string }>('CreateMigrateJob', request)));
    } catch (error) {
      if (error instanceof ReconcileError) throw error;
      if (codeOf(error) === DTS_LEGACY_ERRORS.duplicateJob) {
        // The name is derived from the object's uid: the job is our own earlier create. Adopt it.
        const existing = await this.findJobByName(job);
        if (existing) return this.#created(existing);
        throw retryableError('ProviderJobExists', `DTS says a migrate job named ${job.jobName} exists, but the lookup by name did not find it yet; retrying`);
      }
      throw this.#reconcileError(error, 'create the migrate job');
    }
    if (!jobId) throw retryableError('ProviderUnavailable', 'DTS accepted CreateMigrateJob but returned no JobId; the job will be looked up by name');
    this.#createdHere.add(jobId);
    return this.#created(jobId);
  }

  /** Never called: CreateMigrateJob carries the whole configuration (capabilities.configure is false). */
  async configure(_job: JobContext): Promise<void> {
    throw unsupported('a separate configure step');
  }

  /**
   * ModifyMigrateJob (re-check only) → CreateMigrateCheckJob. A re-check first re-applies the
   * current spec and Secrets, so a fixed password or host is what gets checked (the API requires
   * a new check after any modification anyway).
   */
  async startPrecheck(job: JobContext, _purpose: 'start' | 'retry'): Promise<void> {
    const jobId = requireId(job);
    const current = this.poller.peek(jobId)?.snapshot;
    if (current?.status === 3) return; // A check is already running.
    const justCreated = this.#createdHere.delete(jobId) && (current === undefined || current.status === 1);
    if (!justCreated) {
      await this.#call('re-apply the configuration (ModifyMigrateJob)', () => this.#o.client.call('ModifyMigrateJob', map.modifyRequest(jobId, job, this.#o.region)));
    }
    await this.#call('start the migration check', () => this.#o.client.call('CreateMigrateCheckJob', { JobId: jobId }));
    this.#expect(jobId, 3);
  }

  async start(job: JobContext): Promise<void> {
    const jobId = requireId(job);
    await this.#call('start the migration', () => this.#o.client.call('StartMigrateJob', { JobId: jobId }));
    // A started job no longer counts as unused: one held create fits now.
    this.#quota.freed();
    this.#expect(jobId, 7);
  }

  async pause(_job: JobContext): Promise<void> {
    throw unsupported('pause');
  }

  async resume(_job: JobContext): Promise<void> {
    throw unsupported('resume');
  }

  async retry(_job: JobContext): Promise<void> {
    throw unsupported('retrying a failed job in place');
  }

  /**
   * Ends the job by its current status:
   * - 7 Running: StopMigrateJob (cancel; DTS then reports it 10 Failed, which the planner counts as Stopped).
   * - 8 ReadyComplete: when spec.state is Stopped, CompleteMigrateJob (the cut-over: the target
   *   holds everything up to now) unless providerOptions.completeOnStop is false; StopMigrateJob
   *   when deleting, when forced, or when asked to cancel.
   * - 1, 4, 5 (never started): DeleteMigrateJob — nothing runs, and Stopped is final.
   * - 3, 9, 10, 11, 12: nothing to do (the check ends by itself; the job is ending or ended).
   */
  async stop(job: JobContext, { force }: { force: boolean }): Promise<void> {
    const jobId = requireId(job);
    const tracked = this.poller.peek(jobId);
    if (tracked?.gone) return;
    const status = tracked?.snapshot?.status;
    const opts = map.options(job.spec);
    if (status === 8 && !force && job.spec.state === 'Stopped' && opts.completeOnStop !== false) {
      await this.#call('complete the migration', () => this.#o.client.call('CompleteMigrateJob', { JobId: jobId, CompleteMode: opts.completeMode ?? 'waitForSync' }));
      this.#expect(jobId, 12);
    } else if (status === 7 || status === 8) {
      await this.#call('stop the migration', () => this.#o.client.call('StopMigrateJob', { JobId: jobId }));
      this.#expect(jobId, 11);
    } else if (status === 1 || status === 4 || status === 5) {
      await this.delete(job);
    } else if (status === undefined || status === 23) {
      throw retryableError('ProviderConflict', `DTS migrate job ${jobId} is in status ${status === undefined ? 'not yet known' : providerStatusText(status)}; will look again before stopping it`);
    }
  }

  /** DeleteMigrateJob; idempotent (a job already gone is done). */
  async delete(job: JobContext): Promise<void> {
    const jobId = requireId(job);
    const unused = isUnusedStatus(this.poller.peek(jobId)?.snapshot?.status);
    try {
      await this.#o.client.call('DeleteMigrateJob', { JobId: jobId });
      if (unused) this.#quota.freed();
    } catch (error) {
      if (!codeOf(error)?.startsWith(DTS_LEGACY_ERRORS.notFound)) throw this.#reconcileError(error, 'delete the migrate job');
    }
    this.#createdHere.delete(jobId);
    this.poller.markStale(jobId);
  }

  async applySettings(_job: JobContext): Promise<void> {
    throw unsupported('changing settings of a job');
  }

  async applySpeedLimits(_job: JobContext): Promise<void> {
    throw unsupported('speed limits');
  }

  async rotatePassword(_job: JobContext, _endpoint: 'source' | 'target'): Promise<void> {
    throw unsupported('pushing a rotated password to a started job');
  }

  override forget(jobId: string): void {
    super.forget(jobId);
    this.#createdHere.delete(jobId);
  }

  protected async closeClient(): Promise<void> {
    await this.#o.client.close();
  }

  /**
   * A structure or full migration waits in 8 ReadyComplete for CompleteMigrateJob; nothing
   * streams, so there is nothing to decide: complete it. Done from observe() — that is, only
   * while a live ReplicationJob is reconciled (a reconcile-paused object is left alone).
   */
  async #completeFullMigration(snapshot: LegacySnapshot): Promise<LegacySnapshot> {
    try {
      await this.#o.client.call('CompleteMigrateJob', { JobId: snapshot.jobId, CompleteMode: 'waitForSync' });
    } catch (error) {
      // Its status moved on since the snapshot (someone completed or stopped it): look again.
      if (codeOf(error) === DTS_LEGACY_ERRORS.notAllowed) {
        this.poller.markStale(snapshot.jobId);
        return snapshot;
      }
      throw this.#reconcileError(error, 'complete the full migration');
    }
    this.#expect(snapshot.jobId, 12);
    return { ...snapshot, status: 12 };
  }

  #created(jobId: string): { jobId: string } {
    this.poller.markStale(jobId);
    return { jobId };
  }

  /** An action's known effect: take it into the snapshot now and distrust it until the next round. */
  #expect(jobId: string, status: number): void {
    this.poller.update(jobId, (s) => (s ? { ...s, status, ...(status === 3 ? { check: undefined } : {}) } : { jobId, jobName: '', status }));
    this.poller.markStale(jobId);
  }

  async #call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw this.#reconcileError(error, what);
    }
  }

  /**
   * The API's refusals in the operator's terms. FailedOperation.NotAllowOperation on a lifecycle
   * call means the job's status moved since the snapshot (or another client acted): re-observe
   * and retry, never a terminal condition. Everything else follows the shared mapping (invalid
   * parameters and auth are terminal; throttling, InternalError and timeouts retry).
   */
  #reconcileError(error: unknown, what: string): ReconcileError {
    const code = codeOf(error);
    if (code === DTS_LEGACY_ERRORS.notAllowed && what !== 'create the migrate job') {
      return retryableError('ProviderConflict', `DTS does not allow to ${what} in the job's current status (${(error as ProviderHttpError).providerMessage ?? code}); will re-read its status and retry`);
    }
    if (code?.startsWith(DTS_LEGACY_ERRORS.notFound)) {
      return retryableError('ProviderJobGone', `DTS does not know the migrate job any more (${code}); will re-read and re-create or release it`);
    }
    return toReconcileError(error);
  }
}

function codeOf(error: unknown): string | undefined {
  return error instanceof ProviderHttpError ? error.code : undefined;
}

function requireId(job: JobContext): string {
  if (!job.jobId) throw new ReconcileError('NoProviderJob', 'No DTS migrate job ID is known for this ReplicationJob yet');
  return job.jobId;
}

function unsupported(what: string): ReconcileError {
  return terminalError('Unsupported', `The Tencent DTS 2018-03-30 migrate API does not support ${what}`);
}
