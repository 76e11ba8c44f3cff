import type { z } from 'zod';
import { ProviderHttpError } from '../http/errors.ts';
import type { HttpResponse } from '../http/http-client.ts';
// Calls to every Huawei Cloud service are signed, rate-limited and retried alike: shared with DRS.
import { HuaweiApiCaller, type HuaweiClientOptions } from '../huawei/api-caller.ts';
import { unexpectedShapeError } from '../huawei/errors.ts';
import { CLICKHOUSE_OPERATIONS, LIST_PAGE_SIZE, type ClickHouseOperation } from './endpoints.ts';
import { CH_ERROR_CODES, CLICKHOUSE_ERROR_DIALECT, CLICKHOUSE_PROVIDER, hasCode } from './errors.ts';
import {
  CreateReplicationRequest,
  DatabaseCheckRequest,
  DatabaseCheckResponse,
  JobIdResponse,
  ListReplicationsResponse,
  ReplicationConfigResponse,
  TableCheckRequest,
  TableCheckResponse,
  type ListedReplication,
} from './schemas.ts';

/** Endpoint: the regional GaussDB(for MySQL) endpoint, e.g. https://gaussdb.cn-north-4.myhuaweicloud.com */
export type ClickHouseClientOptions = HuaweiClientOptions;

/** Most pages read from one instance's list (10,000 databases) before giving up. */
const MAX_LIST_PAGES = 100;

/**
 * The GaussDB(for MySQL) → ClickHouse replication API of one account (endpoint + project +
 * credentials). Every call is rate-limited, authenticated (a 401 with an IAM token fetches a
 * fresh token once), and retried with jittered backoff when it was throttled, busy, 5xx or
 * timed out — except creation, which is never repeated when its outcome is unknown (it starts
 * a replication; the caller re-reads the list instead). Failures are ProviderHttpErrors.
 */
export class ClickHouseClient {
  readonly #api: HuaweiApiCaller;

  constructor(options: ClickHouseClientOptions) {
    this.#api = new HuaweiApiCaller(options, CLICKHOUSE_ERROR_DIALECT);
  }

  /** The project the ClickHouse instances live in. */
  get projectId(): string {
    return this.#api.projectId;
  }

  /** Creates (and thereby starts) the synchronization of one source database. Never repeated blindly. */
  async createReplication(instanceId: string, body: CreateReplicationRequest): Promise<{ jobId?: string }> {
    const request = CreateReplicationRequest.parse(body);
    const response = await this.#call('create-replication', instanceId, { json: request, idempotent: false });
    const parsed = this.#parse('create-replication', response, JobIdResponse, false);
    return parsed.job_id ? { jobId: parsed.job_id } : {};
  }

  /**
   * Every replication of one ClickHouse instance, read in pages of 100: how the poller observes
   * all jobs of an instance at once. `pages` is the number of calls it took.
   */
  async listReplications(instanceId: string): Promise<{ replications: ListedReplication[]; pages: number }> {
    const replications: ListedReplication[] = [];
    for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
      const query = { limit: String(LIST_PAGE_SIZE), offset: String(page * LIST_PAGE_SIZE) };
      const response = await this.#call('list-replications', instanceId, { query, idempotent: true });
      const parsed = this.#parse('list-replications', response, ListReplicationsResponse, true);
      const entries = parsed.replications ?? [];
      replications.push(...entries);
      const total = parsed.total_count ?? replications.length;
      if (entries.length < LIST_PAGE_SIZE || replications.length >= total) return { replications, pages: page + 1 };
    }
    throw new ProviderHttpError({
      provider: CLICKHOUSE_PROVIDER,
      operation: 'list-replications',
      kind: 'unavailable',
      detail: `instance ${instanceId} lists more than ${MAX_LIST_PAGES * LIST_PAGE_SIZE} replications`,
    });
  }

  /** Removes a database's synchronization. 'gone' when there was none (the goal of a delete). */
  async deleteReplication(instanceId: string, databaseName: string): Promise<'deleted' | 'gone'> {
    try {
      await this.#call('delete-replication', instanceId, { databaseName, idempotent: true });
      return 'deleted';
    } catch (error) {
      if (hasCode(error, CH_ERROR_CODES.replicationNotFound)) return 'gone';
      throw error;
    }
  }

  /** The synchronization settings of one database; undefined when the database is not synchronized. */
  async getReplicationConfig(instanceId: string, databaseName: string): Promise<ReplicationConfigResponse | undefined> {
    try {
      const response = await this.#call('show-replication-config', instanceId, { query: { database_name: databaseName }, idempotent: true });
      return this.#parse('show-replication-config', response, ReplicationConfigResponse, true);
    } catch (error) {
      if (hasCode(error, CH_ERROR_CODES.replicationNotFound)) return undefined;
      throw error;
    }
  }

  /** Checks the source database's settings for synchronization (synchronous: the answer is the result). */
  async checkDatabase(instanceId: string, body: DatabaseCheckRequest): Promise<DatabaseCheckResponse> {
    const response = await this.#call('check-database', instanceId, { json: DatabaseCheckRequest.parse(body), idempotent: true });
    return this.#parse('check-database', response, DatabaseCheckResponse, true);
  }

  /** Checks the tables of the source database for synchronization. */
  async checkTables(instanceId: string, body: TableCheckRequest): Promise<TableCheckResponse> {
    const response = await this.#call('check-tables', instanceId, { json: TableCheckRequest.parse(body), idempotent: true });
    return this.#parse('check-tables', response, TableCheckResponse, true);
  }

  async close(): Promise<void> {
    await this.#api.close();
  }

  /** One logical call (rate-limited, authenticated, retried: HuaweiApiCaller). Resolves with a 2xx response. */
  #call(
    operation: ClickHouseOperation,
    instanceId: string,
    options: { json?: unknown; query?: Record<string, string>; databaseName?: string; idempotent: boolean },
  ): Promise<HttpResponse> {
    return this.#api.call({
      operation,
      route: CLICKHOUSE_OPERATIONS[operation],
      pathValues: { instance_id: instanceId, database_name: options.databaseName },
      ...(options.query ? { query: options.query } : {}),
      ...(options.json !== undefined ? { json: options.json } : {}),
      idempotent: options.idempotent,
    });
  }

  #parse<T>(operation: ClickHouseOperation, response: HttpResponse, schema: z.ZodType<T>, idempotent: boolean): T {
    const parsed = schema.safeParse(response.json ?? {});
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => (issue.path.length > 0 ? issue.path.join('.') : '(body)'))
      .join(', ');
    throw unexpectedShapeError(CLICKHOUSE_PROVIDER, operation, response, idempotent, where);
  }
}
