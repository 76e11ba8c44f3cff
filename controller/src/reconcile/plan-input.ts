import type { DesiredState } from '../api/replication-job-spec.ts';
import type { Observation } from './observation.ts';

/** What a provider can do; the planner never asks for what a provider lacks. */
export interface ProviderCapabilities {
  pause: boolean;
  /** Resume a paused job. */
  resume: boolean;
  /** Retry a failed job in place. */
  retry: boolean;
  /** Run a pre-check before retrying a failed job (DRS forRetryJob). */
  precheckBeforeRetry: boolean;
  /** A pre-check exists before start; without one the job starts after configuration. */
  precheck: boolean;
  /** Configuration is a separate step after create (DRS, DTS); otherwise create configures. */
  configure: boolean;
  /** Stop (terminate) is a separate step before delete. */
  stop: boolean;
  speedLimits: boolean;
  settings: boolean;
  passwordRotation: boolean;
  /** The object selection of a started job can change (otherwise only during setup). */
  objectsInPlace: boolean;
}

/**
 * A provider's capabilities written as what its API offers: everything not named is false
 * (create, observe and delete are always there and not capabilities).
 */
export function capabilitiesOffering(offered: Partial<ProviderCapabilities>): ProviderCapabilities {
  return {
    pause: false,
    resume: false,
    retry: false,
    precheckBeforeRetry: false,
    precheck: false,
    configure: false,
    stop: false,
    speedLimits: false,
    settings: false,
    passwordRotation: false,
    objectsInPlace: false,
    ...offered,
  };
}

/** A provider that can do everything the planner can ask for (DRS, the built-in engine). */
export const FULL_CAPABILITIES: ProviderCapabilities = {
  pause: true,
  resume: true,
  retry: true,
  precheckBeforeRetry: true,
  precheck: true,
  configure: true,
  stop: true,
  speedLimits: true,
  settings: true,
  passwordRotation: true,
  objectsInPlace: false,
};

/** Which in-place settings differ between spec (and its Secrets) and what was last applied. */
export interface InPlaceDrift {
  settings: boolean;
  speedLimits: boolean;
  sourcePassword: boolean;
  targetPassword: boolean;
  /** spec.objects differs from what the job was configured with. */
  objects: boolean;
}

export interface PlanInput {
  now: number;
  generation: number;
  deleting: boolean;
  hasFinalizer: boolean;
  desiredState: DesiredState;
  deletionPolicy: 'Delete' | 'Orphan';
  mode: 'full' | 'incremental' | 'fullAndIncremental';
  tolerateAlarms: boolean;
  retryPolicy: { maxRetries: number; backoffMs: number };
  timing: PlanTiming;
  capabilities: ProviderCapabilities;

  // What earlier reconciles recorded (status and annotations).
  jobId?: string;
  /** A create-pending annotation newer than create-succeeded/failed: a create may have happened. */
  createPending: boolean;
  createdAt?: number;
  /** The provider has reported this job at least once (so "not found" now means gone, not "not yet"). */
  everObserved: boolean;
  configuredGeneration?: number;
  precheckRequestedAt?: number;
  retries: number;
  lastRetryAt?: number;
  stopRequestedAt?: number;
  drift: InPlaceDrift;

  /** The provider's view; undefined when the provider does not know the job (or none exists). */
  observed?: Observation;
}

export interface PlanTiming {
  /** Poll while something is moving. */
  activePollMs: number;
  /** Poll while steady. */
  steadyPollMs: number;
  /** A job missing this soon after create is eventual consistency, not a vanished job. */
  createGraceMs: number;
  /** How long a graceful stop may take before it is forced (deletion only). */
  stopTimeoutMs: number;
  /** How often a failed pre-check is re-run when nothing in spec changed (the fix may be in the database). */
  precheckRecheckMs: number;
}
