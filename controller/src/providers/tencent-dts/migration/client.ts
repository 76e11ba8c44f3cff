import type { TencentApiClient } from '../../tencent/api3-client.ts';
import type {
  CreateMigrationServiceRequest,
  CreateMigrationServiceResponse,
  DescribeMigrationCheckJobResponse,
  DescribeMigrationDetailResponse,
  DescribeMigrationJobsRequest,
  DescribeMigrationJobsResponse,
  JobItem,
  ModifyMigrationJobRequest,
} from './api-types.ts';

/** DescribeMigrationJobs answers at most this many jobs a call. */
export const PAGE_SIZE = 100;

export interface JobListing {
  jobs: (JobItem & { JobId: string })[];
  /** TotalCount stayed the same on every page: a job missing from the listing does not exist. */
  complete: boolean;
  /** DescribeMigrationJobs calls made. */
  calls: number;
}

/**
 * The DTS 2021-12-06 migration calls this provider makes, typed, on the shared Tencent API 3.0
 * client (signing, per-action rate limit, retries of throttling and 5xx; Create* never repeated
 * blindly). Failures surface as ProviderHttpError.
 */
export class DtsMigrationClient {
  readonly #api: TencentApiClient;

  constructor(api: TencentApiClient) {
    this.#api = api;
  }

  /** One job (Count 1); its IDs, e.g. dts-c1f6rs21. The response may be lost: look the job up by name then. */
  async createService(request: CreateMigrationServiceRequest): Promise<string[]> {
    const answer = await this.#api.call<CreateMigrationServiceResponse>('CreateMigrationService', request);
    return answer.JobIds ?? [];
  }

  async modifyJob(request: ModifyMigrationJobRequest): Promise<void> {
    await this.#api.call('ModifyMigrationJob', request);
  }

  /** Starts a pre-check (a new one replaces the previous result). Safe to repeat: not a create of a resource. */
  async createCheckJob(jobId: string): Promise<void> {
    await this.#api.call('CreateMigrateCheckJob', { JobId: jobId }, { idempotent: true });
  }

  async describeCheckJob(jobId: string): Promise<DescribeMigrationCheckJobResponse> {
    return this.#api.call<DescribeMigrationCheckJobResponse>('DescribeMigrationCheckJob', { JobId: jobId });
  }

  async describeDetail(jobId: string): Promise<DescribeMigrationDetailResponse> {
    return this.#api.call<DescribeMigrationDetailResponse>('DescribeMigrationDetail', { JobId: jobId });
  }

  async start(jobId: string): Promise<void> {
    await this.#api.call('StartMigrateJob', { JobId: jobId });
  }

  async pause(jobId: string): Promise<void> {
    await this.#api.call('PauseMigrateJob', { JobId: jobId });
  }

  async continue(jobId: string): Promise<void> {
    await this.#api.call('ContinueMigrateJob', { JobId: jobId });
  }

  async resume(jobId: string, resumeOption: string): Promise<void> {
    await this.#api.call('ResumeMigrateJob', { JobId: jobId, ResumeOption: resumeOption });
  }

  async stop(jobId: string): Promise<void> {
    await this.#api.call('StopMigrateJob', { JobId: jobId });
  }

  async complete(jobId: string): Promise<void> {
    await this.#api.call('CompleteMigrateJob', { JobId: jobId, CompleteMode: 'waitForSync' });
  }

  async isolate(jobId: string): Promise<void> {
    await this.#api.call('IsolateMigrateJob', { JobId: jobId });
  }

  async destroy(jobId: string): Promise<void> {
    await this.#api.call('DestroyMigrateJob', { JobId: jobId });
  }

  /**
   * Every job matching the filter, PAGE_SIZE a call in creation order (oldest first, so a job
   * created meanwhile lands on the last page instead of shifting the others): ceil(N/100) calls.
   */
  async listJobs(filter: Omit<DescribeMigrationJobsRequest, 'Limit' | 'Offset' | 'OrderSeq'>): Promise<JobListing> {
    const jobs: (JobItem & { JobId: string })[] = [];
    let total: number | undefined;
    let complete = true;
    let calls = 0;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await this.#api.call<DescribeMigrationJobsResponse>('DescribeMigrationJobs', { ...filter, OrderSeq: 'asc', Limit: PAGE_SIZE, Offset: offset });
      calls++;
      const items = page.JobList ?? [];
      for (const item of items) if (item.JobId) jobs.push(item as JobItem & { JobId: string });
      if (total !== undefined && page.TotalCount !== total) complete = false;
      total = page.TotalCount ?? jobs.length;
      if (items.length < PAGE_SIZE || offset + PAGE_SIZE >= total) break;
    }
    return { jobs, complete, calls };
  }

  async close(): Promise<void> {
    await this.#api.close();
  }
}
