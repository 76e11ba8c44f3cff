import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import { startEndpointForState } from '../shared/endpoint-for-state.ts';
import { startApi3Server, type AdminHandler, type Api3Handler, type Api3Server } from './server.ts';

/** What a simulated Tencent service brings to an API 3.0 endpoint: its actions, its admin hooks, and the close of its state. */
export interface Api3Service {
  /** `${version}/${action}` → handler. */
  handlers: ReadonlyMap<string, Api3Handler>;
  /** Admin endpoints under /_sim/. */
  admin: ReadonlyMap<string, AdminHandler>;
  close(): void;
}

/**
 * Serves a simulated service on its own API 3.0 endpoint, started from the SimulatorOptions every
 * simulator takes (`npm run simulate` and the tests): their credential pair is the SecretId and
 * SecretKey clients sign with; listen address and clock pass through. The service's state closes
 * with the endpoint.
 */
export function startApi3Simulator(
  options: SimulatorOptions,
  service: Api3Service,
  endpoint: { service: string; actionLimits?: Readonly<Record<string, number>> },
): Promise<RunningSimulator & Pick<Api3Server, 'calls' | 'faults'>> {
  return startEndpointForState(service, () =>
    startApi3Server({
      service: endpoint.service,
      credentials: { secretId: options.credentials.id, secretKey: options.credentials.key },
      handlers: service.handlers,
      admin: service.admin,
      ...(endpoint.actionLimits ? { actionLimits: endpoint.actionLimits } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.listen ? { listen: options.listen } : {}),
    }),
  );
}
