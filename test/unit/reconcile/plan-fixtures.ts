import type { Observation, ProviderPhase } from '../../../controller/src/reconcile/observation.ts';
import { FULL_CAPABILITIES, type PlanInput, type ProviderCapabilities } from '../../../controller/src/reconcile/plan-input.ts';

export const NOW = 1_800_000_000_000;

export const ALL_CAPABILITIES: ProviderCapabilities = FULL_CAPABILITIES;

export function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    now: NOW,
    generation: 1,
    deleting: false,
    hasFinalizer: true,
    desiredState: 'Running',
    deletionPolicy: 'Delete',
    mode: 'fullAndIncremental',
    tolerateAlarms: false,
    retryPolicy: { maxRetries: 3, backoffMs: 60_000 },
    timing: { activePollMs: 10_000, steadyPollMs: 60_000, createGraceMs: 60_000, stopTimeoutMs: 600_000, precheckRecheckMs: 300_000 },
    capabilities: ALL_CAPABILITIES,
    jobId: 'job-1',
    createPending: false,
    createdAt: NOW - 3_600_000,
    everObserved: true,
    configuredGeneration: 1,
    retries: 0,
    drift: { settings: false, speedLimits: false, sourcePassword: false, targetPassword: false, objects: false },
    ...overrides,
  };
}

export function observed(phase: ProviderPhase, overrides: Partial<Observation> = {}): Observation {
  return { jobId: 'job-1', providerStatus: `RAW_${phase}`, phase, deletable: phase === 'Stopped', ...overrides };
}

export const passedCheck = { purpose: 'start' as const, finished: true, passed: true, hasAlarms: false, passedRate: '100%', items: [] };
