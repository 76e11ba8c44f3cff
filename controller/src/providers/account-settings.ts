import { systemClock, type Clock } from '../clock.ts';
import type { AccountConfig } from '../reconcile/provider-accounts.ts';
import type { PollingOptions } from './polling/polled-account.ts';
import { accountPollIntervals } from './polling/poll-intervals.ts';

/**
 * What every provider factory reads from a ProviderConfig and the operator's hooks besides its
 * own API settings, in one place so the providers read it alike.
 */

/** Requests per second an account may send when its ProviderConfig sets none (the usual cloud quota). */
export const DEFAULT_REQUESTS_PER_SECOND = 20;

/** The account's request budget: spec.requestsPerSecond, else 20. Its client and its poller share it. */
export function accountRequestsPerSecond(config: AccountConfig): number {
  return config.spec.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
}

/** The request-metrics hook, spread into a provider client's options. */
export function requestMetricsHook(config: AccountConfig): { onRequest?: NonNullable<AccountConfig['hooks']['onRequest']> } {
  return config.hooks.onRequest ? { onRequest: config.hooks.onRequest } : {};
}

/**
 * The options every provider account takes, under the names the account constructors use:
 * poll intervals, the request budget, the clock, the stretched-poll metric (labelled with
 * `providerId`) and the log. A factory spreads them into its account next to its client.
 */
export function accountSettings(config: AccountConfig, providerId: string, clock: Clock = systemClock): PollingOptions {
  const { spec, hooks } = config;
  return {
    pollIntervals: accountPollIntervals(spec, hooks),
    requestsPerSecond: accountRequestsPerSecond(config),
    clock,
    onPollStretched: () => hooks.onPollStretched?.(providerId),
    ...(hooks.log ? { log: hooks.log } : {}),
  };
}
