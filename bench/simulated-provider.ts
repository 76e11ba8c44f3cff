import type { BenchProviderId } from './args.ts';
import type { ProviderCalls } from './figures.ts';
import { startDrsProvider } from './provider-huawei-drs.ts';
import { startDtsProvider } from './provider-tencent-dts.ts';

/**
 * One provider's side of a run: its simulator (in this process), what the ProviderConfig, its
 * credentials Secret and every ReplicationJob say to reach it, and its call counters. run.ts,
 * environment.ts and bench-objects.ts only see this, so each provider is set up in one file.
 */
export interface SimulatedProvider {
  /** ProviderConfig spec.provider. */
  readonly id: BenchProviderId;
  /** The credentials Secret's data, in the keys the provider's factory reads. */
  readonly credentials: Record<string, string>;
  /** ProviderConfig spec fields besides credentialsSecretRef, pollIntervals and requestsPerSecond: provider, endpoint (the simulator), region or project. */
  readonly providerConfig: Record<string, unknown>;
  /** The ProviderConfig's request budget. */
  readonly requestsPerSecond: number;
  /**
   * A job's spec beyond what every benchmark job shares (bench-objects.ts: the ProviderConfig,
   * a full + incremental MySQL sync from one self-built source): target, objects, sizing, options.
   */
  jobSpec(password: { name: string; key: string }): object;
  /** The poller's batch read ("batch-status", "DescribeSyncJobs"): ceil(N/100) of these per round is the promise. */
  readonly statusCall: string;
  /** Calls answered since the last reset, by endpoint (DRS) or action (Tencent). */
  calls(): ProviderCalls;
  resetCalls(): void;
  /** What the report's `settings` says about this provider besides requestsPerSecond: why that budget, the simulator's pace and limits. */
  readonly settings: Record<string, unknown>;
  close(): Promise<void>;
}

/** Every provider the benchmark can stand up, typed so that an id in args.ts without a simulator here does not compile. */
const STARTERS: Record<BenchProviderId, () => Promise<SimulatedProvider>> = {
  'huawei-drs': startDrsProvider,
  'tencent-dts': startDtsProvider,
};

export function startSimulatedProvider(id: BenchProviderId): Promise<SimulatedProvider> {
  return STARTERS[id]();
}
