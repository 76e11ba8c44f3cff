import type { ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import { ReconcileError, terminalError } from '../../reconcile/errors.ts';
import type { Observation } from '../../reconcile/observation.ts';
import { capabilitiesOffering } from '../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../reconcile/provider.ts';
import { ProviderHttpError, toReconcileError } from '../http/errors.ts';
import { PolledAccount, type PollingOptions } from '../polling/polled-account.ts';
import { SnapshotPoller } from '../polling/snapshot-poller.ts';
import type { ClickHouseClient } from './client.ts';
import { CH_ERROR_CODES } from './errors.ts';
import { parseJobId, type ReplicationKey } from './job-id.ts';
import { isSteady, snapshotChanged, toObservation, type LocalJobState, type ReplicationSnapshot } from './observation-mapping.ts';
import { toPrecheck, type CheckAnswer } from './precheck-mapping.ts';
import { callsPerRound, createReplicationReader, type JobMemory } from './replication-reader.ts';
import * as map from './spec-mapping.ts';

/**
 * No pause, resume, retry or stop exists: a synchronization is created (which starts it),
 * observed, and deleted. The pre-check is the API's database-check + table-check.
 */
export const CLICKHOUSE_CAPABILITIES = capabilitiesOffering({ precheck: true });

/** A started task missing from the list for longer than this was removed outside the operator. */
const START_GRACE_MS = 2 * 60_000;

export interface ClickHouseAccountOptions extends PollingOptions {
  client: ClickHouseClient;
  startGraceMs?: number;
}

type JobState = LocalJobState & JobMemory;

/**
 * A Huawei GaussDB(for MySQL) → ClickHouse account as the reconciler sees it. One ReplicationJob
 * is one synchronized source database; its provider job ID is `<ClickHouse instance>/<database>`.
 *
 * Lifecycle on the planner: create() only registers the ID (nothing is started: creating a
 * task starts it), so the job shows Configuring; startPrecheck() runs database-check and
 * table-check and keeps the answer; start() creates the task; delete() removes it (Stopped and
 * deletion both end there). Observation is one paged list per ClickHouse instance per round.
 */
export class ClickHouseAccount extends PolledAccount<ReplicationSnapshot> implements ProviderAccount {
  readonly providerId = 'huawei-clickhouse';
  readonly capabilities = CLICKHOUSE_CAPABILITIES;
  readonly #o: ClickHouseAccountOptions;
  /** Per job ID: what this process did to it (pre-check answer, start, delete). */
  readonly #jobs = new Map<string, JobState>();
  /** Job ID → the ReplicationJob (namespace/name) it belongs to: one job per database. */
  readonly #owners = new Map<string, string>();

  constructor(options: ClickHouseAccountOptions) {
    const read = createReplicationReader({
      client: options.client,
      // Tracked jobs get a memory (so a listed task that vanishes later counts as gone, after a
      // restart too); an ID forgotten while a round was in flight does not.
      memoryOf: (jobId) => (this.poller.peek(jobId) ? this.#state(jobId) : this.#jobs.get(jobId)),
      startGraceMs: options.startGraceMs ?? START_GRACE_MS,
      now: () => options.clock.now(),
    });
    super(
      options,
      (settings) =>
        new SnapshotPoller<ReplicationSnapshot>({
          ...settings,
          name: 'huawei-clickhouse',
          read,
          isSteady,
          changed: snapshotChanged,
          callsPerRound: (_jobs, snapshots) => callsPerRound(snapshots, this.#trackedInstances()),
        }),
    );
    this.#o = options;
  }

  validate(spec: ReplicationJobSpec): string[] {
    return map.validateForClickHouse(spec, { projectId: this.#o.client.projectId });
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    if (job.jobId) this.#claim(job.jobId, job.key);
    return this.observeSnapshot(job, 'the synchronization of', (snapshot) => toObservation(snapshot, this.#jobs.get(snapshot.jobId) ?? {}));
  }

  /** The ID is derived from the spec; the job exists when the instance lists the database (or this process registered it). */
  async findJobByName(job: JobContext): Promise<string | undefined> {
    const jobId = map.jobIdOf(job.spec);
    const owner = this.#owners.get(jobId);
    // Another ReplicationJob's database is not this one's to adopt: create() will say so.
    if (owner !== undefined && owner !== job.key) return undefined;
    if (this.#jobs.has(jobId)) return jobId;
    const { instanceId, database } = map.replicationKey(job.spec);
    const listed = await this.#call(() => this.#o.client.listReplications(instanceId));
    return listed.replications.some((r) => r.source_database === database) ? jobId : undefined;
  }

  /**
   * Registers the job: checks that the ClickHouse instance exists and that the database is not
   * synchronized from another source, and starts nothing. A database already synchronized from
   * this source is adopted (it may be this job's own task from before a crash).
   */
  async create(job: JobContext): Promise<{ jobId: string }> {
    const key = map.replicationKey(job.spec);
    const jobId = map.jobIdOf(job.spec);
    const owner = this.#owners.get(jobId);
    if (owner !== undefined && owner !== job.key) {
      throw terminalError('DatabaseAlreadyReplicated', `ReplicationJob ${owner} already synchronizes database ${key.database} into ClickHouse instance ${key.instanceId}: one ReplicationJob per database; delete one of them`);
    }
    let config;
    try {
      config = await this.#o.client.getReplicationConfig(key.instanceId, key.database);
    } catch (error) {
      if (error instanceof ProviderHttpError && error.code === CH_ERROR_CODES.instanceNotFound) {
        throw terminalError('ClickHouseInstanceNotFound', `ClickHouse instance ${key.instanceId} does not exist in project ${this.#o.client.projectId}: fix spec.target.instanceId`);
      }
      throw toReconcileError(error);
    }
    const source = config?.source_instance_id;
    if (source && source !== job.spec.source.instanceId) {
      throw terminalError(
        'DatabaseAlreadyReplicated',
        `Database ${key.database} of ClickHouse instance ${key.instanceId} is already synchronized from GaussDB(for MySQL) instance ${source}, not ${job.spec.source.instanceId}: delete that synchronization, or fix spec.source.instanceId`,
      );
    }
    this.#owners.set(jobId, job.key);
    this.#jobs.set(jobId, {});
    this.poller.markStale(jobId);
    return { jobId };
  }

  async configure(): Promise<void> {
    // Nothing to configure: the create call carries the whole (small) configuration.
  }

  /** database-check, then table-check; their answers are the pre-check, item by item. */
  async startPrecheck(job: JobContext, _purpose: 'start' | 'retry'): Promise<void> {
    const key = this.#keyOf(job);
    const database = await this.#check(() => this.#o.client.checkDatabase(key.instanceId, map.databaseCheckRequest(job.spec)));
    const tables = await this.#check(() => this.#o.client.checkTables(key.instanceId, map.tableCheckRequest(job.spec)));
    this.#state(job.jobId!).precheck = toPrecheck(database, tables);
    this.notifyChanged(job.jobId!);
  }

  /** Creates the task, which starts it. A database already synchronized counts as started (an earlier attempt got through). */
  async start(job: JobContext): Promise<void> {
    const key = this.#keyOf(job);
    try {
      await this.#o.client.createReplication(key.instanceId, map.createRequest(job.spec));
    } catch (error) {
      if (!(error instanceof ProviderHttpError && error.code === CH_ERROR_CODES.replicationExists)) throw toReconcileError(error);
    }
    const state = this.#state(job.jobId!);
    state.startedAt = this.#o.clock.now();
    this.poller.markStale(job.jobId!);
  }

  async pause(): Promise<void> {
    throw unsupported('pause');
  }

  async resume(): Promise<void> {
    throw unsupported('resume');
  }

  async retry(): Promise<void> {
    throw unsupported('retry');
  }

  /** Not called (capabilities.stop is false): stopping a synchronization is removing it. */
  async stop(job: JobContext): Promise<void> {
    await this.delete(job);
  }

  /** Removes the task; idempotent (a database no longer synchronized is the goal). */
  async delete(job: JobContext): Promise<void> {
    // By the recorded ID alone: whatever the spec says now, that is the task to remove.
    const key = this.#recordedKey(job);
    await this.#call(() => this.#o.client.deleteReplication(key.instanceId, key.database));
    this.#state(job.jobId!).deleteRequested = true;
    this.poller.markStale(job.jobId!);
  }

  async applySettings(): Promise<void> {
    // capabilities.settings is false: the API keeps no name, description or alarms.
  }

  async applySpeedLimits(): Promise<void> {
    // capabilities.speedLimits is false: validate() refuses speedLimits.
  }

  async rotatePassword(): Promise<void> {
    // capabilities.passwordRotation is false: the API takes no database passwords.
  }

  override forget(jobId: string): void {
    super.forget(jobId);
    this.#jobs.delete(jobId);
    this.#owners.delete(jobId);
  }

  protected async closeClient(): Promise<void> {
    await this.#o.client.close();
  }

  #claim(jobId: string, key: string): void {
    if (!this.#owners.has(jobId)) this.#owners.set(jobId, key);
  }

  #state(jobId: string): JobState {
    let state = this.#jobs.get(jobId);
    if (!state) {
      state = {};
      this.#jobs.set(jobId, state);
    }
    return state;
  }

  /**
   * The synchronization the recorded job ID names. The spec must still name the same one: the
   * database and instance are the ID, so changing them means a new ReplicationJob.
   */
  #keyOf(job: JobContext): ReplicationKey {
    const key = this.#recordedKey(job);
    const wanted = map.jobIdOf(job.spec);
    if (wanted !== job.jobId) {
      throw terminalError('ObjectsChangeUnsupported', `spec names ${wanted} but this ReplicationJob synchronizes ${job.jobId}: revert spec.objects, or create a new ReplicationJob for the other database`);
    }
    return key;
  }

  #recordedKey(job: JobContext): ReplicationKey {
    if (!job.jobId) throw new ReconcileError('NoProviderJob', 'No huawei-clickhouse job ID is known for this ReplicationJob yet');
    const key = parseJobId(job.jobId);
    if (!key) throw terminalError('InvalidJobId', `status.jobId ${job.jobId} is not a huawei-clickhouse job ID (<ClickHouse instance ID>/<database>)`);
    return key;
  }

  /** A check the API refused (4xx other than auth) is a failed item; throttling, 5xx and auth stay errors. */
  async #check<T>(call: () => Promise<T>): Promise<CheckAnswer<T>> {
    try {
      return { ok: true, response: await call() };
    } catch (error) {
      if (error instanceof ProviderHttpError && ['invalid', 'notFound', 'conflict'].includes(error.kind)) {
        return { ok: false, ...(error.code ? { code: error.code } : {}), message: error.providerMessage ?? error.message };
      }
      throw toReconcileError(error);
    }
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toReconcileError(error);
    }
  }

  #trackedInstances(): number {
    const instances = new Set<string>();
    for (const jobId of this.#jobs.keys()) instances.add(parseJobId(jobId)?.instanceId ?? jobId);
    return instances.size;
  }
}

function unsupported(what: string): ReconcileError {
  return terminalError(`${what[0]!.toUpperCase()}${what.slice(1)}Unsupported`, `huawei-clickhouse cannot ${what} a synchronization: set spec.state to Running, or Stopped to remove it`);
}
