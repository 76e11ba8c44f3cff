import type { Clock } from '../../clock.ts';
import { retryableError } from '../../reconcile/errors.ts';
import type { Observation } from '../../reconcile/observation.ts';
import type { JobHandle, ProviderAccount } from '../../reconcile/provider.ts';
import type { PollLog, SnapshotPoller, SnapshotPollerOptions, TrackedJob } from './snapshot-poller.ts';

/** What every provider account takes from its AccountConfig to run its poller. */
export interface PollingOptions {
  pollIntervals: { activeMs: number; steadyMs: number };
  /** The account's request budget; polling uses at most half of it. */
  requestsPerSecond: number;
  clock: Clock;
  random?: () => number;
  onPollStretched?: () => void;
  log?: PollLog;
}

/** The SnapshotPoller settings that do not depend on the provider: a poller adds how it reads. */
export type PollerSettings = Pick<SnapshotPollerOptions<unknown>, 'activeMs' | 'steadyMs' | 'requestsPerSecond' | 'clock' | 'random' | 'onChange' | 'onStretched' | 'log'>;

/**
 * The half of ProviderAccount that is the same for every provider: one poller per account,
 * started with the account and stopped by close(); observe() answered from the poller's
 * snapshot; change notifications fanned out to the reconciler's listeners; forget() untracks.
 * A provider account extends this and adds its actions; it builds its poller from the settings
 * given to `makePoller` (called from this constructor: it may read the options, not the
 * subclass's own fields, which are not set yet).
 */
export abstract class PolledAccount<S, P extends SnapshotPoller<S> = SnapshotPoller<S>> implements Pick<ProviderAccount, 'pollIntervals' | 'forget' | 'onJobChanged' | 'close'> {
  readonly pollIntervals: { activeMs: number; steadyMs: number };
  /** The account's poller (public for tests and the benchmark, which count its rounds). */
  readonly poller: P;
  readonly #listeners = new Set<(jobId: string) => void>();

  protected constructor(options: PollingOptions, makePoller: (settings: PollerSettings) => P) {
    this.pollIntervals = options.pollIntervals;
    this.poller = makePoller({
      activeMs: options.pollIntervals.activeMs,
      steadyMs: options.pollIntervals.steadyMs,
      requestsPerSecond: options.requestsPerSecond,
      clock: options.clock,
      onChange: (jobId) => this.notifyChanged(jobId),
      ...(options.random ? { random: options.random } : {}),
      ...(options.onPollStretched ? { onStretched: options.onPollStretched } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    this.poller.start();
  }

  forget(jobId: string): void {
    this.poller.untrack(jobId);
  }

  onJobChanged(listener: (jobId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.poller.stop();
    await this.closeClient();
  }

  /** Release the provider client's connections (after the poller's last round). */
  protected abstract closeClient(): Promise<void>;

  /** Wake the reconcile of a job (its snapshot changed, or something else the plan must see). */
  protected notifyChanged(jobId: string): void {
    for (const listener of this.#listeners) listener(jobId);
  }

  /**
   * The job's freshest snapshot as an Observation: undefined when the provider says the job is
   * gone, a retryable error naming `what` (e.g. "DTS sync job") while it cannot be read.
   */
  protected async observeSnapshot(
    job: JobHandle,
    what: string,
    toObservation: (snapshot: S, tracked: TrackedJob<S>) => Observation | Promise<Observation>,
  ): Promise<Observation | undefined> {
    if (!job.jobId) return undefined;
    const tracked = await this.poller.read(job.jobId);
    if (tracked.gone) return undefined;
    if (!tracked.snapshot) throw retryableError('ProviderUnavailable', `Could not read ${what} ${job.jobId}: ${tracked.unreadable ?? 'no answer yet'}`);
    return toObservation(tracked.snapshot, tracked);
  }
}
