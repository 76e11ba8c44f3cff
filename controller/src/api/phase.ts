/**
 * The normalized lifecycle every provider maps its own statuses into (status.phase).
 * The raw provider status is kept beside it in status.providerStatus.
 */
export const PHASES = [
  'Pending',
  'Creating',
  'Configuring',
  'Prechecking',
  'PrecheckFailed',
  'Starting',
  'FullSync',
  'IncrementalSync',
  'Completed',
  'Paused',
  'Failed',
  'Stopping',
  'Stopped',
  'Deleting',
] as const;

export type Phase = (typeof PHASES)[number];

/** Condition types the controller writes on a ReplicationJob. */
export const CONDITION_TYPES = {
  /** The job does what spec asks (replicating, or completed/stopped/paused as asked). */
  Ready: 'Ready',
  /** The last reconcile reached the provider and applied the spec without error. */
  Synced: 'Synced',
  /** The provider pre-check passed (or ended in tolerated alarms). */
  PrecheckPassed: 'PrecheckPassed',
  /** An error only a spec (or Secret/ProviderConfig) change can fix: no retry while it holds. */
  Terminal: 'Terminal',
} as const;

export type ConditionType = (typeof CONDITION_TYPES)[keyof typeof CONDITION_TYPES];
