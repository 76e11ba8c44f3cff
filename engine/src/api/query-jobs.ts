import type { BatchQueryRequest, ListJobsRequest } from '../../../controller/src/providers/huawei-drs/schemas.ts';
import { drsError } from '../drs-errors.ts';
import type { JobRecord } from '../job.ts';
import type { ApiContext, ApiResponse } from './api-context.ts';
import { visibleTo } from './item-op.ts';
import { pageOf } from './paging.ts';
import { detailView, listView, precheckResultView, progressView } from './views.ts';

/**
 * Read-only calls: 4.1.22 batch-status, 4.1.21 batch-detail, 4.1.19 batch-progress,
 * 4.1.7 batch-precheck-result, 4.1.20 list. Unknown IDs answer DRS.M00289 ("Missing query
 * result") per item; deleted tasks DRS.M05004 — except batch-status, which reports the
 * DELETED status itself, and batch-detail, which answers HTTP 400 when none of the requested
 * tasks exists any more (lifecycle reference: "batch-detail returns HTTP 400 with
 * results[0].error_code DRS.M00289 or DRS.M05004 for jobs that are gone").
 */

type Lookup = { kind: 'found'; job: JobRecord } | { kind: 'missing' } | { kind: 'deleted'; job: JobRecord };

function lookup(api: ApiContext, id: string): Lookup {
  const job = api.runtime.get(id);
  if (!job || !visibleTo(api, job)) return { kind: 'missing' };
  return job.status === 'DELETED' ? { kind: 'deleted', job } : { kind: 'found', job };
}

/** 4.1.22 → 200 `{results: [{id, status}], count}`; count is the number of requested tasks. */
export function jobStatuses(api: ApiContext, request: BatchQueryRequest): ApiResponse {
  const page = pageOf(request.jobs, request.page_req);
  if (!page.ok) return { status: 400, body: page.error };
  const results = page.items.map((id) => {
    const found = lookup(api, id);
    if (found.kind === 'missing') return { id, ...goneError('DRS.M00289', id) };
    return { id, status: found.job.status };
  });
  return { status: 200, body: { results, count: request.jobs.length } };
}

/** 4.1.21 → 200 `{results: [detail], count}`, or 400 when every requested task is gone. */
export function jobDetails(api: ApiContext, request: BatchQueryRequest): ApiResponse {
  const page = pageOf(request.jobs, request.page_req);
  if (!page.ok) return { status: 400, body: page.error };
  let gone = 0;
  const results = page.items.map((id) => {
    const found = lookup(api, id);
    if (found.kind === 'found') return detailView(found.job);
    gone += 1;
    return { id, ...goneError(found.kind === 'missing' ? 'DRS.M00289' : 'DRS.M05004', id) };
  });
  const status = results.length > 0 && gone === results.length ? 400 : 200;
  return { status, body: { results, count: request.jobs.length } };
}

/** 4.1.19 → 200 `{results: [progress], count}`. */
export function jobProgress(api: ApiContext, ids: readonly string[]): ApiResponse {
  const now = api.clock.now();
  const results = ids.map((id) => {
    const found = lookup(api, id);
    if (found.kind !== 'found') {
      return { job_id: id, ...drsError(found.kind === 'missing' ? 'DRS.M00289' : 'DRS.M05004', found.kind === 'missing' ? id : undefined) };
    }
    return progressView(found.job, api.executor.progress(found.job, now), now);
  });
  return { status: 200, body: { results, count: results.length } };
}

/** 4.1.7 → 200. A task never pre-checked answers DRS.M00002 ("The returned result is empty"). */
export function precheckResults(api: ApiContext, ids: readonly string[]): ApiResponse {
  const now = api.clock.now();
  const results = ids.map((id) => {
    const found = lookup(api, id);
    if (found.kind === 'missing') return { precheck_id: id, ...drsError('DRS.M00289', id) };
    if (found.kind === 'deleted') return { precheck_id: id, ...drsError('DRS.M05004') };
    const job = found.job;
    if (!job.precheck) return { precheck_id: id, ...drsError('DRS.M00002', 'no pre-check has been run for this task') };
    return precheckResultView(job, api.executor.precheckProgress(job, now));
  });
  return { status: 200, body: { results, count: results.length } };
}

/**
 * 4.1.20 POST /jobs → 200 `{total_record, jobs}`, newest first. Filters: db_use_type
 * (required), engine_type (absent means the documented default "mysql"; "" means any),
 * net_type, status, name (case-insensitive substring of the name, or up to 100 comma-separated
 * task IDs), instance_ids, instance_ip. Deleted tasks are listed only when status=DELETED is
 * asked for. Paging: cur_page 0 or per_page 0 = everything.
 */
export function listJobs(api: ApiContext, request: ListJobsRequest): ApiResponse {
  const engineType = request.engine_type === undefined ? 'mysql' : request.engine_type;
  const nameFilter = parseNameFilter(api, request.name ?? '');
  if (nameFilter.kind === 'error') return { status: 400, body: drsError('DRS.M00202', 'name (at most 100 task IDs)') };
  if (request.per_page === 0 && request.cur_page > 1) return { status: 400, body: drsError('DRS.M00210', 'cur_page must be 0 or 1 when per_page is 0') };

  const matching: JobRecord[] = [];
  for (const job of api.runtime.store.all()) {
    if (!visibleTo(api, job)) continue;
    if (job.dbUseType !== request.db_use_type) continue;
    if (engineType !== '' && job.engineType !== engineType) continue;
    if (request.net_type && job.netType !== request.net_type) continue;
    if (request.status ? job.status !== request.status : job.status === 'DELETED') continue;
    if (!nameFilter.matches(job)) continue;
    if (request.instance_ids && request.instance_ids.length > 0) {
      const instances = [job.source.inst_id, job.target.inst_id];
      if (!request.instance_ids.some((id) => instances.includes(id))) continue;
    }
    if (request.instance_ip && job.source.ip !== request.instance_ip && job.target.ip !== request.instance_ip) continue;
    matching.push(job);
  }
  matching.sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  let pageJobs = matching;
  if (request.cur_page > 0 && request.per_page > 0) {
    const start = (request.cur_page - 1) * request.per_page;
    pageJobs = matching.slice(start, start + request.per_page);
  }
  return { status: 200, body: { total_record: matching.length, jobs: pageJobs.map(listView) } };
}

type NameFilter = { kind: 'ok'; matches: (job: JobRecord) => boolean } | { kind: 'error' };

function parseNameFilter(api: ApiContext, name: string): NameFilter {
  const text = name.trim();
  if (text === '') return { kind: 'ok', matches: () => true };
  const tokens = text.split(',').map((token) => token.trim()).filter((token) => token !== '');
  const first = tokens[0] === undefined ? undefined : api.runtime.get(tokens[0]);
  const allIds = tokens.length > 1 || (first !== undefined && visibleTo(api, first));
  if (allIds) {
    if (tokens.length > 100) return { kind: 'error' };
    const ids = new Set(tokens);
    return { kind: 'ok', matches: (job) => ids.has(job.id) };
  }
  const needle = text.toLowerCase();
  return { kind: 'ok', matches: (job) => job.name.toLowerCase().includes(needle) || job.id === text };
}

/** batch-status / batch-detail errors use error_message, not error_msg (Tables 4-157, 4-179). */
function goneError(code: 'DRS.M00289' | 'DRS.M05004', id: string): { error_code: string; error_message: string } {
  const error = drsError(code, code === 'DRS.M00289' ? id : undefined);
  return { error_code: error.error_code, error_message: error.error_msg };
}
