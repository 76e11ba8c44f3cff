import type { ReplicationJobStatus } from '../api/replication-job-status.ts';
import type { Action } from './actions.ts';

/** What the desired in-place settings look like now (fingerprints and Secret versions, never values). */
export interface DesiredFingerprints {
  settings: string;
  speedLimits: string;
  objects: string;
  sourcePasswordVersion?: string;
  targetPasswordVersion?: string;
}

/**
 * The status bookkeeping an action leaves behind once it succeeded. Pure: the reconciler calls
 * it after each successful action so the next plan sees what was done, even after a crash.
 */
export function recordAction(
  status: ReplicationJobStatus,
  action: Action,
  ctx: { now: string; generation: number; desired: DesiredFingerprints; retryNeedsPrecheck: boolean; jobId?: string; jobName?: string },
): ReplicationJobStatus {
  const next: ReplicationJobStatus = { ...status };
  const applyAll = () => {
    next.applied = {
      settings: ctx.desired.settings,
      speedLimits: ctx.desired.speedLimits,
      objects: ctx.desired.objects,
      ...(ctx.desired.sourcePasswordVersion !== undefined ? { sourcePasswordVersion: ctx.desired.sourcePasswordVersion } : {}),
      ...(ctx.desired.targetPasswordVersion !== undefined ? { targetPasswordVersion: ctx.desired.targetPasswordVersion } : {}),
    };
  };
  switch (action.type) {
    case 'Create':
      if (ctx.jobId) next.jobId = ctx.jobId;
      if (ctx.jobName) next.jobName = ctx.jobName;
      next.createdAt = ctx.now;
      // Create carries the whole spec for providers without a separate configure step.
      applyAll();
      break;
    case 'Configure':
      next.configuredGeneration = ctx.generation;
      applyAll();
      break;
    case 'StartPrecheck':
      next.precheck = { ...next.precheck, requestedAt: ctx.now, purpose: action.purpose };
      if (action.purpose === 'retry') {
        next.retries = (next.retries ?? 0) + 1;
        next.lastRetryAt = ctx.now;
      }
      break;
    case 'Start':
      next.startedAt = ctx.now;
      break;
    case 'Retry':
      next.lastRetryAt = ctx.now;
      if (!ctx.retryNeedsPrecheck) next.retries = (next.retries ?? 0) + 1;
      break;
    case 'Stop':
      if (!next.stopRequestedAt || action.force) next.stopRequestedAt = ctx.now;
      break;
    case 'ApplySettings':
      next.applied = { ...next.applied, settings: ctx.desired.settings };
      break;
    case 'ApplySpeedLimits':
      next.applied = { ...next.applied, speedLimits: ctx.desired.speedLimits };
      break;
    case 'RotatePassword': {
      const version = action.endpoint === 'source' ? ctx.desired.sourcePasswordVersion : ctx.desired.targetPasswordVersion;
      const key = action.endpoint === 'source' ? 'sourcePasswordVersion' : 'targetPasswordVersion';
      next.applied = { ...next.applied, ...(version !== undefined ? { [key]: version } : {}) };
      break;
    }
    case 'ForgetJob':
      for (const key of ['jobId', 'jobName', 'createdAt', 'startedAt', 'fullSyncCompletedAt', 'configuredGeneration', 'applied', 'precheck', 'progress', 'providerStatus', 'stopRequestedAt'] as const) {
        delete next[key];
      }
      break;
    case 'AddFinalizer':
    case 'Pause':
    case 'Resume':
    case 'Delete':
    case 'RemoveFinalizer':
      break;
  }
  return next;
}
