import type { TencentApiClient } from '../../tencent/api3-client.ts';
import type {
  ConfigureSyncJobRequest,
  CreateSyncJobRequest,
  CreateSyncJobResponse,
  DescribeCheckSyncJobResultResponse,
  DescribeSyncJobsRequest,
  DescribeSyncJobsResponse,
  ModifySyncRateLimitRequest,
  SyncJobInfo,
} from './api-types.ts';

/** DescribeSyncJobs answers at most 100 jobs per call. */
export const DESCRIBE_BATCH = 100;

/**
 * The DTS 2021-12-06 sync-job actions, typed, over one TencentApiClient (signing, per-action
 * rate limits, retries of transient answers, Create* never blindly repeated).
 */
export class DtsSyncClient {
  readonly #api: TencentApiClient;

  constructor(api: TencentApiClient) {
    this.#api = api;
  }

  async createSyncJob(request: CreateSyncJobRequest): Promise<string | undefined> {
    const answer = await this.#api.call<CreateSyncJobResponse>('CreateSyncJob', request);
    return answer.JobIds?.[0];
  }

  async configureSyncJob(request: ConfigureSyncJobRequest): Promise<void> {
    await this.#api.call('ConfigureSyncJob', request);
  }

  /** Starts a check: it is not a create, so repeating it after a lost answer is harmless. */
  async createCheckSyncJob(jobId: string): Promise<void> {
    await this.#api.call('CreateCheckSyncJob', { JobId: jobId }, { idempotent: true });
  }

  async describeCheckSyncJobResult(jobId: string): Promise<DescribeCheckSyncJobResultResponse> {
    return this.#api.call<DescribeCheckSyncJobResultResponse>('DescribeCheckSyncJobResult', { JobId: jobId });
  }

  async startSyncJob(jobId: string): Promise<void> {
    await this.#api.call('StartSyncJob', { JobId: jobId });
  }

  async pauseSyncJob(jobId: string): Promise<void> {
    await this.#api.call('PauseSyncJob', { JobId: jobId });
  }

  async continueSyncJob(jobId: string): Promise<void> {
    await this.#api.call('ContinueSyncJob', { JobId: jobId });
  }

  async resumeSyncJob(jobId: string): Promise<void> {
    await this.#api.call('ResumeSyncJob', { JobId: jobId });
  }

  async stopSyncJob(jobId: string): Promise<void> {
    await this.#api.call('StopSyncJob', { JobId: jobId });
  }

  async modifySyncRateLimit(request: ModifySyncRateLimitRequest): Promise<void> {
    await this.#api.call('ModifySyncRateLimit', request);
  }

  async isolateSyncJob(jobId: string): Promise<void> {
    await this.#api.call('IsolateSyncJob', { JobId: jobId });
  }

  async destroySyncJob(jobId: string): Promise<void> {
    await this.#api.call('DestroySyncJob', { JobId: jobId });
  }

  /** One DescribeSyncJobs call for up to 100 IDs (Limit must say so: the default is 20). */
  async describeByIds(ids: string[]): Promise<SyncJobInfo[]> {
    if (ids.length > DESCRIBE_BATCH) throw new RangeError(`DescribeSyncJobs takes at most ${DESCRIBE_BATCH} JobIds, got ${ids.length}`);
    const request: DescribeSyncJobsRequest = { JobIds: ids, Limit: ids.length, Offset: 0 };
    const answer = await this.#api.call<DescribeSyncJobsResponse>('DescribeSyncJobs', request);
    return answer.JobList ?? [];
  }

  /** Every job named `name` (pages of 100; a name is normally unique, so one page). */
  async findByName(name: string): Promise<SyncJobInfo[]> {
    const found: SyncJobInfo[] = [];
    for (let offset = 0; ; offset += DESCRIBE_BATCH) {
      const answer = await this.#api.call<DescribeSyncJobsResponse>('DescribeSyncJobs', { JobName: name, Offset: offset, Limit: DESCRIBE_BATCH } satisfies DescribeSyncJobsRequest);
      const page = answer.JobList ?? [];
      // JobName may match loosely on the real API: keep exact matches only.
      found.push(...page.filter((j) => j.JobName === name));
      if (page.length < DESCRIBE_BATCH || offset + page.length >= (answer.TotalCount ?? 0)) return found;
    }
  }

  async close(): Promise<void> {
    await this.#api.close();
  }
}
