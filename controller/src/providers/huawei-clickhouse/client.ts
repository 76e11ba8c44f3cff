import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { sleepOn, systemClock, type Clock } from '../../clock.ts';
import { ProviderHttpError, shouldRepeatCall } from '../http/errors.ts';
import { JsonHttpClient, type HttpResponse } from '../http/http-client.ts';
import { outcomeForStatus, type OnRequest, type RequestOutcome } from '../http/metrics.ts';
import { TokenBucket } from '../http/rate-limiter.ts';
import { withRetry } from '../http/retry.ts';
// Huawei Cloud authentication (AK/SK signing, IAM password tokens) is the same for every Huawei
// service: the DRS provider's implementation is reused as is.
import { createDrsAuth, type DrsAuth, type DrsAuthConfig } from '../huawei-drs/auth.ts';
import { CLICKHOUSE_OPERATIONS, LIST_PAGE_SIZE, operationUrl, type ClickHouseOperation } from './endpoints.ts';
import { CH_ERROR_CODES, CLICKHOUSE_PROVIDER, clickHouseResponseError, hasCode, readErrorBody } from './errors.ts';
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

export interface ClickHouseClientOptions {
  /** Regional GaussDB(for MySQL) endpoint, e.g. https://gaussdb.cn-north-4.myhuaweicloud.com */
  endpoint: string;
  projectId: string;
  auth: DrsAuthConfig;
  /** Client-side limit for this account. Default 20. */
  requestsPerSecond?: number;
  burst?: number;
  timeoutMs?: number;
  onRequest?: OnRequest;
  dispatcher?: Dispatcher;
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number };
  clock?: Clock;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Language of provider messages. Default en-us. */
  language?: 'en-us' | 'zh-cn';
}

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
  readonly endpoint: string;
  readonly projectId: string;
  readonly #http: JsonHttpClient;
  readonly #auth: DrsAuth;
  readonly #limiter: TokenBucket;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #retry: { maxAttempts: number; baseMs: number; maxMs: number };
  readonly #headers: Record<string, string>;

  constructor(options: ClickHouseClientOptions) {
    if (!/^https?:\/\/[^\s/]+/.test(options.endpoint)) {
      throw new Error(`ClickHouse client: endpoint must be an http(s) URL such as https://gaussdb.cn-north-4.myhuaweicloud.com, got ${JSON.stringify(options.endpoint)}`);
    }
    if (!options.projectId) throw new Error('ClickHouse client: projectId is required; set spec.projectId on the ProviderConfig');
    this.endpoint = options.endpoint;
    this.projectId = options.projectId;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#sleep = options.sleep ?? sleepOn(this.#clock);
    this.#retry = { maxAttempts: 4, baseMs: 500, maxMs: 10_000, ...options.retry };
    this.#limiter = new TokenBucket({
      ratePerSecond: options.requestsPerSecond ?? 20,
      clock: this.#clock,
      ...(options.burst === undefined ? {} : { burst: options.burst }),
    });
    this.#http = new JsonHttpClient({
      provider: CLICKHOUSE_PROVIDER,
      clock: this.#clock,
      outcomeOf: clickHouseOutcome,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    this.#auth = createDrsAuth(options.auth, { projectId: options.projectId, iamHttp: this.#http, clock: this.#clock, provider: 'huawei-clickhouse' });
    this.#headers = { 'X-Project-Id': options.projectId, 'X-Language': options.language ?? 'en-us' };
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
    await this.#http.close();
  }

  /**
   * One logical call: rate-limited, authenticated, retried (throttled, busy, 5xx, timeouts) with
   * full-jitter backoff and Retry-After. Resolves with a 2xx response; throws otherwise.
   */
  async #call(
    operation: ClickHouseOperation,
    instanceId: string,
    options: { json?: unknown; query?: Record<string, string>; databaseName?: string; idempotent: boolean },
  ): Promise<HttpResponse> {
    const { method } = CLICKHOUSE_OPERATIONS[operation];
    const url = operationUrl(this.endpoint, this.projectId, instanceId, operation, {
      ...(options.query ? { query: options.query } : {}),
      ...(options.databaseName !== undefined ? { databaseName: options.databaseName } : {}),
    });
    return withRetry(
      async () => {
        for (let refreshed = false; ; refreshed = true) {
          await this.#limiter.acquire();
          let sent: Record<string, string> = {};
          const response = await this.#http.send({
            operation,
            method,
            url,
            headers: this.#headers,
            ...(options.json !== undefined ? { json: options.json } : {}),
            sign: async (req) => {
              sent = await this.#auth.sign(req);
              return sent;
            },
          });
          // An expired or revoked token: fetch a new one and send again, once.
          if (response.status === 401 && !refreshed && this.#auth.unauthorized(sent)) continue;
          if (response.status >= 200 && response.status < 300) return response;
          throw clickHouseResponseError(operation, response, { nowMs: this.#clock.now(), outcomeUnknown: !options.idempotent });
        }
      },
      {
        ...this.#retry,
        random: this.#random,
        sleep: this.#sleep,
        isRetryable: (error) => shouldRepeatCall(error, options.idempotent),
        retryAfterMs: (error) => (error instanceof ProviderHttpError ? error.retryAfterMs : undefined),
      },
    );
  }

  #parse<T>(operation: ClickHouseOperation, response: HttpResponse, schema: z.ZodType<T>, idempotent: boolean): T {
    const parsed = schema.safeParse(response.json ?? {});
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues
      .slice(0, 3)
      .map((issue) => (issue.path.length > 0 ? issue.path.join('.') : '(body)'))
      .join(', ');
    throw new ProviderHttpError({
      provider: CLICKHOUSE_PROVIDER,
      operation,
      kind: 'unavailable',
      status: response.status,
      detail: `the response does not have the shape the API reference describes (${where})`,
      outcomeUnknown: !idempotent,
    });
  }
}

/** Metric outcome of a response: gateway throttling and busy tasks are reported in bodies. */
function clickHouseOutcome(response: HttpResponse): RequestOutcome {
  const code = readErrorBody(response.json).code;
  if (code === CH_ERROR_CODES.gatewayThrottled) return 'throttled';
  if (code === CH_ERROR_CODES.replicationBusy) return 'busy';
  return outcomeForStatus(response.status);
}
