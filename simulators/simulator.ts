import type { Clock } from '../controller/src/clock.ts';

/**
 * What every provider simulator takes and gives, so `npm run simulate -- <provider id>` and the
 * tests start them the same way. A simulator follows its API's own state machine, error codes
 * and request shapes, and verifies request signatures with the configured credentials.
 */
export interface SimulatorOptions {
  /** Where to listen; port 0 picks a free one. Default 127.0.0.1:0. */
  listen?: { host: string; port: number };
  /** The credential pair clients must sign with (SecretId/SecretKey, or AK/SK). */
  credentials: { id: string; key: string };
  /** Step durations: `fast` for tests (tens of ms), `default` for trying it by hand (seconds). */
  pace?: 'fast' | 'default';
  clock?: Clock;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export interface RunningSimulator {
  /** Base URL clients use as the provider endpoint. */
  url: string;
  close(): Promise<void>;
}
