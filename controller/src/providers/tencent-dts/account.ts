import type { ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import type { ReconcileError } from '../../reconcile/errors.ts';
import type { Observation } from '../../reconcile/observation.ts';
import type { ProviderCapabilities } from '../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../reconcile/provider.ts';
import { DTS_MIGRATION_JOB_PREFIX } from './migration/index.ts';
import { DTS_SYNC_JOB_ID_PREFIX } from './sync/index.ts';

/**
 * The tencent-dts provider: DTS 2021-12-06 has two job APIs — sync jobs (CreateSyncJob …, IDs
 * sync-…) and migration jobs (CreateMigrationService …, IDs dts-…) — each with its own batched
 * poller. One ProviderConfig serves both, so this account sends each call to the half that owns
 * the job: by job ID where one exists (observe has no spec), by spec.type before creation.
 */
export class DtsAccount implements ProviderAccount {
  readonly providerId = 'tencent-dts';
  readonly #sync: ProviderAccount;
  readonly #migration: ProviderAccount;

  constructor(halves: { sync: ProviderAccount; migration: ProviderAccount }) {
    this.#sync = halves.sync;
    this.#migration = halves.migration;
  }

  /** What both halves can do; the reconciler asks capabilitiesFor(spec) for the job's own. */
  get capabilities(): ProviderCapabilities {
    const a = this.#sync.capabilities;
    const b = this.#migration.capabilities;
    return Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof ProviderCapabilities] && b[k as keyof ProviderCapabilities]])) as unknown as ProviderCapabilities;
  }

  capabilitiesFor(spec: ReplicationJobSpec): ProviderCapabilities {
    return spec.type === 'migration' ? this.#migration.capabilities : this.#sync.capabilities;
  }

  get pollIntervals(): { activeMs: number; steadyMs: number } {
    return this.#sync.pollIntervals;
  }

  validate(spec: ReplicationJobSpec): string[] {
    if (spec.type === 'disasterRecovery') {
      return ['spec.type disasterRecovery is not a Tencent DTS job type: use sync (continuous replication) or migration (one-off move)'];
    }
    return this.#forSpec(spec).validate(spec);
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    if (!job.jobId) return Promise.resolve(undefined);
    return this.#forId(job.jobId).observe(job);
  }

  findJobByName(job: JobContext): Promise<string | undefined> {
    return this.#forSpec(job.spec).findJobByName(job);
  }

  createHold(job: JobContext): ReconcileError | undefined {
    return this.#forSpec(job.spec).createHold?.(job);
  }

  create(job: JobContext): Promise<{ jobId: string }> {
    return this.#forSpec(job.spec).create(job);
  }

  configure(job: JobContext): Promise<void> {
    return this.#forJob(job).configure(job);
  }

  startPrecheck(job: JobContext, purpose: 'start' | 'retry'): Promise<void> {
    return this.#forJob(job).startPrecheck(job, purpose);
  }

  start(job: JobContext): Promise<void> {
    return this.#forJob(job).start(job);
  }

  pause(job: JobContext): Promise<void> {
    return this.#forJob(job).pause(job);
  }

  resume(job: JobContext): Promise<void> {
    return this.#forJob(job).resume(job);
  }

  retry(job: JobContext): Promise<void> {
    return this.#forJob(job).retry(job);
  }

  stop(job: JobContext, options: { force: boolean }): Promise<void> {
    return this.#forJob(job).stop(job, options);
  }

  delete(job: JobContext): Promise<void> {
    return this.#forJob(job).delete(job);
  }

  applySettings(job: JobContext): Promise<void> {
    return this.#forJob(job).applySettings(job);
  }

  applySpeedLimits(job: JobContext): Promise<void> {
    return this.#forJob(job).applySpeedLimits(job);
  }

  rotatePassword(job: JobContext, endpoint: 'source' | 'target'): Promise<void> {
    return this.#forJob(job).rotatePassword(job, endpoint);
  }

  forget(jobId: string): void {
    this.#forId(jobId).forget(jobId);
  }

  onJobChanged(listener: (jobId: string) => void): () => void {
    const offSync = this.#sync.onJobChanged(listener);
    const offMigration = this.#migration.onJobChanged(listener);
    return () => {
      offSync();
      offMigration();
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.#sync.close(), this.#migration.close()]);
  }

  #forSpec(spec: ReplicationJobSpec): ProviderAccount {
    return spec.type === 'migration' ? this.#migration : this.#sync;
  }

  #forId(jobId: string): ProviderAccount {
    if (jobId.startsWith(DTS_SYNC_JOB_ID_PREFIX)) return this.#sync;
    if (jobId.startsWith(DTS_MIGRATION_JOB_PREFIX)) return this.#migration;
    // Unknown shapes: the sync API is the one DTS documents as current.
    return this.#sync;
  }

  #forJob(job: JobContext): ProviderAccount {
    return job.jobId ? this.#forId(job.jobId) : this.#forSpec(job.spec);
  }
}
