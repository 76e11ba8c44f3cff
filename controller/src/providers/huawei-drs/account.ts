import type { ReplicationJobSpec } from '../../api/replication-job-spec.ts';
import { ReconcileError, retryableError, terminalError } from '../../reconcile/errors.ts';
import type { Observation } from '../../reconcile/observation.ts';
import { FULL_CAPABILITIES, type ProviderCapabilities } from '../../reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../reconcile/provider.ts';
import { Coalescer } from '../batching/coalescer.ts';
import { callProvider } from '../http/errors.ts';
import { PolledAccount, type PollingOptions } from '../polling/polled-account.ts';
import type { DrsClient } from './client.ts';
import { toObservation, type DrsSnapshot } from './observation-mapping.ts';
import type { ItemFailure } from './outcomes.ts';
import { DrsPoller } from './poller.ts';
import type { DrsProfile } from './profile.ts';
import * as map from './spec-mapping.ts';

/** A.3: the task name already exists in the project. */
const NAME_EXISTS = 'DRS.M00277';

const CAPABILITIES: ProviderCapabilities = FULL_CAPABILITIES;

export interface DrsAccountOptions extends PollingOptions {
  client: DrsClient;
  profile: DrsProfile;
  /** How long concurrent reconciles' actions are collected into one batch call. */
  coalesceWindowMs?: number;
}

type Outcome = ({ ok: true } & object) | ({ ok: false } & ItemFailure);

/**
 * A Huawei DRS account (or the built-in engine, which speaks the same API) as the reconciler
 * sees it. Observation comes from one batched poller; every action goes through a coalescer so
 * that actions issued by concurrent reconciles within a short window share one batch request,
 * and each caller gets its own item's result.
 */
export class DrsAccount extends PolledAccount<DrsSnapshot, DrsPoller> implements ProviderAccount {
  readonly providerId: string;
  readonly capabilities = CAPABILITIES;
  readonly #o: DrsAccountOptions;
  readonly #batch: ReturnType<DrsAccount['createCoalescers']>;

  constructor(options: DrsAccountOptions) {
    super(options, (settings) => new DrsPoller({ ...settings, client: options.client }));
    this.#o = options;
    this.providerId = options.profile.providerId;
    this.#batch = this.createCoalescers();
  }

  /** One coalescer per DRS endpoint; keys identify each item in the batch answer. */
  private createCoalescers() {
    const c = this.#o.client;
    const windowMs = this.#o.coalesceWindowMs ?? 25;
    const byJob = <T extends { job_id: string }>(call: (items: T[]) => Promise<(Outcome & { jobId: string })[]>) =>
      new Coalescer<T, Outcome>({
        keyOf: (i) => i.job_id,
        windowMs,
        maxBatch: 100,
        flush: async (items) => new Map((await call(items)).map((o) => [o.jobId, o])),
      });
    return {
      create: new Coalescer<Parameters<DrsClient['createJobs']>[0][number], Outcome & { id?: string }>({
        keyOf: (i) => i.name,
        windowMs,
        maxBatch: 100,
        flush: async (items) => new Map((await c.createJobs(items)).map((o) => [o.name, o])),
      }),
      connection: new Coalescer<Parameters<DrsClient['testConnections']>[0][number], Outcome>({
        keyOf: (i) => `${i.id}/${i.end_point_type}`,
        windowMs,
        maxBatch: 100,
        flush: async (items) => new Map((await c.testConnections(items)).map((o) => [`${o.jobId}/${o.endPointType}`, o])),
      }),
      password: new Coalescer<Parameters<DrsClient['modifyPasswords']>[0][number], Outcome>({
        keyOf: (i) => `${i.job_id}/${i.end_point_type}`,
        windowMs,
        maxBatch: 100,
        flush: async (items) => new Map((await c.modifyPasswords(items)).map((o) => [`${o.jobId}/${o.endPointType}`, o])),
      }),
      modify: byJob((items: Parameters<DrsClient['modifyJobs']>[0][number][]) => c.modifyJobs(items)),
      select: byJob((items: Parameters<DrsClient['selectObjects']>[0][number][]) => c.selectObjects(items)),
      policy: byJob((items: Parameters<DrsClient['setSyncPolicies']>[0][number][]) => c.setSyncPolicies(items)),
      speed: byJob((items: Parameters<DrsClient['limitSpeeds']>[0][number][]) => c.limitSpeeds(items)),
      precheck: byJob((items: Parameters<DrsClient['startPrechecks']>[0][number][]) => c.startPrechecks(items)),
      start: byJob((items: Parameters<DrsClient['startJobs']>[0][number][]) => c.startJobs(items)),
      retry: byJob((items: Parameters<DrsClient['retryJobs']>[0][number][]) => c.retryJobs(items)),
      pause: byJob((items: Parameters<DrsClient['pauseJobs']>[0][number][]) => c.pauseJobs(items)),
      remove: byJob((items: Parameters<DrsClient['deleteJobs']>[0][number][]) => c.deleteJobs(items)),
    };
  }

  validate(spec: ReplicationJobSpec): string[] {
    return map.validateForDrs(spec, this.#o.profile);
  }

  observe(job: JobHandle): Promise<Observation | undefined> {
    return this.observeSnapshot(job, 'DRS job', toObservation);
  }

  async findJobByName(job: JobContext): Promise<string | undefined> {
    const useType = ({ migration: 'migration', sync: 'sync', disasterRecovery: 'cloudDataGuard' } as const)[job.spec.type];
    const found = await callProvider(() => this.#o.client.findJobsByName(job.jobName, useType, map.engineType(job.spec)));
    const live = found.filter((j) => j.status !== 'DELETED' && j.id);
    return live[0]?.id ?? undefined;
  }

  async create(job: JobContext): Promise<{ jobId: string }> {
    const outcome = await this.#batch.create.submit(map.createItem(job, this.#o.profile));
    if (!outcome.ok && outcome.code === NAME_EXISTS) {
      // The deterministic name is taken: our own earlier create. Retry, which looks it up by name.
      throw retryableError('ProviderJobExists', `A DRS job named ${job.jobName} already exists; adopting it`);
    }
    const ok = this.#unwrap(outcome, 'create');
    const id = (ok as { id?: string }).id;
    if (!id) throw retryableError('ProviderUnavailable', 'DRS accepted the create but returned no job ID; the job will be looked up by name');
    this.poller.markStale(id);
    return { jobId: id };
  }

  /** Connection test (both ends) → full modification → speed limits → sync policy → objects. */
  async configure(job: JobContext): Promise<void> {
    const jobId = requireId(job);
    const tests = map.connectionItems(jobId, job, this.#o.profile);
    const results = await Promise.all(tests.map((t) => this.#batch.connection.submit(t)));
    results.forEach((r, i) => {
      if (!r.ok) {
        const side = tests[i]!.end_point_type === 'so' ? 'source' : 'target';
        throw new ReconcileError('ConnectionTestFailed', `Connection test of the ${side} database failed: ${r.message} (${r.code}). Check host, port, user, password and network access from DRS`);
      }
    });
    this.#unwrap(await this.#batch.modify.submit(map.fullModifyItem(jobId, job, this.#o.profile)), 'configure');
    if ((job.spec.speedLimits ?? []).length > 0) this.#unwrap(await this.#batch.speed.submit(map.speedLimitItem(jobId, job.spec)), 'set speed limits');
    const policy = map.syncPolicyItem(jobId, job.spec);
    if (policy) this.#unwrap(await this.#batch.policy.submit(policy), 'set the sync policy');
    this.#unwrap(await this.#batch.select.submit(map.selectObjectsItem(jobId, job.spec)), 'select objects');
    this.poller.markStale(jobId);
  }

  async startPrecheck(job: JobContext, purpose: 'start' | 'retry'): Promise<void> {
    const jobId = requireId(job);
    this.#unwrap(await this.#batch.precheck.submit({ job_id: jobId, precheck_mode: purpose === 'start' ? 'forStartJob' : 'forRetryJob' }), 'start the pre-check');
    this.poller.expectPrecheck(jobId, purpose);
  }

  async start(job: JobContext): Promise<void> {
    await this.#act(job, 'start', (id) => this.#batch.start.submit({ job_id: id }));
  }

  async pause(job: JobContext): Promise<void> {
    const mode = map.options(job.spec).pauseMode ?? 'all';
    await this.#act(job, 'pause', (id) => this.#batch.pause.submit({ job_id: id, pause_mode: mode }));
  }

  async resume(job: JobContext): Promise<void> {
    await this.#act(job, 'resume', (id) => this.#batch.retry.submit({ job_id: id, is_sync_re_edit: false }));
  }

  async retry(job: JobContext): Promise<void> {
    await this.#act(job, 'retry', (id) => this.#batch.retry.submit({ job_id: id, is_sync_re_edit: false }));
  }

  async stop(job: JobContext, { force }: { force: boolean }): Promise<void> {
    await this.#act(job, 'stop', (id) => this.#batch.remove.submit({ job_id: id, delete_type: force ? 'force_terminate' : 'terminate' }), { goneIsDone: true });
  }

  async delete(job: JobContext): Promise<void> {
    await this.#act(job, 'delete', (id) => this.#batch.remove.submit({ job_id: id, delete_type: 'delete' }), { goneIsDone: true });
  }

  async applySettings(job: JobContext): Promise<void> {
    await this.#act(job, 'apply settings', (id) => this.#batch.modify.submit(map.settingsItem(id, job)));
  }

  async applySpeedLimits(job: JobContext): Promise<void> {
    await this.#act(job, 'apply speed limits', (id) => this.#batch.speed.submit(map.speedLimitItem(id, job.spec)));
  }

  async rotatePassword(job: JobContext, endpoint: 'source' | 'target'): Promise<void> {
    const password = endpoint === 'source' ? job.secrets.sourcePassword : job.secrets.targetPassword;
    if (!password) return;
    await this.#act(job, `rotate the ${endpoint} password`, (id) => this.#batch.password.submit({ job_id: id, end_point_type: endpoint === 'source' ? 'so' : 'ta', db_password: password }));
  }

  protected async closeClient(): Promise<void> {
    await this.#o.client.close();
  }

  async #act(job: JobContext, what: string, send: (jobId: string) => Promise<Outcome>, opts: { goneIsDone?: boolean } = {}): Promise<void> {
    const jobId = requireId(job);
    const outcome = await callProvider(() => send(jobId));
    if (!(opts.goneIsDone && !outcome.ok && outcome.gone)) this.#unwrap(outcome, what);
    this.poller.markStale(jobId);
  }

  /** A per-item failure → ReconcileError: retryable unless DRS rejected the request itself. */
  #unwrap<T extends Outcome>(outcome: T, what: string): T {
    if (outcome.ok) return outcome;
    const message = `DRS refused to ${what}: ${outcome.message} (${outcome.code})`;
    if (outcome.retryable || outcome.gone) throw retryableError(outcome.gone ? 'ProviderJobGone' : 'ProviderBusy', message);
    throw terminalError('ProviderRejected', `${message}. Fix the ReplicationJob spec`);
  }
}

function requireId(job: JobContext): string {
  if (!job.jobId) throw new ReconcileError('NoProviderJob', 'No DRS job ID is known for this ReplicationJob yet');
  return job.jobId;
}
