import { ANNOTATIONS, FINALIZER } from '../api/group.ts';
import { ReplicationJobSpec } from '../api/replication-job-spec.ts';
import { CONDITION_TYPES } from '../api/phase.ts';
import type { ReplicationJobStatus } from '../api/replication-job-status.ts';
import type { ReplicationJob } from '../api/resources.ts';
import type { Action } from './actions.ts';
import { effectiveSpec } from './effective-spec.ts';
import { ReconcileError, asReconcileError, terminalError } from './errors.ts';
import { canonicalJson, objectsFingerprint, settingsFingerprint, speedLimitsFingerprint } from './fingerprints.ts';
import { providerJobName } from './job-name.ts';
import type { Observation } from './observation.ts';
import { plan, type Plan } from './plan.ts';
import type { PlanTiming } from './plan-input.ts';
import type { ClusterView, JobWriter } from './ports.ts';
import type { ProviderAccount, JobContext } from './provider.ts';
import type { ProviderAccounts } from './provider-accounts.ts';
import { recordAction, type DesiredFingerprints } from './record.ts';
import { resolveJobSecrets, type JobSecrets } from './secrets.ts';
import { scrubSecrets as scrub } from '../observability/scrub-secrets.ts';
import { buildStatus } from './status.ts';
import { isMaterialDelayChange } from './delay-change.ts';

/** What one reconcile tells the work queue. */
export type ReconcileOutcome = { requeueAfterMs?: number } | { error: Error; terminal?: boolean };

export interface ReconcilerLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ReconcilerOptions {
  view: ClusterView;
  writer: JobWriter;
  accounts: ProviderAccounts;
  log: ReconcilerLogger;
  now?: () => number;
  timing?: Partial<PlanTiming>;
  /** A status whose only change is lastObservedAt is written at most this often (API-server load at scale). */
  observedRefreshMs?: number;
}

const DEFAULT_TIMING: Omit<PlanTiming, 'activePollMs' | 'steadyPollMs'> = {
  createGraceMs: 60_000,
  stopTimeoutMs: 10 * 60_000,
  precheckRecheckMs: 5 * 60_000,
};

/** Event reasons per action: stable, documented in README (troubleshooting). */
const ACTION_EVENTS: Record<Action['type'], string | undefined> = {
  AddFinalizer: undefined,
  Create: 'CreatedProviderJob',
  Configure: 'Configured',
  StartPrecheck: 'PrecheckStarted',
  Start: 'Started',
  Pause: 'PauseRequested',
  Resume: 'ResumeRequested',
  Retry: 'RetryRequested',
  Stop: 'StopRequested',
  Delete: 'DeleteRequested',
  ApplySettings: 'SettingsApplied',
  ApplySpeedLimits: 'SpeedLimitsApplied',
  RotatePassword: 'PasswordRotated',
  ForgetJob: 'ProviderJobGone',
  RemoveFinalizer: undefined,
};

/**
 * The imperative shell around plan(): read the object from the cache, resolve its provider
 * account and Secrets, observe, plan, execute the actions in order (stopping at the first
 * failure), and write status. Everything Kubernetes- or provider-specific sits behind ports.
 */
export class Reconciler {
  readonly #o: Required<Pick<ReconcilerOptions, 'now' | 'observedRefreshMs'>> & ReconcilerOptions;

  constructor(options: ReconcilerOptions) {
    this.#o = { now: Date.now, observedRefreshMs: 5 * 60_000, ...options };
  }

  async reconcile(key: string): Promise<ReconcileOutcome> {
    const job = this.#o.view.getJob(key);
    if (!job) return {};
    if (job.metadata.annotations?.[ANNOTATIONS.paused] === 'true') {
      this.#o.log.debug({ key }, 'reconciliation paused by annotation');
      return {};
    }
    const parsed = ReplicationJobSpec.safeParse(job.spec);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `spec.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
      return this.#fail(job, terminalError('InvalidSpec', `spec is invalid: ${problems}. Fix the ReplicationJob`), []);
    }
    const spec = parsed.data;
    const deleting = job.metadata.deletionTimestamp !== undefined && job.metadata.deletionTimestamp !== null;
    const status = job.status ?? {};
    if (deleting && !hasFinalizer(job)) return {};
    if (deleting && status.jobId === undefined && !createPending(job)) {
      // Nothing was ever created: no provider (or ProviderConfig) needed to let go.
      await this.#o.writer.removeFinalizer(job);
      return {};
    }

    let secrets: JobSecrets = { secrets: { get: () => '' }, values: [] };
    try {
      const { account } = this.#o.accounts.resolve({ ...job, spec });
      // A spec the provider refuses (say state: Paused where the API cannot pause) must not keep
      // the finalizer: deletion needs only the job ID.
      const problems = deleting ? [] : account.validate(spec);
      if (problems.length > 0) {
        throw terminalError('UnsupportedSpec', `${account.providerId} cannot run this job: ${problems.join('; ')}. Fix the ReplicationJob`);
      }
      secrets = deleting ? secretsIfPresent(() => resolveJobSecrets(this.#o.view, job.metadata.namespace ?? 'default', spec), secrets) : resolveJobSecrets(this.#o.view, job.metadata.namespace ?? 'default', spec);
      return await this.#reconcileWith(job, spec, account, secrets);
    } catch (error) {
      return this.#fail(job, asReconcileError(error), secrets.values);
    }
  }

  async #reconcileWith(initial: ReplicationJob, spec: ReplicationJobSpec, account: ProviderAccount, secrets: JobSecrets): Promise<ReconcileOutcome> {
    let job = initial;
    const now = this.#o.now();
    const generation = job.metadata.generation ?? 0;
    const effective = effectiveSpec(spec);
    let status: ReplicationJobStatus = applyReconcileRequest(job);
    const jobName = status.jobName ?? providerJobName(job.metadata.uid ?? '');
    const handle = { key: keyOf(job), jobName, ...(status.jobId ? { jobId: status.jobId } : {}) };
    const observed = status.jobId ? await account.observe(handle) : undefined;
    const desired: DesiredFingerprints = {
      settings: settingsFingerprint(spec),
      speedLimits: speedLimitsFingerprint(spec),
      objects: objectsFingerprint(spec),
      ...(secrets.sourcePasswordVersion !== undefined ? { sourcePasswordVersion: secrets.sourcePasswordVersion } : {}),
      ...(secrets.targetPasswordVersion !== undefined ? { targetPasswordVersion: secrets.targetPasswordVersion } : {}),
    };
    const applied = status.applied ?? {};
    const pollMs = effective.pollIntervalMs;
    const capabilities = account.capabilitiesFor?.(spec) ?? account.capabilities;
    const thePlan = plan({
      now,
      generation,
      deleting: job.metadata.deletionTimestamp != null,
      hasFinalizer: hasFinalizer(job),
      desiredState: effective.desiredState,
      deletionPolicy: effective.deletionPolicy,
      mode: effective.mode,
      tolerateAlarms: effective.tolerateAlarms,
      retryPolicy: effective.retryPolicy,
      timing: {
        ...DEFAULT_TIMING,
        activePollMs: pollMs ?? account.pollIntervals.activeMs,
        steadyPollMs: pollMs ?? account.pollIntervals.steadyMs,
        ...this.#o.timing,
      },
      capabilities,
      ...(status.jobId !== undefined ? { jobId: status.jobId } : {}),
      createPending: createPending(job),
      ...optionalTime('createdAt', status.createdAt),
      everObserved: status.providerStatus !== undefined,
      ...(status.configuredGeneration !== undefined ? { configuredGeneration: status.configuredGeneration } : {}),
      ...optionalTime('precheckRequestedAt', status.precheck?.requestedAt),
      retries: status.retries ?? 0,
      ...optionalTime('lastRetryAt', status.lastRetryAt),
      ...optionalTime('stopRequestedAt', status.stopRequestedAt),
      drift: {
        settings: applied.settings !== desired.settings,
        speedLimits: applied.speedLimits !== desired.speedLimits,
        sourcePassword: desired.sourcePasswordVersion !== undefined && applied.sourcePasswordVersion !== desired.sourcePasswordVersion,
        targetPassword: desired.targetPasswordVersion !== undefined && applied.targetPasswordVersion !== desired.targetPasswordVersion,
        // Jobs configured before objects were fingerprinted have no record: nothing to compare.
        objects: applied.objects !== undefined && applied.objects !== desired.objects,
      },
      ...(observed ? { observed } : {}),
    });

    const ctx: JobContext = { ...handle, uid: job.metadata.uid ?? '', spec, secrets: secrets.secrets };
    let failure: ReconcileError | undefined;
    /** An action's event was sent: it says what happened, so the phase change it caused needs no event of its own. */
    let announced = false;
    for (const action of thePlan.actions) {
      try {
        const result = await this.#execute(job, ctx, action, account, status);
        if (result === 'released') return {};
        job = result.job;
        status = recordAction(status, action, {
          now: new Date(this.#o.now()).toISOString(),
          generation,
          desired,
          retryNeedsPrecheck: capabilities.precheckBeforeRetry,
          ...(result.jobId ? { jobId: result.jobId, jobName } : {}),
        });
        if (result.jobId) {
          ctx.jobId = result.jobId;
          // The ID goes to status at once: losing it would leak the job. Only then is the
          // create marked succeeded (a failed status write leaves it pending: look up, not re-create).
          job = await this.#o.writer.writeStatus(job, { ...status, jobName });
          job = await this.#o.writer.setAnnotations(job, { [ANNOTATIONS.createSucceeded]: new Date(this.#o.now()).toISOString() });
        }
        const reason = ACTION_EVENTS[action.type];
        if (reason) {
          this.#o.writer.event(job, 'Normal', reason, describeAction(action, ctx.jobId));
          announced = true;
        }
      } catch (error) {
        failure = asReconcileError(error);
        break;
      }
    }
    return this.#finish(job, status, thePlan, observed, failure, effective.desiredState, effective.tolerateAlarms, secrets.values, announced);
  }

  /** Run one action. 'released' means the finalizer is gone and the object may be too. */
  async #execute(
    job: ReplicationJob,
    ctx: JobContext,
    action: Action,
    account: ProviderAccount,
    status: ReplicationJobStatus,
  ): Promise<{ job: ReplicationJob; jobId?: string } | 'released'> {
    switch (action.type) {
      case 'AddFinalizer':
        return { job: await this.#o.writer.addFinalizer(job) };
      case 'RemoveFinalizer':
        await this.#o.writer.removeFinalizer(job);
        if (status.jobId) account.forget(status.jobId);
        return 'released';
      case 'Create':
        return this.#create(job, ctx, account, action.lookupFirst);
      case 'Configure':
        await account.configure(ctx);
        break;
      case 'StartPrecheck':
        await account.startPrecheck(ctx, action.purpose);
        break;
      case 'Start':
        await account.start(ctx);
        break;
      case 'Pause':
        await account.pause(ctx);
        break;
      case 'Resume':
        await account.resume(ctx);
        break;
      case 'Retry':
        await account.retry(ctx);
        break;
      case 'Stop':
        await account.stop(ctx, { force: action.force });
        break;
      case 'Delete':
        await account.delete(ctx);
        break;
      case 'ApplySettings':
        await account.applySettings(ctx);
        break;
      case 'ApplySpeedLimits':
        await account.applySpeedLimits(ctx);
        break;
      case 'RotatePassword':
        await account.rotatePassword(ctx, action.endpoint);
        break;
      case 'ForgetJob':
        if (status.jobId) account.forget(status.jobId);
        break;
    }
    return { job };
  }

  /**
   * crossplane's create protocol: create-pending (optimistically locked, so a 409 proves we act
   * on stale data and nothing is sent), then create, then the ID to status and create-succeeded.
   * A pending marker without success means a create may have happened: look it up by name first.
   */
  async #create(job: ReplicationJob, ctx: JobContext, account: ProviderAccount, lookupFirst: boolean): Promise<{ job: ReplicationJob; jobId?: string }> {
    if (lookupFirst) {
      const existing = await account.findJobByName(ctx);
      if (existing) return { job, jobId: existing };
      if (job.metadata.deletionTimestamp != null) {
        // Deleting, and no job was created after all: clear the marker so the finalizer can go.
        return { job: await this.#o.writer.setAnnotations(job, { [ANNOTATIONS.createFailed]: new Date(this.#o.now()).toISOString() }) };
      }
    }
    // A held create waits without a trace: no pending marker to write and clear, no provider call.
    const hold = account.createHold?.(ctx);
    if (hold) throw hold;
    const pending = await this.#o.writer.setAnnotations(job, { [ANNOTATIONS.createPending]: new Date(this.#o.now()).toISOString() });
    try {
      const { jobId } = await account.create(ctx);
      // create-succeeded is written by the caller only after the ID is in status: until then
      // the pending marker makes every later pass look the job up instead of creating again.
      return { job: pending, jobId };
    } catch (error) {
      const err = asReconcileError(error);
      // Only a definite refusal proves nothing was created; otherwise leave pending for lookup.
      if (err.terminal || err.nothingCreated) await this.#o.writer.setAnnotations(pending, { [ANNOTATIONS.createFailed]: new Date(this.#o.now()).toISOString() });
      throw err;
    }
  }

  async #finish(
    job: ReplicationJob,
    previous: ReplicationJobStatus,
    thePlan: Plan,
    observed: Observation | undefined,
    failure: ReconcileError | undefined,
    desiredState: 'Running' | 'Paused' | 'Stopped',
    tolerateAlarms: boolean,
    secretValues: string[],
    announced = false,
  ): Promise<ReconcileOutcome> {
    const safeFailure = failure
      ? new ReconcileError(failure.reason, scrub(failure.message, secretValues), { terminal: failure.terminal, waiting: failure.waiting, ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}) })
      : undefined;
    const now = new Date(this.#o.now()).toISOString();
    const next = buildStatus({
      previous,
      plan: thePlan,
      observed,
      ...(safeFailure ? { failure: safeFailure } : {}),
      desiredState,
      tolerateAlarms,
      generation: job.metadata.generation ?? 0,
      now,
    });
    next.message = scrub(next.message ?? '', secretValues);
    await this.#writeIfChanged(job, next);
    if (job.status?.phase !== next.phase && next.phase && !announced) {
      this.#o.writer.event(job, 'Normal', 'PhaseChanged', `${job.status?.phase ?? 'None'} → ${next.phase}`);
    }
    if (safeFailure?.reason === 'Conflict') {
      // Our cached copy was stale (usually our own previous write): not worth a Warning.
      this.#o.log.debug({ key: keyOf(job) }, safeFailure.message);
      return { error: safeFailure };
    }
    if (safeFailure?.waiting && syncedReason(previous) === safeFailure.reason) {
      // Still waiting for the same thing: the condition says so already.
      this.#o.log.debug({ key: keyOf(job), reason: safeFailure.reason }, safeFailure.message);
    } else if (safeFailure) {
      this.#o.writer.event(job, 'Warning', safeFailure.reason, safeFailure.message);
      this.#o.log.warn({ key: keyOf(job), reason: safeFailure.reason, terminal: safeFailure.terminal }, safeFailure.message);
    }
    if (safeFailure) {
      if (safeFailure.terminal) return { error: safeFailure, terminal: true };
      return safeFailure.retryAfterMs !== undefined ? { requeueAfterMs: safeFailure.retryAfterMs } : { error: safeFailure };
    }
    if (thePlan.terminal) return { error: new Error(thePlan.terminal.message), terminal: true };
    return thePlan.requeueAfterMs !== undefined ? { requeueAfterMs: thePlan.requeueAfterMs } : {};
  }

  async #fail(job: ReplicationJob, error: ReconcileError, secretValues: string[]): Promise<ReconcileOutcome> {
    const message = scrub(error.message, secretValues);
    const safe = new ReconcileError(error.reason, message, { terminal: error.terminal });
    const previous = job.status ?? {};
    const thePlan: Plan = {
      actions: [],
      phase: previous.phase ?? 'Pending',
      verdict: { ready: false, reason: error.reason, message },
    };
    return this.#finish(job, previous, thePlan, undefined, safe, job.spec?.state ?? 'Running', false, secretValues);
  }

  async #writeIfChanged(job: ReplicationJob, next: ReplicationJobStatus): Promise<void> {
    const previous = job.status ?? {};
    const lastObserved = previous.lastObservedAt ? Date.parse(previous.lastObservedAt) : 0;
    const staleObservation = next.lastObservedAt !== undefined && this.#o.now() - lastObserved >= this.#o.observedRefreshMs;
    if (staleObservation) return void (await this.#o.writer.writeStatus(job, next));
    // Delay jitter alone is not worth a write (see delay-change.ts): compare with the old delay.
    const delayBefore = previous.progress?.incrementalDelaySeconds;
    const delayAfter = next.progress?.incrementalDelaySeconds;
    const compared =
      next.progress && !isMaterialDelayChange(delayBefore, delayAfter)
        ? { ...next, progress: { ...next.progress, incrementalDelaySeconds: delayBefore, delayText: previous.progress?.delayText } }
        : next;
    if (sameIgnoringTimestamps(previous, compared)) return;
    await this.#o.writer.writeStatus(job, next);
  }
}

function sameIgnoringTimestamps(a: ReplicationJobStatus, b: ReplicationJobStatus): boolean {
  const strip = (s: ReplicationJobStatus) => {
    const { lastObservedAt: _l, precheck, ...rest } = s;
    if (!precheck) return rest;
    const { checkedAt: _c, ...p } = precheck;
    return { ...rest, precheck: p };
  };
  // Key order differs once status has been through the API server (it sorts keys): compare canonically.
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** The reason of the last failure recorded in status (the Synced condition carries failures). */
const syncedReason = (status: ReplicationJobStatus) => status.conditions?.find((c) => c.type === CONDITION_TYPES.Synced)?.reason;
const keyOf = (job: ReplicationJob) => `${job.metadata.namespace ?? ''}/${job.metadata.name ?? ''}`;
const hasFinalizer = (job: ReplicationJob) => (job.metadata.finalizers ?? []).includes(FINALIZER);

/**
 * A new reconcile-request annotation value is the user saying "I fixed it, try again": forget
 * the automatic retry count and re-run a failed pre-check at once.
 */
function applyReconcileRequest(job: ReplicationJob): ReplicationJobStatus {
  const status = job.status ?? {};
  const request = job.metadata.annotations?.[ANNOTATIONS.reconcileRequest];
  if (request === undefined || request === status.handledReconcileRequest) return status;
  const { retries: _retries, lastRetryAt: _last, ...rest } = status;
  const precheck = rest.precheck && rest.precheck.passed === false ? { ...rest.precheck, requestedAt: new Date(0).toISOString() } : rest.precheck;
  return { ...rest, ...(precheck ? { precheck } : {}), handledReconcileRequest: request };
}

/**
 * A create may have reached the provider: a create-pending marker not superseded by a definite
 * refusal (create-failed). create-succeeded does not clear it — the planner only consults it
 * when no job ID is known, and then a lookup by name is exactly right (status lost, say).
 */
export function createPending(job: ReplicationJob): boolean {
  const a = job.metadata.annotations ?? {};
  const pending = a[ANNOTATIONS.createPending];
  if (!pending) return false;
  const time = (v: string | undefined) => (v ? Date.parse(v) : -Infinity);
  return time(pending) > time(a[ANNOTATIONS.createFailed]);
}

function optionalTime<K extends string>(key: K, value: string | undefined): { [P in K]?: number } {
  return value ? ({ [key]: Date.parse(value) } as { [P in K]: number }) : {};
}

function describeAction(action: Action, jobId: string | undefined): string {
  const job = jobId ? `provider job ${jobId}` : 'provider job';
  switch (action.type) {
    case 'Create':
      return `Created ${job}`;
    case 'StartPrecheck':
      return `Started the ${action.purpose === 'retry' ? 'retry ' : ''}pre-check of ${job}`;
    case 'Stop':
      return `${action.force ? 'Forced stop' : 'Stop'} requested for ${job}`;
    case 'RotatePassword':
      return `Pushed the rotated ${action.endpoint} password to ${job}`;
    default:
      return `${action.type} ${job}`;
  }
}

/**
 * Deletion needs no database password: a Secret deleted together with its job (kubectl delete -f
 * on one file, an Argo CD prune) must not keep the finalizer forever.
 */
function secretsIfPresent(resolve: () => JobSecrets, none: JobSecrets): JobSecrets {
  try {
    return resolve();
  } catch {
    return none;
  }
}
