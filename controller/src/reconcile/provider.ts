import type { ReplicationJobSpec } from '../api/replication-job-spec.ts';
import type { ReconcileError } from './errors.ts';
import type { Observation } from './observation.ts';
import type { ProviderCapabilities } from './plan-input.ts';

/**
 * The contract between the reconciler and a provider account. One ProviderAccount serves every
 * job of one ProviderConfig: it batches observation (one poller per account) and coalesces
 * actions issued by concurrent reconciles. Implementations live in providers/<id>/ and know
 * nothing about Kubernetes.
 *
 * Contract:
 * - observe() reads the account's snapshot; it does not call the provider per job. An action
 *   marks the job's snapshot stale, and the next observe() waits for a refresh, so a plan never
 *   acts twice on a state its own action already changed.
 * - Every action is idempotent from the caller's view (re-running it after a crash is safe).
 * - Failures are ReconcileError: terminal for what only a spec change fixes, retryable
 *   otherwise. Messages never contain secret values.
 */
export interface ProviderAccount {
  readonly providerId: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * What this account can do for one job, where that depends on the job (Tencent DTS sync and
   * migration jobs are different APIs behind one account). Defaults to `capabilities`.
   */
  capabilitiesFor?(spec: ReplicationJobSpec): ProviderCapabilities;
  /** Problems only a spec change fixes (unsupported engine, refused field). Empty when fine. */
  validate(spec: ReplicationJobSpec): string[];
  observe(job: JobHandle): Promise<Observation | undefined>;
  /** Find a job created under this deterministic name (crash between create and recording its ID). */
  findJobByName(job: JobContext): Promise<string | undefined>;
  /**
   * Why a create must wait right now, decided without calling the provider (an account quota
   * the provider reported full), or undefined. Asked before the reconciler records a create as
   * pending, so a held create costs no Kubernetes write and no provider call. A hint, not a
   * reservation: create() may still refuse.
   */
  createHold?(job: JobContext): ReconcileError | undefined;
  create(job: JobContext): Promise<{ jobId: string }>;
  configure(job: JobContext): Promise<void>;
  startPrecheck(job: JobContext, purpose: 'start' | 'retry'): Promise<void>;
  start(job: JobContext): Promise<void>;
  pause(job: JobContext): Promise<void>;
  resume(job: JobContext): Promise<void>;
  retry(job: JobContext): Promise<void>;
  stop(job: JobContext, options: { force: boolean }): Promise<void>;
  delete(job: JobContext): Promise<void>;
  applySettings(job: JobContext): Promise<void>;
  applySpeedLimits(job: JobContext): Promise<void>;
  rotatePassword(job: JobContext, endpoint: 'source' | 'target'): Promise<void>;
  /** Stop tracking a job (its object is gone). */
  forget(jobId: string): void;
  /** Called with a job ID whenever the account's poller sees that job change. */
  onJobChanged(listener: (jobId: string) => void): () => void;
  /** Poll interval hints for the planner's requeue safety net. */
  readonly pollIntervals: { activeMs: number; steadyMs: number };
  close(): Promise<void>;
}

/** Just enough to find a job in the snapshot. */
export interface JobHandle {
  /** namespace/name of the ReplicationJob, for logs and change notifications. */
  key: string;
  jobId?: string;
  jobName: string;
}

/** Everything an action needs. Secret values live only here, never in status or logs. */
export interface JobContext extends JobHandle {
  uid: string;
  spec: ReplicationJobSpec;
  secrets: ResolvedSecrets;
}

export interface ResolvedSecrets {
  /** The value of a referenced Secret key; throws a terminal error naming the ref when missing. */
  get(ref: { name: string; key: string }): string;
  sourcePassword?: string;
  targetPassword?: string;
}
