import type { ReplicationJobSpec } from '../../controller/src/api/replication-job-spec.ts';
import { createHeldError, createRefusedError, retryableError, terminalError } from '../../controller/src/reconcile/errors.ts';
import type { Observation, PrecheckObservation, ProviderPhase } from '../../controller/src/reconcile/observation.ts';
import { FULL_CAPABILITIES, type ProviderCapabilities } from '../../controller/src/reconcile/plan-input.ts';
import type { JobContext, JobHandle, ProviderAccount } from '../../controller/src/reconcile/provider.ts';
import type { ProviderFactory } from '../../controller/src/reconcile/provider-accounts.ts';

/**
 * An in-memory provider for controller tests: a small state machine with the same shape as
 * the real lifecycle (create → configure → pre-check → start → full → incremental; pause,
 * resume, stop, delete), every call recorded, and knobs to inject failures. Transitions that
 * take time on a real provider happen when the test calls `advance()`.
 */
export interface FakeJob {
  id: string;
  name: string;
  phase: ProviderPhase;
  configured: boolean;
  precheck?: PrecheckObservation;
  percent: number;
  delaySeconds: number;
  passwords: { source?: string; target?: string };
  settingsApplied: number;
}

export interface FakeCall {
  op: string;
  jobId?: string;
  jobName: string;
}

export const FAKE_CAPABILITIES: ProviderCapabilities = FULL_CAPABILITIES;

export class FakeProvider {
  readonly jobs = new Map<string, FakeJob>();
  readonly calls: FakeCall[] = [];
  /** Operations that fail with a retryable error the next N times. */
  readonly transientFailures = new Map<string, number>();
  /** Creates refused the next N times with a definite "nothing created" (a provider quota). */
  quotaRefusals = 0;
  /** Creates the account holds back (createHold) the next N times, without the provider. */
  createHolds = 0;
  /** Pre-check outcome for the next checks. */
  precheckOutcome: 'PASSED' | 'FAILED' | 'ALARM' = 'PASSED';
  /** Engines the fake refuses (terminal, like a provider's 400 validation error). */
  unsupportedEngines = new Set<string>(['db2']);
  #nextId = 1;
  #listeners = new Set<(jobId: string) => void>();

  factory: ProviderFactory = () => this.account();

  account(): ProviderAccount {
    const self = this;
    const call = (op: string, job: JobHandle) => {
      self.calls.push({ op, jobName: job.jobName, ...(job.jobId ? { jobId: job.jobId } : {}) });
      const left = self.transientFailures.get(op) ?? 0;
      if (left > 0) {
        self.transientFailures.set(op, left - 1);
        throw retryableError('ProviderBusy', `fake provider is busy (${op})`);
      }
    };
    const get = (job: JobHandle): FakeJob => {
      const found = job.jobId ? self.jobs.get(job.jobId) : undefined;
      if (!found) throw terminalError('ProviderJobNotFound', `no job ${job.jobId}`);
      return found;
    };
    return {
      providerId: 'fake',
      capabilities: FAKE_CAPABILITIES,
      pollIntervals: { activeMs: 1000, steadyMs: 5000 },
      validate(spec: ReplicationJobSpec) {
        return self.unsupportedEngines.has(spec.engine) ? [`engine ${spec.engine} is not supported`] : [];
      },
      async observe(job) {
        self.calls.push({ op: 'observe', jobName: job.jobName, ...(job.jobId ? { jobId: job.jobId } : {}) });
        const found = job.jobId ? self.jobs.get(job.jobId) : undefined;
        return found ? toObservation(found) : undefined;
      },
      async findJobByName(job) {
        call('findJobByName', job);
        return [...self.jobs.values()].find((j) => j.name === job.jobName)?.id;
      },
      createHold() {
        if (self.createHolds <= 0) return undefined;
        self.createHolds--;
        return createHeldError('ProviderQuotaExceeded', 'fake account holds creates until its quota frees up', 5000);
      },
      async create(job: JobContext) {
        call('create', job);
        if (self.quotaRefusals > 0) {
          self.quotaRefusals--;
          throw createRefusedError('ProviderQuotaExceeded', 'fake provider quota is full', 1000);
        }
        const id = `fake-${self.#nextId++}`;
        self.jobs.set(id, { id, name: job.jobName, phase: 'Creating', configured: false, percent: 0, delaySeconds: 0, passwords: {}, settingsApplied: 0 });
        return { jobId: id };
      },
      async configure(job) {
        call('configure', job);
        const j = get(job);
        j.configured = true;
        j.passwords = {
          ...(job.secrets.sourcePassword !== undefined ? { source: job.secrets.sourcePassword } : {}),
          ...(job.secrets.targetPassword !== undefined ? { target: job.secrets.targetPassword } : {}),
        };
      },
      async startPrecheck(job, purpose) {
        call(`precheck:${purpose}`, job);
        get(job).precheck = { purpose, finished: false, passed: false, hasAlarms: false, items: [] };
      },
      async start(job) {
        call('start', job);
        const j = get(job);
        if (j.phase !== 'Configuring' || !j.precheck?.passed) throw terminalError('InvalidState', `cannot start job in ${j.phase}`);
        j.phase = 'Starting';
      },
      async pause(job) {
        call('pause', job);
        get(job).phase = 'Paused';
      },
      async resume(job) {
        call('resume', job);
        get(job).phase = 'IncrementalSync';
      },
      async retry(job) {
        call('retry', job);
        get(job).phase = 'Starting';
      },
      async stop(job, { force }) {
        call(force ? 'stop:force' : 'stop', job);
        get(job).phase = 'Stopping';
      },
      async delete(job) {
        call('delete', job);
        const j = get(job);
        if (j.phase !== 'Stopped') throw retryableError('InvalidState', `cannot delete job in ${j.phase}`);
        self.jobs.delete(j.id);
      },
      async applySettings(job) {
        call('applySettings', job);
        get(job).settingsApplied++;
      },
      async applySpeedLimits(job) {
        call('applySpeedLimits', job);
      },
      async rotatePassword(job, endpoint) {
        call(`rotatePassword:${endpoint}`, job);
        const value = endpoint === 'source' ? job.secrets.sourcePassword : job.secrets.targetPassword;
        if (value !== undefined) get(job).passwords[endpoint] = value;
      },
      forget() {},
      onJobChanged(listener) {
        self.#listeners.add(listener);
        return () => self.#listeners.delete(listener);
      },
      async close() {},
    };
  }

  /** Move every job one step along its lifecycle, as the provider would over time, and notify. */
  advance(): void {
    for (const job of this.jobs.values()) {
      const before = JSON.stringify(job);
      switch (job.phase) {
        case 'Creating':
          job.phase = 'Configuring';
          break;
        case 'Configuring':
          if (job.precheck && !job.precheck.finished) {
            const result = this.precheckOutcome;
            job.precheck = {
              ...job.precheck,
              finished: true,
              passed: result !== 'FAILED',
              hasAlarms: result === 'ALARM',
              passedRate: result === 'PASSED' ? '100%' : '50%',
              items: [
                { item: 'connection', result: 'PASSED', group: 'network' },
                ...(result === 'PASSED' ? [] : [{ item: 'primary key', result, group: 'objects', failedReason: 'table t has no primary key' }]),
              ],
            };
          }
          break;
        case 'Starting':
          job.phase = 'FullSync';
          job.percent = 50;
          break;
        case 'FullSync':
          job.phase = 'IncrementalSync';
          job.percent = 100;
          job.delaySeconds = 1;
          break;
        case 'Failed':
          if (job.precheck && !job.precheck.finished) job.precheck = { ...job.precheck, finished: true, passed: true, items: [] };
          break;
        case 'Stopping':
          job.phase = 'Stopped';
          break;
        default:
          break;
      }
      if (JSON.stringify(job) !== before) for (const listener of this.#listeners) listener(job.id);
    }
  }

  fail(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.phase = 'Failed';
    for (const listener of this.#listeners) listener(jobId);
  }

  ops(): string[] {
    return this.calls.filter((c) => c.op !== 'observe').map((c) => c.op);
  }
}

function toObservation(job: FakeJob): Observation {
  return {
    jobId: job.id,
    providerStatus: `FAKE_${job.phase.toUpperCase()}`,
    phase: job.phase,
    deletable: job.phase === 'Stopped',
    ...(job.phase === 'FullSync' || job.phase === 'IncrementalSync' ? { progress: { percent: job.percent, incrementalDelaySeconds: job.delaySeconds } } : {}),
    ...(job.phase === 'Failed' ? { error: { code: 'FAKE.E1', message: 'replication broke' } } : {}),
    ...(job.precheck ? { precheck: job.precheck } : {}),
  };
}
