/**
 * How long the simulated steps take. `fast` keeps tests quick (tens of ms per step); `default`
 * is slow enough to watch a job move by hand with kubectl.
 */
export interface SyncPace {
  /** One check step (the check runs CHECK_STEPS of these). */
  checkStepMs: number;
  /** ReadyRunning → Running, Resuming → Running. */
  startMs: number;
  /** One run step before the incremental step, or one quarter of the full-data step. */
  runStepMs: number;
  /** Pausing → Paused, Stopping → Stopped. */
  settleMs: number;
  /** Isolating → Isolated, Offlining → gone, Released → gone. */
  billingMs: number;
}

export const PACES: Readonly<Record<'fast' | 'default', SyncPace>> = {
  fast: { checkStepMs: 15, startMs: 25, runStepMs: 20, settleMs: 25, billingMs: 25 },
  default: { checkStepMs: 1500, startMs: 3000, runStepMs: 2500, settleMs: 2000, billingMs: 3000 },
};
