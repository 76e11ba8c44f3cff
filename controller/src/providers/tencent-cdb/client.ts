import { ProviderHttpError } from '../http/errors.ts';
import { TencentV2Client, type TencentV2ClientOptions, type V2Params } from '../tencent/v2-client.ts';
import { kindForCdbCode } from './errors.ts';
import { toSnapshot, type CdbTaskSnapshot } from './observation-mapping.ts';
import { TaskItem, TaskList } from './schemas.ts';

export const PROVIDER_ID = 'tencent-cdb';
/** GetCdbDataSyncTaskList limit: [1, 100]. */
export const PAGE_SIZE = 100;

export type CdbClientOptions = Omit<TencentV2ClientOptions, 'provider' | 'kindForCode'>;

export interface TaskPage {
  totalCount: number;
  /** Entries in this page's jobList (unreadable ones included), to know whether more pages follow. */
  returned: number;
  tasks: CdbTaskSnapshot[];
}

/** The five data-sync actions of the CDB API v2, typed. Errors are ProviderHttpErrors. */
export class CdbClient {
  readonly #v2: TencentV2Client;

  constructor(options: CdbClientOptions) {
    this.#v2 = new TencentV2Client({ ...options, provider: PROVIDER_ID, kindForCode: kindForCdbCode });
  }

  /** CreateCdbDataSyncTask → data.jobId. Not repeated after an unknown outcome (see TencentV2Client.call). */
  async createTask(params: V2Params): Promise<string | undefined> {
    const data = await this.#v2.call<{ jobId?: unknown } | undefined>('CreateCdbDataSyncTask', params, { idempotent: false });
    const id = data && typeof data === 'object' ? data.jobId : undefined;
    return typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)) ? String(id) : undefined;
  }

  /** CheckCdbDataSyncTask (status 1 only). */
  async checkTask(jobId: string): Promise<void> {
    await this.#v2.call('CheckCdbDataSyncTask', { jobId });
  }

  /** StartCdbDataSyncTask (status 4 only). */
  async startTask(jobId: string): Promise<void> {
    await this.#v2.call('StartCdbDataSyncTask', { jobId });
  }

  /** DelCdbDataSyncTask (statuses 0, 1, 3, 4, 8, 9). */
  async deleteTask(jobId: string): Promise<void> {
    await this.#v2.call('DelCdbDataSyncTask', { jobId });
  }

  /**
   * One page of GetCdbDataSyncTaskList, in ascending jobId order so that tasks created while a
   * round pages through the list land after the pages already read.
   */
  async listTasks(filter: { offset?: number; limit?: number; jobId?: string; jobName?: string } = {}): Promise<TaskPage> {
    const params: Record<string, string | number> = {
      offset: filter.offset ?? 0,
      limit: filter.limit ?? PAGE_SIZE,
      order: 'jobId',
      orderSeq: 'ASC',
      ...(filter.jobId !== undefined ? { jobId: filter.jobId } : {}),
      ...(filter.jobName !== undefined ? { jobName: filter.jobName } : {}),
    };
    const data = await this.#v2.call('GetCdbDataSyncTaskList', params);
    const list = TaskList.safeParse(data);
    if (!list.success) {
      throw new ProviderHttpError({ provider: PROVIDER_ID, operation: 'GetCdbDataSyncTaskList', kind: 'unavailable', status: 200, providerMessage: 'data has no totalCount/jobList' });
    }
    const tasks: CdbTaskSnapshot[] = [];
    for (const raw of list.data.jobList) {
      const item = TaskItem.safeParse(raw);
      // An entry without a readable jobId/status cannot be matched to anything: skip it.
      if (item.success) tasks.push(toSnapshot(item.data));
    }
    return { totalCount: list.data.totalCount, returned: list.data.jobList.length, tasks };
  }

  /**
   * Tasks named exactly `name`. The jobName filter may match loosely, so every page of the
   * filtered list is read and compared.
   */
  async findByName(name: string): Promise<CdbTaskSnapshot[]> {
    const found: CdbTaskSnapshot[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await this.listTasks({ offset, jobName: name });
      found.push(...page.tasks.filter((t) => t.jobName === name));
      if (page.returned < PAGE_SIZE || offset + PAGE_SIZE >= page.totalCount) return found;
    }
  }

  async close(): Promise<void> {
    await this.#v2.close();
  }
}
