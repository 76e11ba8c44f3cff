import type { PollerSettings } from '../../polling/polled-account.ts';
import { SnapshotPoller, type ReadResult } from '../../polling/snapshot-poller.ts';
import type { DtsMigrationClient } from './client.ts';
import { PAGE_SIZE } from './client.ts';
import { FAILED_STATUSES, snapshotChanged, snapshotOf, type MigrationSnapshot } from './observation-mapping.ts';
import { MANAGED_FILTER } from './spec-mapping.ts';
import { RELEASING_TRADE_STATUSES, STEADY_STATUSES } from './status-map.ts';

export type MigrationPollerOptions = PollerSettings & {
  client: Pick<DtsMigrationClient, 'listJobs' | 'describeCheckJob' | 'describeDetail'>;
};

/**
 * The batched observation of one DTS account's migration jobs. DescribeMigrationJobs has no
 * filter for a list of IDs (only one JobId, a JobName, statuses and tags), so a round lists the
 * jobs tagged managed-by=drs-operator, 100 a page: ceil(N/100) calls for N jobs. Per-job calls
 * are made only for jobs in a transient state: DescribeMigrationCheckJob while a pre-check runs
 * (or its result has not been read), DescribeMigrationDetail once when a job turns failed (for
 * its ErrorInfo). Never per job in steady state.
 */
export class MigrationPoller extends SnapshotPoller<MigrationSnapshot> {
  readonly #client: MigrationPollerOptions['client'];
  readonly #log: MigrationPollerOptions['log'];
  /** Jobs whose pre-check this operator started and whose result has not been read finished. */
  readonly #checkPending = new Set<string>();

  constructor({ client, ...settings }: MigrationPollerOptions) {
    super({
      ...settings,
      name: 'tencent-dts-migration',
      read: (ids) => this.#read(ids),
      isSteady: (s) => STEADY_STATUSES.has(s.status) && !(s.tradeStatus && RELEASING_TRADE_STATUSES.has(s.tradeStatus)),
      changed: snapshotChanged,
      callsPerRound: (jobs, snapshots) => Math.max(1, Math.ceil(jobs / PAGE_SIZE)) + snapshots.filter((s) => s.status === 'checking').length,
    });
    this.#client = client;
    this.#log = settings.log;
  }

  /** A pre-check was just started: its old result no longer counts, and the next rounds read the new one. */
  expectPrecheck(jobId: string): void {
    this.#checkPending.add(jobId);
    this.markStale(jobId);
    if (this.peek(jobId)?.snapshot) this.update(jobId, (s) => ({ ...s!, check: {} }));
  }

  override untrack(jobId: string): void {
    this.#checkPending.delete(jobId);
    super.untrack(jobId);
  }

  async #read(ids: string[]): Promise<Map<string, ReadResult<MigrationSnapshot>>> {
    const answers = new Map<string, ReadResult<MigrationSnapshot>>();
    let listing;
    try {
      listing = await this.#client.listJobs({ TagFilters: [MANAGED_FILTER] });
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
      const before = this.peek(id)?.snapshot;
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
      const result = await this.#client.describeCheckJob(s.jobId);
      s.check = { result };
      const settled = (result.Status === 'success' || result.Status === 'failed') && s.status !== 'checking' && s.status !== 'created';
      if (settled) this.#checkPending.delete(s.jobId);
    } catch (error) {
      this.#log?.debug({ jobId: s.jobId, error: String(error) }, 'DescribeMigrationCheckJob failed; reading it again next round');
    }
  }

  async #readError(s: MigrationSnapshot): Promise<void> {
    try {
      const detail = await this.#client.describeDetail(s.jobId);
      const first = (detail.ErrorInfo ?? []).find((e) => e.ErrorLog || e.Code || e.Solution);
      const message = [first?.ErrorLog, first?.Solution ? `Solution: ${first.Solution}` : undefined].filter(Boolean).join(' ') || detail.BriefMsg || s.briefMsg || `the migration job is ${s.status}`;
      s.error = { ...(first?.Code ? { code: first.Code } : {}), message };
    } catch (error) {
      // BriefMsg from the listing stands in until the detail can be read.
      this.#log?.debug({ jobId: s.jobId, error: String(error) }, 'DescribeMigrationDetail failed; reading it again next round');
    }
  }
}
