import type { Clock } from '../../engine/src/clock.ts';

/** A Tencent simulator endpoint's frequency limits. */
export interface ActionLimits {
  /** Requests per second per action before the limit answer (Tencent's default 20). 0 = unlimited. */
  actionLimitPerSecond?: number;
  /** Per-action overrides (DescribeSyncJobs allows 100/s). */
  actionLimits?: Readonly<Record<string, number>>;
}

/**
 * Tencent Cloud's frequency limit: each action has its own budget of calls per second (20 unless
 * the API documents another), beyond which the gateway refuses the call. One token bucket per
 * action, refilled continuously; a limit of 0 means unlimited. Returns whether a call of `action`
 * made now is within its limit (and spends a token if so).
 */
export function actionRateLimiter(clock: Clock, limits: ActionLimits): (action: string) => boolean {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (action) => {
    const limit = limits.actionLimits?.[action] ?? limits.actionLimitPerSecond ?? 20;
    if (limit <= 0) return true;
    const now = clock.now();
    const bucket = buckets.get(action) ?? { tokens: limit, at: now };
    bucket.tokens = Math.min(limit, bucket.tokens + ((now - bucket.at) / 1000) * limit);
    bucket.at = now;
    buckets.set(action, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}
