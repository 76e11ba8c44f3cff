import { z } from 'zod';
import {
  BatchConnectionRequest,
  BatchDetailRequest,
  BatchJobsDeleteRequest,
  BatchLimitSpeedRequest,
  BatchModificationRequest,
  BatchModifyPwdRequest,
  BatchPauseTaskRequest,
  BatchPrecheckRequest,
  BatchPrecheckResultRequest,
  BatchProgressRequest,
  BatchRetryTaskRequest,
  BatchSelectObjectsRequest,
  BatchStartingRequest,
  BatchStatusRequest,
  BatchSyncPolicyRequest,
  ListJobsRequest,
} from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { drsError, type DrsError } from '../drs-errors.ts';
import type { ApiContext, ApiResponse } from './api-context.ts';
import { limitSpeeds, modifyJobs, modifyPasswords, selectObjects, setSyncPolicies, testConnections } from './configure-jobs.ts';
import { createJobs } from './create-jobs.ts';
import { jobDetails, jobProgress, jobStatuses, listJobs, precheckResults } from './query-jobs.ts';
import { deleteJobs, pauseJobs, retryJobs, startJobs, startPrechecks } from './run-jobs.ts';
import { firstDuplicate, validate } from './validation.ts';

/**
 * The DRS v3 operations the engine serves: `POST|PUT|DELETE /v3/{project_id}/jobs/<action>`
 * and the list `POST /v3/{project_id}/jobs`. Each route names its endpoint (the stats and fault
 * label, same names as the client's DRS_ENDPOINTS), validates the body with the shared schema,
 * rejects oversized batches and duplicate task IDs (DRS.M00301), and calls its handler.
 */
export interface DrsRoute {
  endpoint: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Path after /v3/{project_id}/jobs ('' for the list). */
  action: string;
  /** Changes tasks (busy faults apply). */
  mutating: boolean;
  handle(api: ApiContext, projectId: string, body: unknown): Promise<RouteAnswer>;
}

export interface RouteAnswer extends ApiResponse {
  /** Batch items the call carried (for stats). */
  items: number;
}

/** Largest batch: the API's page/ID limits are 100; connection and password calls carry two entries per task. */
const MAX_ITEMS = 100;
const MAX_ENDPOINT_ITEMS = 200;

type Keyed = { list: readonly unknown[]; key: (item: never) => string; max: number };

function route<S extends z.ZodType>(
  endpoint: string,
  method: DrsRoute['method'],
  action: string,
  mutating: boolean,
  schema: S,
  items: (value: z.output<S>) => Keyed,
  handle: (api: ApiContext, value: z.output<S>, projectId: string) => ApiResponse | Promise<ApiResponse>,
): DrsRoute {
  return {
    endpoint,
    method,
    action,
    mutating,
    async handle(api, projectId, body) {
      // ID lists are checked for duplicates before the schema (which may refuse them less precisely).
      const repeated = repeatedId(body);
      if (repeated !== undefined) return answer(400, drsError('DRS.M00301', `task IDs (${repeated})`), countOf(body));
      const parsed = validate(schema, body);
      if (!parsed.ok) return answer(400, parsed.error, countOf(body));
      const keyed = items(parsed.value);
      const problem = batchProblem(keyed);
      if (problem) return answer(400, problem, keyed.list.length);
      const response = await handle({ ...api, projectId }, parsed.value, projectId);
      return { ...response, items: keyed.list.length };
    },
  };
}

const byJobId = (list: ReadonlyArray<{ job_id: string }>, max = MAX_ITEMS): Keyed => ({
  list,
  key: (item: { job_id: string }) => item.job_id,
  max,
});
const byId = (list: readonly string[]): Keyed => ({ list, key: (id: string) => id, max: MAX_ITEMS });

/** batch-creation validates item by item (a bad item must not sink the others). */
const CreationEnvelope = z.object({ jobs: z.array(z.unknown()).min(1) });

export const DRS_ROUTES: readonly DrsRoute[] = [
  route('batch-creation', 'POST', '/batch-creation', true, CreationEnvelope, (v) => ({ list: v.jobs, key: () => '', max: MAX_ITEMS }), (api, v, projectId) =>
    createJobs(api, projectId, v.jobs),
  ),
  route(
    'batch-connection',
    'POST',
    '/batch-connection',
    true,
    BatchConnectionRequest,
    (v) => ({ list: v.jobs, key: (item: { id: string; end_point_type: string }) => `${item.id}/${item.end_point_type}`, max: MAX_ENDPOINT_ITEMS }),
    (api, v) => testConnections(api, v.jobs),
  ),
  route('batch-modification', 'PUT', '/batch-modification', true, BatchModificationRequest, (v) => byJobId(v.jobs), (api, v) => modifyJobs(api, v.jobs)),
  route('batch-select-objects', 'PUT', '/batch-select-objects', true, BatchSelectObjectsRequest, (v) => byJobId(v.jobs), (api, v) =>
    selectObjects(api, v.jobs),
  ),
  route('batch-sync-policy', 'POST', '/batch-sync-policy', true, BatchSyncPolicyRequest, (v) => byJobId(v.jobs), (api, v) =>
    setSyncPolicies(api, v.jobs),
  ),
  route('batch-limit-speed', 'PUT', '/batch-limit-speed', true, BatchLimitSpeedRequest, (v) => byJobId(v.speed_limits), (api, v) =>
    limitSpeeds(api, v.speed_limits),
  ),
  route('batch-precheck', 'POST', '/batch-precheck', true, BatchPrecheckRequest, (v) => byJobId(v.jobs), (api, v) => startPrechecks(api, v.jobs)),
  route('batch-precheck-result', 'POST', '/batch-precheck-result', false, BatchPrecheckResultRequest, (v) => byId(v.jobs), (api, v) =>
    precheckResults(api, v.jobs),
  ),
  route('batch-starting', 'POST', '/batch-starting', true, BatchStartingRequest, (v) => byJobId(v.jobs), (api, v) => startJobs(api, v.jobs)),
  route('batch-retry-task', 'POST', '/batch-retry-task', true, BatchRetryTaskRequest, (v) => byJobId(v.jobs), (api, v) => retryJobs(api, v.jobs)),
  route('batch-pause-task', 'POST', '/batch-pause-task', true, BatchPauseTaskRequest, (v) => byJobId(v.jobs), (api, v) => pauseJobs(api, v.jobs)),
  route('batch-jobs', 'DELETE', '/batch-jobs', true, BatchJobsDeleteRequest, (v) => byJobId(v.jobs), (api, v) => deleteJobs(api, v.jobs)),
  route(
    'batch-modify-pwd',
    'PUT',
    '/batch-modify-pwd',
    true,
    BatchModifyPwdRequest,
    (v) => ({ list: v.jobs, key: (item: { job_id: string; end_point_type: string }) => `${item.job_id}/${item.end_point_type}`, max: MAX_ENDPOINT_ITEMS }),
    (api, v) => modifyPasswords(api, v.jobs),
  ),
  route('batch-status', 'POST', '/batch-status', false, BatchStatusRequest, (v) => byId(v.jobs), (api, v) => jobStatuses(api, v)),
  route('batch-detail', 'POST', '/batch-detail', false, BatchDetailRequest, (v) => byId(v.jobs), (api, v) => jobDetails(api, v)),
  route('batch-progress', 'POST', '/batch-progress', false, BatchProgressRequest, (v) => byId(v.jobs), (api, v) => jobProgress(api, v.jobs)),
  route('list-jobs', 'POST', '', false, ListJobsRequest, () => ({ list: [], key: () => '', max: MAX_ITEMS }), (api, v) => listJobs(api, v)),
];

function batchProblem(keyed: Keyed): DrsError | undefined {
  if (keyed.list.length > keyed.max) return drsError('DRS.M00202', `jobs (at most ${keyed.max} items per call)`);
  const keys = keyed.list.map((item) => (keyed.key as (item: unknown) => string)(item)).filter((key) => key !== '');
  const duplicate = firstDuplicate(keys);
  return duplicate === undefined ? undefined : drsError('DRS.M00301', `task IDs (${duplicate})`);
}

function repeatedId(body: unknown): string | undefined {
  const jobs = (body as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(jobs) || !jobs.every((id) => typeof id === 'string')) return undefined;
  return firstDuplicate(jobs as string[]);
}

function answer(status: number, body: DrsError, items: number): RouteAnswer {
  return { status, body, items };
}

function countOf(body: unknown): number {
  const list = (body as { jobs?: unknown; speed_limits?: unknown } | null)?.jobs ?? (body as { speed_limits?: unknown } | null)?.speed_limits;
  return Array.isArray(list) ? list.length : 0;
}

/** Finds the route for a method and the path after /v3/{project_id}/jobs. */
export function findRoute(method: string, action: string): { route: DrsRoute } | { error: 'not-found' | 'method' } {
  const candidates = DRS_ROUTES.filter((candidate) => candidate.action === action);
  if (candidates.length === 0) return { error: 'not-found' };
  const match = candidates.find((candidate) => candidate.method === method);
  return match ? { route: match } : { error: 'method' };
}
