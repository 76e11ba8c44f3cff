import type { CallFault, FaultInjector } from '../../engine/src/faults.ts';

/**
 * The injected fault for one call, in the order every simulator applies them: the configured
 * latency first (the call is slow whatever happens next), then the fault drawn for it.
 * `mutating` calls are the only ones that can be answered "busy".
 */
export async function injectedFault(faults: FaultInjector, operation: string, mutating: boolean): Promise<CallFault> {
  const latency = faults.latencyFor(operation);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
  return faults.beforeCall(operation, mutating);
}
