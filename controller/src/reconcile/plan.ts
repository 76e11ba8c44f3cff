import type { Phase } from '../api/phase.ts';
import type { Action } from './actions.ts';
import type { Observation } from './observation.ts';
import type { PlanInput } from './plan-input.ts';

/**
 * The planner: one pure function deciding everything from plain data. The reconciler executes
 * the actions, records results in status and requeues. Every provider phase × desired state
 * has a row in test/unit/reconcile/plan.test.ts.
 */

export interface Verdict {
  /** Ready condition: does the job do what spec asks? */
  ready: boolean;
  /** Stable CamelCase reason for Ready (and for events on change). */
  reason: string;
  message: string;
}

export interface Plan {
  actions: Action[];
  /** Phase to report in status.phase. */
  phase: Phase;
  verdict: Verdict;
  /** An error only a spec change can fix: report it, do not retry. */
  terminal?: { reason: string; message: string };
  /** Look again after this long even if nothing changes (the poller also wakes us on change). */
  requeueAfterMs?: number;
}

export function plan(input: PlanInput): Plan {
  if (input.deleting) return planDeletion(input);
  if (!input.hasFinalizer) {
    // Nothing reaches the provider before the finalizer is on the object.
    return { actions: [{ type: 'AddFinalizer' }], phase: 'Pending', verdict: notReady('Initializing', 'Adding finalizer') };
  }
  const observed = input.observed;
  if (!observed) return planWithoutProviderJob(input);
  if (input.desiredState === 'Stopped') return planStop(input, observed);
  return planRunningOrPaused(input, observed);
}

function planWithoutProviderJob(input: PlanInput): Plan {
  if (input.jobId !== undefined) {
    if (withinCreateGrace(input)) {
      return wait('Creating', 'Creating', `Provider job ${input.jobId} was just created and is not visible yet`, input.timing.activePollMs);
    }
    if (input.desiredState === 'Stopped') {
      return { actions: [], phase: 'Stopped', verdict: ready('Stopped', `Provider job ${input.jobId} no longer exists`) };
    }
    // The job vanished outside the operator (deleted in the console, say): spec still asks for
    // it, so forget the old ID and create it again on the next pass.
    return {
      actions: [{ type: 'ForgetJob' }],
      phase: 'Pending',
      verdict: notReady('ProviderJobGone', `Provider job ${input.jobId} no longer exists; creating it again`),
      requeueAfterMs: 0,
    };
  }
  if (input.desiredState === 'Stopped' && !input.createPending) {
    return { actions: [], phase: 'Stopped', verdict: ready('Stopped', 'spec.state is Stopped: no provider job was created') };
  }
  return {
    actions: [{ type: 'Create', lookupFirst: input.createPending }],
    phase: 'Creating',
    verdict: notReady('Creating', 'Creating the provider job'),
    requeueAfterMs: input.timing.activePollMs,
  };
}

function planRunningOrPaused(input: PlanInput, observed: Observation): Plan {
  const { timing, capabilities: can } = input;
  const paused = input.desiredState === 'Paused';
  const started = ['FullSync', 'IncrementalSync', 'Completed', 'Paused', 'Failed'].includes(observed.phase);
  // Providers whose create carries the configuration (no separate configure step) have fixed the
  // objects at creation: a change before start cannot be applied either.
  const fixedAtCreate = !can.configure && observed.phase !== 'Creating';
  if ((started || fixedAtCreate) && input.drift.objects && !can.objectsInPlace) {
    const when = started ? 'after the job started' : 'after the job was created';
    const message = `spec.objects changed ${when}, and this provider cannot change the objects of an existing job: revert spec.objects, or create a new ReplicationJob`;
    return { actions: [], phase: observed.phase, verdict: notReady('ObjectsChangeUnsupported', message), terminal: { reason: 'ObjectsChangeUnsupported', message } };
  }
  switch (observed.phase) {
    case 'Creating':
      return wait('Creating', 'Creating', 'The provider is creating the job', timing.activePollMs);
    case 'Configuring':
      return planSetup(input, observed);
    case 'Starting':
      return wait('Starting', 'Starting', 'The provider is starting the job', timing.activePollMs);
    case 'FullSync':
    case 'IncrementalSync': {
      if (paused) {
        if (!can.pause) return refuse(observed.phase, 'PauseUnsupported', 'This provider cannot pause a job: set spec.state to Running or Stopped');
        return act([{ type: 'Pause' }], observed.phase, notReady('Pausing', 'Pausing the job as spec.state asks'), timing.activePollMs);
      }
      const updates = inPlaceUpdates(input);
      if (observed.phase === 'FullSync') {
        return act(updates, 'FullSync', notReady('FullSyncInProgress', `Full sync ${percent(observed)} complete`), timing.activePollMs);
      }
      // The delay itself is in status.progress: a message that changed with it would make every
      // poll a status write (and a condition change) for every job.
      return act(updates, 'IncrementalSync', ready('Replicating', 'Replicating changes from the source; see status.progress for the delay'), timing.steadyPollMs);
    }
    case 'Completed':
      if (input.mode === 'full') return { actions: [], phase: 'Completed', verdict: ready('Completed', 'Full copy completed') };
      // Full copy done; the provider moves on to streaming changes next.
      return wait('FullSync', 'FullSyncCompleted', 'Full sync completed; incremental sync is starting', timing.activePollMs);
    case 'Paused': {
      if (paused) return act(inPlaceUpdates(input), 'Paused', ready('Paused', 'Paused as spec.state asks'), timing.steadyPollMs);
      if (!can.resume) return refuse('Paused', 'ResumeUnsupported', 'This provider cannot resume a paused job: set spec.state to Paused or Stopped');
      return act([{ type: 'Resume' }], 'Paused', notReady('Resuming', 'Resuming the job as spec.state asks'), timing.activePollMs);
    }
    case 'Failed':
      return planFailed(input, observed);
    case 'Stopping':
      return wait('Stopping', 'StoppedOutsideOperator', 'The provider job is stopping although spec.state is not Stopped', timing.activePollMs);
    case 'Stopped':
      return {
        actions: [],
        phase: 'Stopped',
        verdict: notReady('StoppedOutsideOperator', 'The provider job was stopped outside the operator'),
        terminal: {
          reason: 'StoppedOutsideOperator',
          message: 'The provider job was stopped outside the operator and cannot be started again: set spec.state to Stopped, or delete and re-create this ReplicationJob',
        },
      };
  }
}

/** Configuring: connection test + configuration, pre-check, then start. */
function planSetup(input: PlanInput, observed: Observation): Plan {
  const { timing, capabilities: can } = input;
  const hold = input.desiredState === 'Paused';
  if (can.configure && input.configuredGeneration !== input.generation) {
    const actions: Action[] = [{ type: 'Configure' }];
    if (can.precheck) actions.push({ type: 'StartPrecheck', purpose: 'start' });
    const phase: Phase = can.precheck ? 'Prechecking' : 'Configuring';
    return act(actions, phase, notReady('Configuring', 'Testing connections and configuring the job'), timing.activePollMs);
  }
  if (!can.precheck) return startOrHold(input, hold);
  const check = observed.precheck?.purpose === 'start' ? observed.precheck : undefined;
  const requested = input.precheckRequestedAt;
  if (!check && requested !== undefined && input.now - requested < timing.createGraceMs) {
    // Requested moments ago; the provider's snapshot has not caught up yet.
    return wait('Prechecking', 'Prechecking', 'Waiting for the provider pre-check to begin', timing.activePollMs);
  }
  if (!check || requested === undefined) {
    return act([{ type: 'StartPrecheck', purpose: 'start' }], 'Prechecking', notReady('Prechecking', 'Running the provider pre-check'), timing.activePollMs);
  }
  if (!check.finished) return wait('Prechecking', 'Prechecking', 'The provider pre-check is running', timing.activePollMs);
  const blocked = !check.passed || (check.hasAlarms && !input.tolerateAlarms);
  if (!blocked) return startOrHold(input, hold);
  const sinceCheck = input.now - requested;
  const reason = check.passed ? 'PrecheckAlarms' : 'PrecheckFailed';
  const what = check.passed
    ? 'Pre-check items ended in ALARM; fix them or set spec.precheck.tolerateAlarms: true'
    : 'Pre-check items FAILED; see status.precheck.items, fix the database or spec';
  if (sinceCheck >= timing.precheckRecheckMs) {
    return act([{ type: 'StartPrecheck', purpose: 'start' }], 'Prechecking', notReady(reason, `${what}. Checking again`), timing.activePollMs);
  }
  return wait('PrecheckFailed', reason, `${what}. The check runs again automatically`, timing.precheckRecheckMs - sinceCheck);
}

function startOrHold(input: PlanInput, hold: boolean): Plan {
  if (hold) return { actions: [], phase: 'Paused', verdict: ready('Paused', 'Configured; not started because spec.state is Paused') };
  return act([{ type: 'Start' }], 'Starting', notReady('Starting', 'Starting the job'), input.timing.activePollMs);
}

function planFailed(input: PlanInput, observed: Observation): Plan {
  const { timing, capabilities: can, retryPolicy } = input;
  const cause = observed.error ? `${observed.error.message}${observed.error.code ? ` (${observed.error.code})` : ''}` : observed.providerStatus;
  // A failed job the operator will not retry is Terminal (Argo CD: Degraded) until the spec
  // changes or the provider job recovers on its own; the same for retries exhausted below.
  const givenUp = (reason: string, message: string): Plan => ({ actions: [], phase: 'Failed', verdict: notReady(reason, message), terminal: { reason, message } });
  if (input.desiredState === 'Paused') return givenUp('JobFailed', `The provider job failed: ${cause}. It is not retried while spec.state is Paused`);
  if (observed.recoverable === false) {
    return givenUp('JobFailedPermanently', `The provider job failed and cannot be retried: ${cause}. Fix the cause, then delete and re-create this ReplicationJob`);
  }
  if (!can.retry || retryPolicy.maxRetries === 0) {
    return givenUp('JobFailed', `The provider job failed: ${cause}. Automatic retry is off for this job`);
  }
  const check = observed.precheck?.purpose === 'retry' ? observed.precheck : undefined;
  // A retry pre-check belongs to the current attempt when it was requested with it (see record.ts:
  // StartPrecheck(retry) stamps both times; Retry moves lastRetryAt past it).
  const retryRequested =
    input.precheckRequestedAt !== undefined && input.lastRetryAt !== undefined && input.precheckRequestedAt >= input.lastRetryAt;
  // Finish the attempt in flight first: its pre-check was counted when it started.
  if (can.precheckBeforeRetry && check && retryRequested) {
    if (!check.finished) return wait('Failed', 'RetryPrechecking', `The provider job failed: ${cause}. Re-checking before retry`, timing.activePollMs);
    if (check.passed && (!check.hasAlarms || input.tolerateAlarms)) {
      return act([{ type: 'Retry' }], 'Failed', notReady('Retrying', `The provider job failed: ${cause}. Retrying`), timing.activePollMs);
    }
  }
  if (input.retries >= retryPolicy.maxRetries) {
    // Only a change to the object (the reconcile-request annotation) retries it now.
    return givenUp('RetriesExhausted', `The provider job failed: ${cause}. ${input.retries} automatic retries did not help; fix the cause, then change the reconcile-request annotation to retry`);
  }
  const backoff = retryPolicy.backoffMs * 2 ** input.retries;
  const since = input.lastRetryAt === undefined ? Infinity : input.now - input.lastRetryAt;
  if (since < backoff) {
    return wait('Failed', 'RetryBackoff', `The provider job failed: ${cause}. Retrying automatically`, backoff - since);
  }
  const next: Action = can.precheckBeforeRetry ? { type: 'StartPrecheck', purpose: 'retry' } : { type: 'Retry' };
  return act([next], 'Failed', notReady('Retrying', `The provider job failed: ${cause}. Retry ${input.retries + 1} of ${retryPolicy.maxRetries}`), timing.activePollMs);
}

function planStop(input: PlanInput, observed: Observation): Plan {
  const { timing } = input;
  switch (observed.phase) {
    case 'Stopped':
      return { actions: [], phase: 'Stopped', verdict: ready('Stopped', 'Stopped as spec.state asks') };
    case 'Stopping':
      return wait('Stopping', 'Stopping', 'The provider is stopping the job', timing.activePollMs);
    case 'Creating':
      return wait('Creating', 'Creating', 'Waiting for creation to finish before stopping', timing.activePollMs);
    case 'Failed':
    case 'Completed':
      // Some APIs end a stopped job in their failed or finished status (Tencent DTS 2018-03-30
      // turns a cancelled migration into Failed): once we asked, a job that runs no more is stopped.
      if (input.stopRequestedAt !== undefined) return { actions: [], phase: 'Stopped', verdict: ready('Stopped', 'Stopped as spec.state asks') };
      return stopAction(input);
    default:
      return stopAction(input);
  }
}

function stopAction(input: PlanInput): Plan {
  const { timing } = input;
  if (!input.capabilities.stop) {
    // Providers without a stop step release the job only by deleting it.
    return act([{ type: 'Delete' }], 'Stopping', notReady('Stopping', 'Releasing the job as spec.state asks'), timing.activePollMs);
  }
  return act([{ type: 'Stop', force: false }], 'Stopping', notReady('Stopping', 'Stopping the job as spec.state asks'), timing.activePollMs);
}

function planDeletion(input: PlanInput): Plan {
  const { timing } = input;
  if (!input.hasFinalizer) return { actions: [], phase: 'Deleting', verdict: notReady('Deleting', 'Deleting') };
  if (input.deletionPolicy === 'Orphan') {
    return { actions: [{ type: 'RemoveFinalizer' }], phase: 'Deleting', verdict: notReady('Deleting', 'Leaving the provider job in place (deletionPolicy: Orphan)') };
  }
  const observed = input.observed;
  if (!observed) {
    if (withinCreateGrace(input)) {
      // Removing the finalizer now could leak a job the provider has not made visible yet.
      return wait('Deleting', 'Deleting', `Waiting for just-created provider job ${input.jobId} to become visible before deleting it`, timing.activePollMs);
    }
    if (input.createPending && input.jobId === undefined) {
      // A create may have reached the provider before a crash: find it so it is not leaked.
      return act([{ type: 'Create', lookupFirst: true }], 'Deleting', notReady('Deleting', 'Looking for a job created before a restart'), 0);
    }
    return { actions: [{ type: 'RemoveFinalizer' }], phase: 'Deleting', verdict: notReady('Deleting', 'Provider job is gone') };
  }
  if (observed.deletable) {
    return act([{ type: 'Delete' }], 'Deleting', notReady('Deleting', `Deleting provider job ${observed.jobId}`), timing.activePollMs);
  }
  if (observed.phase === 'Creating') return wait('Deleting', 'Deleting', 'Waiting for creation to finish before deleting', timing.activePollMs);
  if (!input.capabilities.stop) {
    return act([{ type: 'Delete' }], 'Deleting', notReady('Deleting', `Deleting provider job ${observed.jobId}`), timing.activePollMs);
  }
  const stopping = input.stopRequestedAt !== undefined;
  const overdue = stopping && input.now - input.stopRequestedAt! >= timing.stopTimeoutMs;
  if (observed.phase === 'Stopping' && !overdue) return wait('Deleting', 'Deleting', 'Waiting for the provider job to stop', timing.activePollMs);
  if (stopping && !overdue) return wait('Deleting', 'Deleting', 'Waiting for the provider job to stop', timing.activePollMs);
  return act([{ type: 'Stop', force: overdue }], 'Deleting', notReady('Deleting', overdue ? 'Stop took too long: forcing it' : 'Stopping the provider job before deleting it'), timing.activePollMs);
}

/** A known job the provider has never reported, created moments ago: eventual consistency. */
function withinCreateGrace(input: PlanInput): boolean {
  if (input.jobId === undefined || input.everObserved || input.createdAt === undefined) return false;
  return input.now - input.createdAt < input.timing.createGraceMs;
}

/** In-place changes a running or paused job takes, in the order the provider applies them. */
function inPlaceUpdates(input: PlanInput): Action[] {
  const { drift, capabilities: can } = input;
  const actions: Action[] = [];
  if (drift.settings && can.settings) actions.push({ type: 'ApplySettings' });
  if (drift.speedLimits && can.speedLimits) actions.push({ type: 'ApplySpeedLimits' });
  if (drift.sourcePassword && can.passwordRotation) actions.push({ type: 'RotatePassword', endpoint: 'source' });
  if (drift.targetPassword && can.passwordRotation) actions.push({ type: 'RotatePassword', endpoint: 'target' });
  return actions;
}

function refuse(phase: Phase, reason: string, message: string): Plan {
  return { actions: [], phase, verdict: notReady(reason, message), terminal: { reason, message } };
}

function act(actions: Action[], phase: Phase, verdict: Verdict, requeueAfterMs: number): Plan {
  return { actions, phase, verdict, requeueAfterMs };
}

function wait(phase: Phase, reason: string, message: string, requeueAfterMs: number): Plan {
  return { actions: [], phase, verdict: notReady(reason, message), requeueAfterMs };
}

const ready = (reason: string, message: string): Verdict => ({ ready: true, reason, message });
const notReady = (reason: string, message: string): Verdict => ({ ready: false, reason, message });

function percent(observed: Observation): string {
  return observed.progress?.percent === undefined ? 'not yet' : `${observed.progress.percent}%`;
}


