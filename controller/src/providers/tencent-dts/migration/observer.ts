import type { Clock } from '../../../clock.ts';
import { SnapshotPoller, type ReadResult } from '../../polling/snapshot-poller.ts';
import type { DtsMigrationClient } from './client.ts';
import { PAGE_SIZE } from './client.ts';
import { FAILED_STATUSES, snapshotChanged, snapshotOf, type MigrationSnapshot } from './observation-mapping.ts';
import { MANAGED_FILTER } from './spec-mapping.ts';
import { RELEASING_TRADE_STATUSES, STEADY_STATUSES } from './status-map.ts';

export interface MigrationObserverOptions {
  client: Pick<DtsMigrationClient, 'listJobs' | 'describeCheckJob' | 'describeDetail'>;
  activeMs: number;
  steadyMs: number;
  requestsPerSecond: number;
  clock: Clock;
  random?: () => number;
  onChange: (jobId: string) => void;
  onStretched?: () => void;
  log?: { warn(obj: object, msg: string): void; debug(obj: object, msg: string): void };
}

/**
 * The batched observation of one DTS account's migration jobs. DescribeMigrationJobs has no
 * filter for a list of IDs (only one JobId, a JobName, statuses and tags), so a round lists the
 * jobs tagged managed-by=drs-operator, 100 a page: ceil(N/100) calls for N jobs. Per-job calls
 * are made only for jobs in a transient state: DescribeMigrationCheckJob while a pre-check runs
 * (or its result has not been read), DescribeMigrationDetail once when a job turns failed (for
 * its ErrorInfo). Never per job in steady state.
 */
export class MigrationObserver {
  readonly poller: SnapshotPoller<MigrationSnapshot>;
  readonly #o: MigrationObserverOptions;
  /** Jobs whose pre-check this operator started and whose result has not been read finished. */
  readonly #checkPending = new Set<string>();

  constructor(options: MigrationObserverOptions) {
    this.#o = options;
    this.poller = new SnapshotPoller<MigrationSnapshot>({
      name: 'tencent-dts-migration',
      read: (ids) => this.#read(ids),
      isSteady: (s) => STEADY_STATUSES.has(s.status) && !(s.tradeStatus && RELEASING_TRADE_STATUSES.has(s.tradeStatus)),
      changed: snapshotChanged,
      callsPerRound: (jobs, snapshots) => Math.max(1, Math.ceil(jobs / PAGE_SIZE)) + snapshots.filter((s) => s.status === 'checking').length,
      activeMs: options.activeMs,
      steadyMs: options.steadyMs,
      requestsPerSecond: options.requestsPerSecond,
      clock: options.clock,
      onChange: options.onChange,
      ...(options.random ? { random: options.random } : {}),
      ...(options.onStretched ? { onStretched: options.onStretched } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** A pre-check was just started: its old result no longer counts, and the next rounds read the new one. */
  expectPrecheck(jobId: string): void {
    this.#checkPending.add(jobId);
    this.poller.markStale(jobId);
    if (this.poller.peek(jobId)?.snapshot) this.poller.update(jobId, (s) => ({ ...s!, check: {} }));
  }

  untrack(jobId: string): void {
    this.#checkPending.delete(jobId);
    this.poller.untrack(jobId);
  }

  async #read(ids: string[]): Promise<Map<string, ReadResult<MigrationSnapshot>>> {
    const answers = new Map<string, ReadResult<MigrationSnapshot>>();
    let listing;
    try {
      listing = await this.#o.client.listJobs({ TagFilters: [MANAGED_FILTER] });
    } catch (error) {
      const why = `DescribeMigrationJobs failed: ${error instanceof Error ? error.message : String(error)}`;
      for (const id of ids) answers.set(id, { unreadable: why });
      return answers;
    }
    const listed = new Map(listing.jobs.map((job) => [job.JobId, job]));
    const followUps: Promise<void>[] = [];
    for (const id of ids) {
      const item = listed.get(id);
      if (!item) {
        // Absent from a listing whose total moved between pages proves nothing.
        answers.set(id, listing.complete ? { gone: true } : { unreadable: 'the job list changed while it was being read' });
        continue;
      }
      const before = this.poller.peek(id)?.snapshot;
      const snapshot = snapshotOf(item, before);
      answers.set(id, { snapshot });
      if (this.#needsCheck(snapshot)) followUps.push(this.#readCheck(snapshot));
      if (FAILED_STATUSES.has(snapshot.status) && !snapshot.error) followUps.push(this.#readError(snapshot));
    }
    await Promise.all(followUps);
    return answers;
  }

  #needsCheck(s: MigrationSnapshot): boolean {
    if (s.status === 'checking' || this.#checkPending.has(s.jobId)) return true;
    // A check finished while nobody watched (or before a restart): read its result once.
    const result = s.check?.result;
    return (s.status === 'checkPass' || s.status === 'checkNotPass') && (!result || (result.Status !== 'success' && result.Status !== 'failed'));
  }

  async #readCheck(s: MigrationSnapshot): Promise<void> {
    try {
      const result = await this.#o.client.describeCheckJob(s.jobId);
      s.check = { result };
      const settled = (result.Status === 'success' || result.Status === 'failed') && s.status !== 'checking' && s.status !== 'created';
      if (settled) this.#checkPending.delete(s.jobId);
    } catch (error) {
      this.#o.log?.debug({ jobId: s.jobId, error: String(error) }, 'DescribeMigrationCheckJob failed; reading it again next round');
    }
  }

  async #readError(s: MigrationSnapshot): Promise<void> {
    try {
      const detail = await this.#o.client.describeDetail(s.jobId);
      const first = (detail.ErrorInfo ?? []).find((e) => e.ErrorLog || e.Code || e.Solution);
      const message = [first?.ErrorLog, first?.Solution ? `Solution: ${first.Solution}` : undefined].filter(Boolean).join(' ') || detail.BriefMsg || s.briefMsg || `the migration job is ${s.status}`;
      s.error = { ...(first?.Code ? { code: first.Code } : {}), message };
    } catch (error) {
      // BriefMsg from the listing stands in until the detail can be read.
      this.#o.log?.debug({ jobId: s.jobId, error: String(error) }, 'DescribeMigrationDetail failed; reading it again next round');
    }
  }
}
