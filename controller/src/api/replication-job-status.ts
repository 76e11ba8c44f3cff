import { z } from 'zod';
import { conditionList } from './common.ts';
import { PHASES } from './phase.ts';

/** ReplicationJob.status — written by the operator only, through the status subresource. */

const timestamp = (description: string) => z.iso.datetime().optional().describe(description);

export const PrecheckItem = z.object({
  item: z.string().max(256).describe('Name of the check, as the provider reports it.'),
  group: z.string().max(256).optional().describe('Group the check belongs to (e.g. connectivity, configuration, objects).'),
  result: z.string().max(32).describe('PASSED, ALARM or FAILED.'),
  failedReason: z.string().max(4096).optional().describe('Why the check did not pass, and usually how to fix it.'),
});

export const PrecheckStatus = z
  .object({
    passed: z.boolean().optional().describe('True when no item FAILED (and no ALARM, unless spec.precheck.tolerateAlarms).'),
    passedRate: z.string().max(16).optional().describe('Share of passed items as the provider reports it, e.g. "100%".'),
    items: z
      .array(PrecheckItem)
      .max(500)
      .optional()
      .describe('Items that did not pass, followed by passed ones while space allows.'),
    checkedAt: timestamp('When these results were read.'),
    requestedAt: timestamp('When the operator last asked the provider to run a pre-check.'),
    purpose: z.enum(['start', 'retry']).optional().describe('Whether the latest pre-check was run before starting or before retrying a failed job.'),
  })
  .describe('Outcome of the latest provider pre-check.');

export const ProgressStatus = z
  .object({
    percent: z.number().int().min(0).max(100).optional().describe('Full-sync progress, 0-100.'),
    percentText: z.string().max(8).optional().describe('percent with a % sign, for kubectl get.'),
    struct: z.string().max(16).optional().describe('Progress of schema (structure) copying, e.g. "100%".'),
    data: z.string().max(16).optional().describe('Progress of data copying, e.g. "42%".'),
    index: z.string().max(16).optional().describe('Progress of index creation, e.g. "0%".'),
    incrementalDelaySeconds: z.number().min(0).optional().describe('How far the target is behind the source during incremental sync, in seconds.'),
    delayText: z.string().max(16).optional().describe('incrementalDelaySeconds in a short human form (e.g. 3s, 2m5s), for kubectl get.'),
    remainingSeconds: z.number().min(0).optional().describe('Estimated seconds until full sync completes, when the provider reports it.'),
  })
  .describe('Replication progress as last observed.');

export const AppliedSettings = z
  .object({
    settings: z.string().max(128).optional().describe('Fingerprint of name, description and alarms last applied to the provider job.'),
    speedLimits: z.string().max(128).optional().describe('Fingerprint of the speed limits last applied.'),
    objects: z.string().max(128).optional().describe('Fingerprint of the object selection the job was configured with.'),
    sourcePasswordVersion: z.string().max(128).optional().describe('resourceVersion of the source password Secret last pushed to the provider.'),
    targetPasswordVersion: z.string().max(128).optional().describe('resourceVersion of the target password Secret last pushed to the provider.'),
  })
  .describe('Bookkeeping of in-place changes already applied to the provider job (fingerprints and versions, never values).');

export const ReplicationJobStatus = z
  .object({
    phase: z.enum(PHASES).optional().describe('Normalized lifecycle phase, the same for every provider.'),
    state: z.enum(['Running', 'Paused', 'Stopped']).optional().describe('The desired state the operator acts on: spec.state, Running when unset.'),
    providerStatus: z.string().max(128).optional().describe('The provider job status as the provider reports it (e.g. DRS INCRE_TRANSFER_STARTED).'),
    jobId: z.string().max(128).optional().describe('ID of the provider job.'),
    jobName: z.string().max(128).optional().describe('Name of the provider job, derived from the object uid so that a crashed create can be found again.'),
    observedGeneration: z.number().int().min(0).optional().describe('The metadata.generation this status was written for.'),
    conditions: conditionList('Ready, Synced, PrecheckPassed and (for errors only a spec change can fix) Terminal.'),
    precheck: PrecheckStatus.optional(),
    progress: ProgressStatus.optional(),
    retries: z.number().int().min(0).optional().describe('Automatic retries done since the job last ran cleanly.'),
    lastRetryAt: timestamp('When the latest automatic retry attempt began.'),
    handledReconcileRequest: z
      .string()
      .max(256)
      .optional()
      .describe('The last value of the reconcile-request annotation acted on; a new value resets automatic retries and re-runs a failed pre-check.'),
    configuredGeneration: z.number().int().min(0).optional().describe('The metadata.generation whose settings were last pushed to the provider job during setup.'),
    stopRequestedAt: timestamp('When the operator asked the provider to stop the job.'),
    applied: AppliedSettings.optional(),
    createdAt: timestamp('When the provider job was created.'),
    startedAt: timestamp('When the provider job was started.'),
    fullSyncCompletedAt: timestamp('When full sync completed.'),
    lastObservedAt: timestamp('When the provider job was last observed.'),
    message: z.string().max(4096).optional().describe('What is happening now, or what went wrong and what to do next.'),
  })
  .describe('Observed state, written by the operator.');

export type ReplicationJobStatus = z.infer<typeof ReplicationJobStatus>;
export type PrecheckStatus = z.infer<typeof PrecheckStatus>;
export type ProgressStatus = z.infer<typeof ProgressStatus>;
