import type { Clock } from '../../engine/src/clock.ts';

/** A Tencent simulator endpoint's frequency limits. */
export interface ActionLimits {
  /** Requests per second per action before the limit answer (Tencent's default 20). 0 = unlimited. */
  actionLimitPerSecond?: number;
  /**
   * Per-action overrides (DescribeSyncJobs allows 100/s), keyed by action name (every version of
   * it) or by `version/action` (that version's action only; wins over the bare name).
   */
  actionLimits?: Readonly<Record<string, number>>;
}

/**
 * Tencent Cloud's frequency limit: each action has its own budget of calls per second (20 unless
 * the API documents another), beyond which the gateway refuses the call. One token bucket per
 * action, refilled continuously; a limit of 0 means unlimited. Returns whether a call of `action`
 * made now is within its limit (and spends a token if so). An endpoint serving several API
 * versions passes the call's `version`: an action name may exist in more than one version
 * (DTS 2018-03-30 and 2021-12-06 both have StartMigrateJob) and each is its own API with its own
 * budget.
 */
export function actionRateLimiter(clock: Clock, limits: ActionLimits): (action: string, version?: string) => boolean {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (action, version) => {
    const key = version === undefined ? action : `${version}/${action}`;
    const limit = limits.actionLimits?.[key] ?? limits.actionLimits?.[action] ?? limits.actionLimitPerSecond ?? 20;
    if (limit <= 0) return true;
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: limit, at: now };
    bucket.tokens = Math.min(limit, bucket.tokens + ((now - bucket.at) / 1000) * limit);
    bucket.at = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}
