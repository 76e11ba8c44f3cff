import type { ProviderConfigSpec } from '../../api/provider-config.ts';
import { parseDuration } from '../../duration.ts';
import type { AccountHooks } from '../../reconcile/provider-accounts.ts';

/** Poll interval while something moves, when the ProviderConfig sets none (capped by the operator default). */
const ACTIVE_MS = 10_000;

/** An account's poll intervals: the ProviderConfig's pollIntervals, else the operator's --default-poll-interval. */
export function accountPollIntervals(spec: Pick<ProviderConfigSpec, 'pollIntervals'>, hooks: Pick<AccountHooks, 'defaultPollIntervalMs'>): { activeMs: number; steadyMs: number } {
  return {
    activeMs: spec.pollIntervals?.active ? parseDuration(spec.pollIntervals.active) : Math.min(ACTIVE_MS, hooks.defaultPollIntervalMs),
    steadyMs: spec.pollIntervals?.steady ? parseDuration(spec.pollIntervals.steady) : hooks.defaultPollIntervalMs,
  };
}
