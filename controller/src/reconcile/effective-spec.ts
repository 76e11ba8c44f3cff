import type { ReplicationJobSpec } from '../api/replication-job-spec.ts';
import { parseDuration } from '../duration.ts';

/**
 * Defaults for fields the user left unset. They live in code, not in the CRD schema, so the
 * object a GitOps tool applied is never changed by the API server and never shows a diff.
 */
export const SPEC_DEFAULTS = {
  state: 'Running',
  mode: 'fullAndIncremental',
  deletionPolicy: 'Delete',
  tolerateAlarms: false,
  maxRetries: 3,
  retryBackoffMs: 60_000,
} as const;

export interface EffectiveSpec {
  desiredState: NonNullable<ReplicationJobSpec['state']>;
  mode: NonNullable<ReplicationJobSpec['mode']>;
  deletionPolicy: NonNullable<ReplicationJobSpec['deletionPolicy']>;
  tolerateAlarms: boolean;
  retryPolicy: { maxRetries: number; backoffMs: number };
  pollIntervalMs?: number;
}

export function effectiveSpec(spec: ReplicationJobSpec): EffectiveSpec {
  return {
    desiredState: spec.state ?? SPEC_DEFAULTS.state,
    mode: spec.mode ?? SPEC_DEFAULTS.mode,
    deletionPolicy: spec.deletionPolicy ?? SPEC_DEFAULTS.deletionPolicy,
    tolerateAlarms: spec.precheck?.tolerateAlarms ?? SPEC_DEFAULTS.tolerateAlarms,
    retryPolicy: {
      maxRetries: spec.retryPolicy?.maxRetries ?? SPEC_DEFAULTS.maxRetries,
      backoffMs: spec.retryPolicy?.backoff ? parseDuration(spec.retryPolicy.backoff) : SPEC_DEFAULTS.retryBackoffMs,
    },
    ...(spec.pollInterval ? { pollIntervalMs: parseDuration(spec.pollInterval) } : {}),
  };
}
