/**
 * Everything the planner can ask for. The reconciler executes them in order and stops at the
 * first failure; each is idempotent, so a crash between two of them is repaired by the next
 * reconcile planning again from what is observed.
 */
export type Action =
  /** Put our finalizer on the object: always before the first provider call. */
  | { type: 'AddFinalizer' }
  /**
   * Create the provider job: write the create-pending annotation (optimistic lock), then create,
   * then record the job ID. With `lookupFirst`, a create may already have happened before a
   * crash: look the job up by its deterministic name and adopt it instead of creating again.
   */
  | { type: 'Create'; lookupFirst: boolean }
  /** Connection test and full configuration (endpoints, limits, policy, objects). */
  | { type: 'Configure' }
  | { type: 'StartPrecheck'; purpose: 'start' | 'retry' }
  | { type: 'Start' }
  | { type: 'Pause' }
  | { type: 'Resume' }
  | { type: 'Retry' }
  | { type: 'Stop'; force: boolean }
  | { type: 'Delete' }
  /** Push name/description/alarms to the running job. */
  | { type: 'ApplySettings' }
  | { type: 'ApplySpeedLimits' }
  | { type: 'RotatePassword'; endpoint: 'source' | 'target' }
  /** Forget a provider job that vanished outside the operator, so it is created again. */
  | { type: 'ForgetJob' }
  | { type: 'RemoveFinalizer' };

export type ActionType = Action['type'];
