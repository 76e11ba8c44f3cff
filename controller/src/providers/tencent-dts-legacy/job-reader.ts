import { ProviderHttpError } from '../http/errors.ts';
import type { ReadResult } from '../polling/snapshot-poller.ts';
import { DTS_LEGACY_ERRORS, type DescribeMigrateCheckJobResponse, type DescribeMigrateJobsRequest, type DescribeMigrateJobsResponse, type MigrateJobInfo } from './api-types.ts';
import type { LegacySnapshot } from './observation-mapping.ts';

/** DescribeMigrateJobs answers at most 100 jobs a page (Limit 1..100). */
export const PAGE_SIZE = 100;
/** Per-job calls in flight at once (the client's per-action rate limit still applies). */
const PER_JOB_CONCURRENCY = 5;

export interface ApiCaller {
  call<T>(action: string, params: object): Promise<T>;
}

export interface MigrateJobReaderOptions {
  client: ApiCaller;
  /** The poller's current snapshot of a job, to decide whether its check result must be read again. */
  previous: (jobId: string) => LegacySnapshot | undefined;
}

/**
 * One observation round for the account's poller. DescribeMigrateJobs filters by a single JobId
 * only, so a round either pages through the whole account (Offset/Limit 100, ordered by
 * CreateTime ascending so jobs created meanwhile land on later pages) or asks per JobId —
 * whichever is fewer calls: min(tracked jobs, ceil(account jobs / 100)). A tracked job missing
 * from a complete listing is gone; a listing whose TotalCount moved between pages, or that came
 * back short, proves nothing about missing jobs (they are unreadable this round, not gone).
 * DescribeMigrateCheckJob is called only for jobs whose check is running (status 3) or whose
 * finished check has not been read yet.
 */
export class MigrateJobReader {
  readonly #o: MigrateJobReaderOptions;
  /** Jobs in the account at the last complete listing; unknown until one is done. */
  #accountJobs: number | undefined;

  constructor(options: MigrateJobReaderOptions) {
    this.#o = options;
  }

  /** DescribeMigrateJobs calls a round costs for this many tracked jobs. */
  listingCalls(tracked: number): number {
    if (tracked === 0) return 0;
    return this.#perJob(tracked) ? tracked : Math.max(1, Math.ceil((this.#accountJobs ?? tracked) / PAGE_SIZE));
  }

  async read(ids: string[]): Promise<Map<string, ReadResult<LegacySnapshot>>> {
    const answers = this.#perJob(ids.length) ? await this.#readEach(ids) : await this.#readListing(ids);
    await this.#attachChecks(answers);
    return answers;
  }

  /** Every job of the account named exactly `name` (the API's JobName filter may match loosely), oldest first. */
  async findByName(name: string): Promise<MigrateJobInfo[]> {
    const answer = await this.#describe({ JobName: name, Order: 'CreateTime', OrderSeq: 'ASC', Offset: 0, Limit: PAGE_SIZE });
    return (answer.JobList ?? []).filter((j) => j.JobName === name);
  }

  /** Per-job calls when they are no more than the pages of a listing (always for one job while the account size is unknown). */
  #perJob(tracked: number): boolean {
    const pages = this.#accountJobs === undefined ? 1 : Math.ceil(this.#accountJobs / PAGE_SIZE);
    return tracked <= pages;
  }

  async #readEach(ids: string[]): Promise<Map<string, ReadResult<LegacySnapshot>>> {
    const answers = new Map<string, ReadResult<LegacySnapshot>>();
    await eachLimited(ids, PER_JOB_CONCURRENCY, async (id) => {
      try {
        const answer = await this.#describe({ JobId: id, Offset: 0, Limit: PAGE_SIZE });
        const info = (answer.JobList ?? []).find((j) => j.JobId === id);
        // An answer to the JobId filter without the job is the API saying it does not exist.
        answers.set(id, info ? { snapshot: toSnapshot(info) } : { gone: true });
      } catch (error) {
        // Should the API answer an unknown JobId with ResourceNotFound rather than an empty list.
        const notFound = error instanceof ProviderHttpError && error.code?.startsWith(DTS_LEGACY_ERRORS.notFound);
        answers.set(id, notFound ? { gone: true } : { unreadable: describeError(error) });
      }
    });
    return answers;
  }

  async #readListing(ids: string[]): Promise<Map<string, ReadResult<LegacySnapshot>>> {
    const seen = new Map<string, MigrateJobInfo>();
    let total: number | undefined;
    let complete = true;
    let problem = 'the job list changed while it was read; reading again next round';
    for (let offset = 0; ; offset += PAGE_SIZE) {
      let page: DescribeMigrateJobsResponse;
      try {
        page = await this.#describe({ Order: 'CreateTime', OrderSeq: 'ASC', Offset: offset, Limit: PAGE_SIZE });
      } catch (error) {
        complete = false;
        problem = describeError(error);
        break;
      }
      if (total !== undefined && page.TotalCount !== total) complete = false;
      total = page.TotalCount;
      for (const job of page.JobList ?? []) seen.set(job.JobId, job);
      if ((page.JobList ?? []).length === 0 || offset + PAGE_SIZE >= total) break;
      // A TotalCount that keeps growing must not page forever; the next round starts afresh.
      if (offset / PAGE_SIZE > Math.ceil(total / PAGE_SIZE) + 1) {
        complete = false;
        break;
      }
    }
    if (total === undefined || seen.size < total) complete = false;
    if (complete) this.#accountJobs = total;
    const answers = new Map<string, ReadResult<LegacySnapshot>>();
    for (const id of ids) {
      const info = seen.get(id);
      if (info) answers.set(id, { snapshot: toSnapshot(info) });
      else answers.set(id, complete ? { gone: true } : { unreadable: problem });
    }
    return answers;
  }

  async #attachChecks(answers: Map<string, ReadResult<LegacySnapshot>>): Promise<void> {
    const due: LegacySnapshot[] = [];
    for (const [id, answer] of answers) {
      if (!('snapshot' in answer)) continue;
      const s = answer.snapshot;
      if (![3, 4, 5].includes(s.status)) continue;
      const before = this.#o.previous(id);
      const known = before?.status === s.status && before.check?.Status === 'finished' ? before.check : undefined;
      if (s.status !== 3 && known) s.check = known;
      else due.push(s);
    }
    await eachLimited(due, PER_JOB_CONCURRENCY, async (s) => {
      try {
        const { RequestId: _r, ...check } = await this.#o.client.call<DescribeMigrateCheckJobResponse & { RequestId?: string }>('DescribeMigrateCheckJob', { JobId: s.jobId });
        s.check = check;
      } catch {
        // The status alone still says whether the check runs, passed or failed; the message
        // is read again next round.
        const before = this.#o.previous(s.jobId)?.check;
        if (before) s.check = before;
      }
    });
  }

  async #describe(request: DescribeMigrateJobsRequest): Promise<DescribeMigrateJobsResponse> {
    return this.#o.client.call<DescribeMigrateJobsResponse>('DescribeMigrateJobs', request);
  }
}

export function toSnapshot(info: MigrateJobInfo): LegacySnapshot {
  const logs = (info.ErrorInfo ?? []).map((e) => e.ErrorLog).filter((l): l is string => typeof l === 'string' && l !== '');
  return {
    jobId: info.JobId,
    jobName: info.JobName,
    status: info.Status,
    ...(info.MigrateOption?.MigrateType !== undefined ? { migrateType: info.MigrateOption.MigrateType } : {}),
    ...(info.Detail
      ? { detail: { Progress: info.Detail.Progress, SecondsBehindMaster: info.Detail.SecondsBehindMaster, StepAll: info.Detail.StepAll, StepNow: info.Detail.StepNow } }
      : {}),
    ...(logs.length > 0 ? { errorLogs: logs } : {}),
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
