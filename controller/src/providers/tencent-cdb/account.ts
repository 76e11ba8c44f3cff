import type { ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import { ReconcileError, retryableError, terminalError } from '../../reconcile/errors.ts';
import type { Observation } from '../../reconcile/observation.ts';
import { capabilitiesOffering } from '../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../reconcile/provider.ts';
import { ProviderHttpError, callProvider, toReconcileError } from '../http/errors.ts';
import { PolledAccount, type PollingOptions } from '../polling/polled-account.ts';
import { SnapshotPoller } from '../polling/snapshot-poller.ts';
import { PROVIDER_ID, type CdbClient } from './client.ts';
import { TASK_NOT_FOUND_CODES } from './errors.ts';
import { toObservation, type CdbTaskSnapshot } from './observation-mapping.ts';
import { createParams, validateForCdb } from './spec-mapping.ts';
import { STEADY_STATUSES, SYNCING_STATUSES, providerStatusText } from './status-map.ts';
import { CdbTaskReader } from './task-reader.ts';

/**
 * What the CDB data-sync API offers: create carries the whole configuration, verification is
 * the pre-check, then start. No pause, resume, stop, retry or in-place change of anything.
 */
export const CDB_CAPABILITIES = capabilitiesOffering({ precheck: true });

export interface CdbAccountOptions extends PollingOptions {
  client: CdbClient;
  /** The ProviderConfig region: the Region of every call, and of the master instances. */
  region: string;
}

/**
 * One Tencent CDB account (ProviderConfig) as the reconciler sees it. Observation comes from one
 * SnapshotPoller over GetCdbDataSyncTaskList pages (task-reader.ts); actions are single-task
 * calls, since the API has no batch actions.
 */
export class CdbAccount extends PolledAccount<CdbTaskSnapshot> implements ProviderAccount {
  readonly providerId = PROVIDER_ID;
  readonly capabilities = CDB_CAPABILITIES;
  readonly #o: CdbAccountOptions;

  constructor(options: CdbAccountOptions) {
    const reader = new CdbTaskReader(options.client);
    super(
      options,
      (settings) =>
        new SnapshotPoller<CdbTaskSnapshot>({
          ...settings,
          name: PROVIDER_ID,
          read: (ids) => reader.read(ids),
          isSteady: (s) => STEADY_STATUSES.has(s.status) || (s.status === 6 && (s.progress ?? 0) >= 100),
          changed: (before, after) => before === undefined || fingerprint(before) !== fingerprint(after),
          callsPerRound: (jobs) => reader.callsPerRound(jobs),
        }),
    );
    this.#o = options;
  }

  validate(spec: ReplicationJobSpec): string[] {
    return validateForCdb(spec, this.#o.region);
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    return this.observeSnapshot(job, 'CDB data-sync task', toObservation);
  }

  async findJobByName(job: JobContext): Promise<string | undefined> {
    const found = await callProvider(() => this.#o.client.findByName(job.jobName));
    // Oldest first: if a create was ever duplicated, the first task is the one adopted.
    return found.map((t) => t.jobId).sort((a, b) => Number(a) - Number(b))[0];
  }

  async create(job: JobContext): Promise<{ jobId: string }> {
    const id = await callProvider(() => this.#o.client.createTask(createParams(job.spec, job.jobName, this.#o.region)));
    if (!id) throw retryableError('ProviderUnavailable', `CDB accepted the create of ${job.jobName} but returned no jobId; the task will be looked up by name`);
    this.poller.markStale(id);
    return { jobId: id };
  }

  /** Nothing to do: CreateCdbDataSyncTask carried the whole configuration. */
  async configure(): Promise<void> {}

  /**
   * CheckCdbDataSyncTask runs only on a configured task (status 1), so a task whose
   * verification failed (3) cannot be verified again: it is deleted, and the reconciler, seeing
   * it gone, creates it again under the same name and verifies the new one. (Only 'start'
   * pre-checks happen: without retry there is no retry pre-check.)
   */
  async startPrecheck(job: JobContext, _purpose: 'start' | 'retry' = 'start'): Promise<void> {
    const id = requireId(job);
    const status = this.poller.peek(id)?.snapshot?.status;
    if (status === 3) {
      this.#o.log?.warn({ key: job.key, jobId: id }, 'CDB cannot re-verify a task: deleting the failed one so that a new task is created and verified');
      await this.#deleteTask(id);
    } else if (status !== 2 && status !== 4) {
      await callProvider(() => this.#o.client.checkTask(id));
    }
    this.poller.markStale(id);
  }

  async start(job: JobContext): Promise<void> {
    const id = requireId(job);
    const status = this.poller.peek(id)?.snapshot?.status;
    // Already started (the answer to an earlier start was lost): nothing to do.
    if (status === undefined || ![5, 6, 7, 9].includes(status)) await callProvider(() => this.#o.client.startTask(id));
    this.poller.markStale(id);
  }

  async pause(): Promise<void> {
    throw terminalError('PauseUnsupported', 'The CDB data-sync API cannot pause a task: set spec.state to Running');
  }

  async resume(): Promise<void> {
    throw terminalError('ResumeUnsupported', 'The CDB data-sync API cannot pause or resume a task: set spec.state to Running');
  }

  async retry(): Promise<void> {
    throw terminalError('RetryUnsupported', 'The CDB data-sync API cannot retry a failed task: delete and re-create this ReplicationJob');
  }

  /** The API has no stop: releasing a task means deleting it. */
  async stop(job: JobContext, _options?: { force: boolean }): Promise<void> {
    await this.delete(job);
  }

  /**
   * DelCdbDataSyncTask, accepted in statuses 0, 1, 3, 4, 8 and 9. A task verifying (2) or about
   * to start (5) is waited for; a syncing task (6, 7) cannot be stopped or deleted through the
   * API at all, which is reported as a terminal condition telling the user what to do (the
   * poller's change notification resumes the deletion once the task fails or finishes).
   */
  async delete(job: JobContext): Promise<void> {
    const id = requireId(job);
    const status = this.poller.peek(id)?.snapshot?.status;
    if (status !== undefined && SYNCING_STATUSES.has(status)) {
      throw terminalError(
        'DeleteUnsupportedWhileSyncing',
        `CDB data-sync task ${id} is ${providerStatusText(status)}: the CDB API can neither stop nor delete a syncing task, so it keeps running. ` +
          'To end it, stop it in the Tencent Cloud console (the operator deletes it as soon as it has stopped, failed or finished); ' +
          'to delete this ReplicationJob and leave the task running, set spec.deletionPolicy: Orphan',
      );
    }
    if (status === 2 || status === 5) {
      throw retryableError('ProviderConflict', `CDB data-sync task ${id} is ${providerStatusText(status)} and cannot be deleted until that step ends; retrying`);
    }
    await this.#deleteTask(id);
    this.poller.markStale(id);
  }

  async applySettings(): Promise<void> {
    throw terminalError('SettingsUnsupported', 'The CDB data-sync API cannot change a task in place: remove the changed fields');
  }

  async applySpeedLimits(): Promise<void> {
    throw terminalError('SpeedLimitsUnsupported', 'The CDB data-sync API has no speed limits: remove spec.speedLimits');
  }

  async rotatePassword(): Promise<void> {
    // The API connects instances by ID: no passwords are involved (validate() refuses them).
  }

  protected async closeClient(): Promise<void> {
    await this.#o.client.close();
  }

  /** A task that no longer exists is deleted already. */
  async #deleteTask(id: string): Promise<void> {
    try {
      await this.#o.client.deleteTask(id);
    } catch (error) {
      if (error instanceof ProviderHttpError && error.code !== undefined && TASK_NOT_FOUND_CODES.has(error.code)) return;
      throw toReconcileError(error);
    }
  }
}

function requireId(job: JobContext): string {
  if (!job.jobId) throw new ReconcileError('NoProviderJob', 'No CDB data-sync task ID is known for this ReplicationJob yet');
  return job.jobId;
}

/** The parts of a task whose change must wake its reconcile. */
function fingerprint(s: CdbTaskSnapshot): string {
  return JSON.stringify([s.status, s.progress, s.checkFlag, s.checkResult?.status, s.checkResult?.stepInfo?.length, s.output?.code, s.output?.message]);
}
