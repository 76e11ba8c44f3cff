import type { ProviderFactory } from '../reconcile/provider-accounts.ts';

/**
 * Provider id → factory. Each provider folder registers its account client here; a
 * ProviderConfig naming an id missing from this map gets a clear ProviderUnavailable condition.
 */
export function providerFactories(): Map<string, ProviderFactory> {
  return new Map<string, ProviderFactory>();
}
