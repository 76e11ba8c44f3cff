import { z } from 'zod';
import { ProviderHttpError } from '../http/errors.ts';
import type { HttpResponse } from '../http/http-client.ts';
import { fullJitterDelay } from '../http/retry.ts';
import { HuaweiApiCaller, isSuccess, type HuaweiClientOptions } from '../huawei/api-caller.ts';
import { unexpectedShapeError } from '../huawei/errors.ts';
import { MAX_BATCH_SIZE, chunk, matchResults, stringField } from './batch.ts';
import { DRS_ENDPOINTS, type DrsOperation } from './endpoints.ts';
import { DRS_ERROR_DIALECT, DRS_PROVIDER, isGoneCode, isGoneQueryResponse, isWholeCallBusy, readErrorBody, resultsOf } from './errors.ts';
import { ITEM_FAILURE_CODES, callFailure, itemFailure, providerItemFailure, type ItemFailure, type ItemOutcome } from './outcomes.ts';
import {
  ActionResult,
  ConnectionTestItem,
  ConnectionTestResult,
  CreateJobItem,
  CreateJobResult,
  DRS_ERROR_CODES,
  DeleteJobItem,
  JobDetail,
  JobProgress,
  JobStatusResult,
  ListJobsRequest,
  ListJobsResponse,
  ModifyJobItem,
  ModifyPasswordItem,
  ModifyPasswordResult,
  PauseJobItem,
  PrecheckItem,
  PrecheckResult,
  PrecheckStartResult,
  RetryJobItem,
  SelectObjectsItem,
  SelectObjectsResult,
  SpeedLimitItem,
  StartJobItem,
  SyncPolicyItem,
  type DbUseType,
  type EngineType,
  type DrsJobStatus,
  type EndPointType,
  type ListedJob,
} from './schemas.ts';

/**
 * Endpoint: the regional DRS endpoint, e.g. https://drs.ap-southeast-1.myhuaweicloud.com.
 * retry.maxAttempts also bounds the rounds for items answered busy.
 */
export type DrsClientOptions = HuaweiClientOptions;

/** Identifies an item in outcomes. */
export type JobKey = { jobId: string };
export type EndpointKey = { jobId: string; endPointType: EndPointType };

export type CreateOutcome = ItemOutcome<{ name: string }, { id: string; status?: DrsJobStatus; childIds?: string[]; createTime?: string }>;
export type ConnectionOutcome = ItemOutcome<EndpointKey>;
export type ActionOutcome = ItemOutcome<JobKey>;
export type PasswordOutcome = ItemOutcome<EndpointKey>;
export type PrecheckStartOutcome = ItemOutcome<JobKey, { precheckId: string }>;
export type PrecheckResultOutcome = ItemOutcome<JobKey, { result: PrecheckResult }>;
export type StatusOutcome = ItemOutcome<JobKey, { status: DrsJobStatus; result: JobStatusResult }>;
export type DetailOutcome = ItemOutcome<JobKey, { detail: JobDetail }>;
export type ProgressOutcome = ItemOutcome<JobKey, { progress: JobProgress }>;

/** Most list pages findJobsByName reads (100 jobs each) before giving up on an over-broad name. */
const MAX_LIST_PAGES = 20;

type Decoded<T> = { ok: true; value: T } | ItemFailure;

interface BatchSpec<I, K, R, T> {
  operation: DrsOperation;
  items: readonly I[];
  itemSchema: z.ZodType;
  body: (items: I[]) => unknown;
  key: (item: I) => K;
  /** Matches request items to response entries. */
  requestKey: (item: I) => string;
  resultKey: (entry: unknown) => string | undefined;
  resultSchema: z.ZodType<R>;
  interpret: (entry: R, item: I) => Decoded<T>;
  /** Queries: a missing entry means the job is gone, and a 400 naming a gone job is split up. */
  query: boolean;
  /** False for creation: never repeated when the first attempt may have been processed. */
  idempotent: boolean;
}

/**
 * The Huawei Cloud DRS v3 API for one account (endpoint + project + credentials). Every method
 * takes a batch, sends it in calls of at most 100 items, and returns one outcome per item, in
 * input order: `{ ok: true, ... }` or `{ ok: false, code, message, retryable, gone }`. A failed
 * item never throws. Methods throw ProviderHttpError only when a whole call fails (after
 * retrying throttling, busy, 5xx and timeouts with jittered backoff); when a batch spans several
 * calls and only some fail, their items become failures instead. Creation is never repeated
 * after a timeout or 5xx (its outcome is unknown): the error says so, and the caller looks the
 * job up by name (findJobsByName).
 */
export class DrsClient {
  readonly #api: HuaweiApiCaller;

  constructor(options: DrsClientOptions) {
    this.#api = new HuaweiApiCaller(options, DRS_ERROR_DIALECT);
  }

  // ---- creation and configuration ------------------------------------------------------------

  /** batch-creation. Items are keyed by name; a name clash comes back as DRS.M00277. */
  createJobs(jobs: readonly CreateJobItem[]): Promise<CreateOutcome[]> {
    return this.#batch({
      operation: 'batch-creation',
      items: jobs,
      itemSchema: CreateJobItem,
      body: (items) => ({ jobs: items }),
      key: (item) => ({ name: item.name }),
      requestKey: (item) => item.name,
      resultKey: (entry) => stringField(entry, 'name'),
      resultSchema: CreateJobResult,
      interpret: (entry) => {
        if (!entry.id) return itemFailure(ITEM_FAILURE_CODES.invalidResult, 'batch-creation answered without a job ID; look the job up by name before creating it again', { retryable: true });
        const value: { id: string; status?: DrsJobStatus; childIds?: string[]; createTime?: string } = { id: entry.id };
        if (entry.status) value.status = entry.status;
        if (entry.child_ids) value.childIds = entry.child_ids;
        if (entry.create_time) value.createTime = entry.create_time;
        return { ok: true, value };
      },
      query: false,
      idempotent: false,
    });
  }

  /** batch-connection: one entry per endpoint (so and ta). Passes only with success:true. */
  testConnections(entries: readonly ConnectionTestItem[]): Promise<ConnectionOutcome[]> {
    return this.#batch({
      operation: 'batch-connection',
      items: entries,
      itemSchema: ConnectionTestItem,
      body: (items) => ({ jobs: items }),
      key: (item) => ({ jobId: item.id, endPointType: item.end_point_type }),
      requestKey: (item) => item.id,
      resultKey: (entry) => stringField(entry, 'id'),
      resultSchema: ConnectionTestResult,
      interpret: (entry) =>
        entry.success === false || entry.status === 'failed'
          ? itemFailure(ITEM_FAILURE_CODES.failed, 'the connection test failed without an error code; check network, whitelist and credentials of the database', { retryable: true })
          : { ok: true, value: {} },
      query: false,
      idempotent: true,
    });
  }

  /** batch-modification (name, description, alarms; after a connection test, the full job). */
  modifyJobs(jobs: readonly ModifyJobItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-modification', jobs, ModifyJobItem, (items) => ({ jobs: items }));
  }

  /** batch-select-objects. Results are keyed by job_id and carry a boolean status. */
  selectObjects(jobs: readonly SelectObjectsItem[]): Promise<ActionOutcome[]> {
    return this.#batch({
      operation: 'batch-select-objects',
      items: jobs,
      itemSchema: SelectObjectsItem,
      body: (items) => ({ jobs: items }),
      key: (item) => ({ jobId: item.job_id }),
      requestKey: (item) => item.job_id,
      resultKey: (entry) => stringField(entry, 'job_id'),
      resultSchema: SelectObjectsResult,
      interpret: (entry) =>
        entry.status === false
          ? itemFailure(ITEM_FAILURE_CODES.failed, 'batch-select-objects refused the selection without an error code', { retryable: true })
          : { ok: true, value: {} },
      query: false,
      idempotent: true,
    });
  }

  /** batch-sync-policy (synchronization jobs). */
  setSyncPolicies(jobs: readonly SyncPolicyItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-sync-policy', jobs, SyncPolicyItem, (items) => ({ jobs: items }));
  }

  /** batch-limit-speed. An empty speed_limit removes the limit. */
  limitSpeeds(limits: readonly SpeedLimitItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-limit-speed', limits, SpeedLimitItem, (items) => ({ speed_limits: items }));
  }

  /** batch-modify-pwd: one entry per endpoint whose password changed. */
  modifyPasswords(entries: readonly ModifyPasswordItem[]): Promise<PasswordOutcome[]> {
    return this.#batch({
      operation: 'batch-modify-pwd',
      items: entries,
      itemSchema: ModifyPasswordItem,
      body: (items) => ({ jobs: items }),
      key: (item) => ({ jobId: item.job_id, endPointType: item.end_point_type }),
      requestKey: (item) => `${item.job_id}/${item.end_point_type}`,
      resultKey: (entry) => {
        const id = stringField(entry, 'id');
        const endPoint = stringField(entry, 'end_point_type');
        return id && endPoint ? `${id}/${endPoint}` : undefined;
      },
      resultSchema: ModifyPasswordResult,
      interpret: (entry) => statusResult(entry.status, 'batch-modify-pwd'),
      query: false,
      idempotent: true,
    });
  }

  // ---- pre-check and lifecycle -----------------------------------------------------------

  /** batch-precheck (forStartJob, or forRetryJob before retrying a failed job). */
  startPrechecks(jobs: readonly PrecheckItem[]): Promise<PrecheckStartOutcome[]> {
    return this.#batch({
      operation: 'batch-precheck',
      items: jobs,
      itemSchema: PrecheckItem,
      body: (items) => ({ jobs: items }),
      key: (item) => ({ jobId: item.job_id }),
      requestKey: (item) => item.job_id,
      resultKey: (entry) => stringField(entry, 'id'),
      resultSchema: PrecheckStartResult,
      interpret: (entry, item) => {
        const status = statusResult(entry.status, 'batch-precheck');
        return status.ok ? { ok: true, value: { precheckId: entry.precheck_id || entry.id || item.job_id } } : status;
      },
      query: false,
      idempotent: true,
    });
  }

  /** batch-precheck-result by job ID. Still running while process != "100%"; passed when result is true. */
  getPrecheckResults(jobIds: readonly string[]): Promise<PrecheckResultOutcome[]> {
    return this.#query('batch-precheck-result', jobIds, (ids) => ({ jobs: ids }), 'precheck_id', PrecheckResult, (entry) => ({ ok: true, value: { result: entry } }));
  }

  /** batch-starting. An absent or empty start_time starts now. */
  startJobs(jobs: readonly StartJobItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-starting', jobs, StartJobItem, (items) => ({ jobs: items }));
  }

  /** batch-retry-task: resumes a paused job, retries a failed one (is_sync_re_edit true). */
  retryJobs(jobs: readonly RetryJobItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-retry-task', jobs, RetryJobItem, (items) => ({ jobs: items }));
  }

  /** batch-pause-task. */
  pauseJobs(jobs: readonly PauseJobItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-pause-task', jobs, PauseJobItem, (items) => ({ jobs: items }));
  }

  /**
   * DELETE batch-jobs: terminate / force_terminate stop a job, delete removes a stopped one.
   * A job that is already gone comes back as `gone` (the desired end state of a delete).
   */
  deleteJobs(jobs: readonly DeleteJobItem[]): Promise<ActionOutcome[]> {
    return this.#action('batch-jobs', jobs, DeleteJobItem, (items) => ({ jobs: items }));
  }

  // ---- observation -------------------------------------------------------------------------

  /** batch-status. A job whose status is DELETED, or that the answer leaves out, is `gone`. */
  getStatuses(jobIds: readonly string[]): Promise<StatusOutcome[]> {
    return this.#query('batch-status', jobIds, pagedQuery, 'id', JobStatusResult, (entry) => {
      if (!entry.status) return itemFailure(ITEM_FAILURE_CODES.invalidResult, 'batch-status answered without a status for this job', { retryable: true });
      if (entry.status === 'DELETED') return deletedFailure();
      return { ok: true, value: { status: entry.status, result: entry } };
    });
  }

  /** batch-detail. Gone jobs (400 with DRS.M00289 / DRS.M05004, status DELETED, left out) are `gone`. */
  getDetails(jobIds: readonly string[]): Promise<DetailOutcome[]> {
    return this.#query('batch-detail', jobIds, pagedQuery, 'id', JobDetail, (entry) =>
      entry.status === 'DELETED' ? deletedFailure() : { ok: true, value: { detail: entry } },
    );
  }

  /** batch-progress: progress, incremental delay, and the struct/data/index progress map. */
  getProgress(jobIds: readonly string[]): Promise<ProgressOutcome[]> {
    return this.#query('batch-progress', jobIds, (ids) => ({ jobs: ids }), 'job_id', JobProgress, (entry) => ({ ok: true, value: { progress: entry } }));
  }

  /** POST /v3/{project_id}/jobs: one page of the tenant's jobs. Throws on failure. */
  async listJobs(request: ListJobsRequest): Promise<ListJobsResponse> {
    const checked = ListJobsRequest.safeParse(request);
    if (!checked.success) throw this.#invalidRequest('list-jobs', checked.error);
    const response = await this.#call('list-jobs', request, { idempotent: true, query: false });
    const parsed = ListJobsResponse.safeParse(response.json);
    if (!parsed.success) throw this.#unexpectedResponse('list-jobs', response, true);
    return parsed.data;
  }

  /**
   * Jobs named exactly `name` (the list filter also matches parts of names), across pages: how
   * a create whose answer was lost is found again. Includes DELETED jobs; the caller decides.
   */
  /**
   * Jobs named exactly `name`. The list API filters by engine_type and defaults it to mysql when
   * absent (4.1.20), so the engine must be sent or non-MySQL jobs are never found.
   */
  async findJobsByName(name: string, dbUseType: DbUseType, engineType: EngineType): Promise<ListedJob[]> {
    const found: ListedJob[] = [];
    for (let page = 1; page <= MAX_LIST_PAGES; page += 1) {
      const response = await this.listJobs({ cur_page: page, per_page: MAX_BATCH_SIZE, db_use_type: dbUseType, engine_type: engineType, name });
      found.push(...response.jobs.filter((job) => job.name === name));
      const total = response.total_record ?? 0;
      if (response.jobs.length < MAX_BATCH_SIZE || page * MAX_BATCH_SIZE >= total) return found;
    }
    throw new ProviderHttpError({
      provider: DRS_PROVIDER,
      operation: 'list-jobs',
      kind: 'unavailable',
      detail: `more than ${MAX_LIST_PAGES * MAX_BATCH_SIZE} jobs match the name filter`,
    });
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.#api.close();
  }

  // ---- machinery -----------------------------------------------------------------------------

  #action<I extends { job_id: string }>(operation: DrsOperation, items: readonly I[], itemSchema: z.ZodType, body: (items: I[]) => unknown): Promise<ActionOutcome[]> {
    return this.#batch({
      operation,
      items,
      itemSchema,
      body,
      key: (item) => ({ jobId: item.job_id }),
      requestKey: (item) => item.job_id,
      resultKey: (entry) => stringField(entry, 'id'),
      resultSchema: ActionResult,
      interpret: (entry) => statusResult(entry.status, operation),
      query: false,
      idempotent: true,
    });
  }

  /** Query by job IDs: duplicates are sent once (DRS refuses them, DRS.M00301) and fanned back out. */
  async #query<R, T>(
    operation: DrsOperation,
    jobIds: readonly string[],
    body: (ids: string[]) => unknown,
    resultField: string,
    resultSchema: z.ZodType<R>,
    interpret: (entry: R, jobId: string) => Decoded<T>,
  ): Promise<ItemOutcome<JobKey, T>[]> {
    const unique = [...new Set(jobIds)];
    const outcomes = await this.#batch<string, JobKey, R, T>({
      operation,
      items: unique,
      itemSchema: JOB_ID,
      body,
      key: (jobId) => ({ jobId }),
      requestKey: (jobId) => jobId,
      resultKey: (entry) => stringField(entry, resultField),
      resultSchema,
      interpret,
      query: true,
      idempotent: true,
    });
    const byId = new Map(unique.map((jobId, index) => [jobId, outcomes[index]!]));
    return jobIds.map((jobId) => byId.get(jobId)!);
  }

  async #batch<I, K, R, T>(spec: BatchSpec<I, K, R, T>): Promise<ItemOutcome<K, T>[]> {
    const outcomes: (ItemOutcome<K, T> | undefined)[] = new Array(spec.items.length);
    let pending: number[] = [];
    spec.items.forEach((item, index) => {
      const checked = spec.itemSchema.safeParse(item);
      if (checked.success) pending.push(index);
      else outcomes[index] = { ...spec.key(item), ...itemFailure(ITEM_FAILURE_CODES.invalidRequest, `refused before sending: ${describeIssues(checked.error)}`, { retryable: false }) };
    });

    // Items answered busy (DRS.M01504) are sent again, alone, after a jittered wait.
    const { retry, sleep, random } = this.#api.settings;
    for (let round = 1; pending.length > 0; round += 1) {
      const decoded = await this.#sendChunks(spec, pending, round === 1);
      const busy: number[] = [];
      for (const [index, result] of decoded) {
        if (!result.ok && result.code === DRS_ERROR_CODES.busy && round < retry.maxAttempts) busy.push(index);
        else outcomes[index] = result.ok ? { ...spec.key(spec.items[index]!), ok: true, ...result.value } : { ...spec.key(spec.items[index]!), ...result };
      }
      if (busy.length > 0) await sleep(fullJitterDelay(round, retry.baseMs, retry.maxMs, random));
      pending = busy;
    }
    return outcomes as ItemOutcome<K, T>[];
  }

  /**
   * Sends the items in calls of at most 100. If every call fails on the first round, the error is
   * thrown (a whole-call failure); otherwise the items of failed calls become item failures.
   */
  async #sendChunks<I, K, R, T>(spec: BatchSpec<I, K, R, T>, indexes: number[], mayThrow: boolean): Promise<Map<number, Decoded<T>>> {
    const chunks = chunk(indexes);
    const settled = await Promise.allSettled(chunks.map((part) => this.#sendChunk(spec, part)));
    const failures = settled.filter((result) => result.status === 'rejected');
    if (mayThrow && failures.length === settled.length) throw failures[0]!.reason;
    const decoded = new Map<number, Decoded<T>>();
    settled.forEach((result, position) => {
      if (result.status === 'fulfilled') {
        for (const [index, value] of result.value) decoded.set(index, value);
        return;
      }
      const error = result.reason instanceof ProviderHttpError ? result.reason : undefined;
      if (!error) throw result.reason;
      for (const index of chunks[position]!) decoded.set(index, callFailure(error));
    });
    return decoded;
  }

  async #sendChunk<I, K, R, T>(spec: BatchSpec<I, K, R, T>, indexes: number[]): Promise<Map<number, Decoded<T>>> {
    const items = indexes.map((index) => spec.items[index]!);
    const response = await this.#call(spec.operation, spec.body(items), { idempotent: spec.idempotent, query: spec.query });
    if (spec.query && response.status >= 400) return this.#splitGone(spec, indexes, response);

    const entries = resultsOf(response.json);
    if (!entries) throw this.#unexpectedResponse(spec.operation, response, spec.idempotent);
    const matched = matchResults(items.map(spec.requestKey), entries, spec.resultKey);
    const decoded = new Map<number, Decoded<T>>();
    indexes.forEach((index, position) => {
      const entry = matched[position];
      decoded.set(index, entry === undefined ? this.#missing(spec) : this.#decode(spec, entry, items[position]!));
    });
    return decoded;
  }

  /**
   * A query answered 400 because some of its IDs are gone. Entries that name a gone job settle
   * those; the rest are asked again. Without such entries, the chunk is halved until the gone
   * jobs stand alone (a single ID answered this way is gone).
   */
  async #splitGone<I, K, R, T>(spec: BatchSpec<I, K, R, T>, indexes: number[], response: HttpResponse): Promise<Map<number, Decoded<T>>> {
    const decoded = new Map<number, Decoded<T>>();
    const goneCode = (entry: unknown) => readErrorBody(entry).code;
    if (indexes.length === 1) {
      const entry = resultsOf(response.json)?.[0];
      const { code, message } = readErrorBody(entry ?? response.json);
      decoded.set(indexes[0]!, providerItemFailure(code ?? DRS_ERROR_CODES.missingQueryResult, message));
      return decoded;
    }
    const byKey = new Map<string, unknown>();
    for (const entry of resultsOf(response.json) ?? []) {
      const key = spec.resultKey(entry) ?? stringField(entry, 'id');
      if (key !== undefined && isGoneCode(goneCode(entry))) byKey.set(key, entry);
    }
    const rest: number[] = [];
    for (const index of indexes) {
      const entry = byKey.get(spec.requestKey(spec.items[index]!));
      if (entry === undefined) rest.push(index);
      else decoded.set(index, providerItemFailure(goneCode(entry)!, readErrorBody(entry).message));
    }
    const half = Math.ceil(rest.length / 2);
    const parts = rest.length < indexes.length ? [rest] : [rest.slice(0, half), rest.slice(half)];
    const answers = await Promise.all(parts.filter((part) => part.length > 0).map((part) => this.#sendChunk(spec, part)));
    for (const answer of answers) for (const [index, value] of answer) decoded.set(index, value);
    return decoded;
  }

  #decode<I, K, R, T>(spec: BatchSpec<I, K, R, T>, entry: unknown, item: I): Decoded<T> {
    const { code, message } = readErrorBody(entry);
    if (code) return providerItemFailure(code, message);
    const parsed = spec.resultSchema.safeParse(entry);
    if (!parsed.success) {
      return itemFailure(ITEM_FAILURE_CODES.invalidResult, `the ${spec.operation} answer for this item does not match the API reference (${describeIssues(parsed.error)})`, { retryable: true });
    }
    return spec.interpret(parsed.data, item);
  }

  #missing<I, K, R, T>(spec: BatchSpec<I, K, R, T>): ItemFailure {
    return spec.query
      ? itemFailure(ITEM_FAILURE_CODES.missingResult, `${spec.operation} did not return this job; it no longer exists`, { retryable: false, gone: true })
      : itemFailure(ITEM_FAILURE_CODES.noResult, `${spec.operation} answered without a result for this job; its outcome is unknown, re-read the job before repeating`, { retryable: true });
  }

  /**
   * One logical call (rate-limited, authenticated, retried: HuaweiApiCaller). Resolves with a 2xx
   * response, or with a 4xx naming a gone job for queries; a 2xx that refuses the whole call as
   * busy (202 + DRS.M01504) is a failure, retried like a 5xx.
   */
  #call(operation: DrsOperation, json: unknown, options: { idempotent: boolean; query: boolean }): Promise<HttpResponse> {
    return this.#api.call({
      operation,
      route: DRS_ENDPOINTS[operation],
      json,
      idempotent: options.idempotent,
      accept: (response) => (isSuccess(response) ? !isWholeCallBusy(response) : options.query && isGoneQueryResponse(response)),
    });
  }

  #invalidRequest(operation: string, error: z.ZodError): ProviderHttpError {
    return new ProviderHttpError({ provider: DRS_PROVIDER, operation, kind: 'invalid', detail: `refused before sending: ${describeIssues(error)}` });
  }

  #unexpectedResponse(operation: string, response: HttpResponse, idempotent: boolean): ProviderHttpError {
    return unexpectedShapeError(DRS_PROVIDER, operation, response, idempotent);
  }
}

/** A job ID in a query list. */
const JOB_ID = z.string().min(1);

/** batch-status and batch-detail page their answer, 5 per page by default: ask for the whole chunk. */
function pagedQuery(ids: string[]): unknown {
  return { jobs: ids, page_req: { cur_page: 1, per_page: ids.length } };
}

function statusResult(status: string | null | undefined, operation: string): Decoded<object> {
  return status === 'failed'
    ? itemFailure(ITEM_FAILURE_CODES.failed, `${operation} reported this job as failed without an error code`, { retryable: true })
    : { ok: true, value: {} };
}

function deletedFailure(): ItemFailure {
  return itemFailure(ITEM_FAILURE_CODES.deleted, 'the job has been deleted', { retryable: false, gone: true });
}

/** Which fields are wrong and why: paths and rules only, never the values (they may be passwords). */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(item)'}: ${issue.message}`)
    .join('; ');
}

