import type { IncomingMessage, ServerResponse } from 'node:http';
import { endpointView } from './api/views.ts';
import type { SimulatedExecutor } from './executors/simulated.ts';
import type { FaultInjector, FaultSettings } from './faults.ts';
import { parseJson, sendJson } from './http-util.ts';
import type { JobRuntime } from './job-runtime.ts';
import type { RequestStats } from './stats.ts';
import { isJobStatus } from './statuses.ts';

/**
 * The /_sim admin API (for test harnesses and the benchmark; no DRS signature, bind the engine
 * to loopback or set an admin token):
 *
 *   GET  /_sim/stats                    request counters by endpoint;  POST /_sim/stats/reset
 *   GET  /_sim/faults                   fault settings;  PUT|POST /_sim/faults merges;  DELETE resets
 *   GET  /_sim/jobs/{id}                the engine's view of a task (no secrets)
 *   simulated executor only:
 *   POST /_sim/jobs/{id}/fail           {status?, error_code?, error_msg?}  fail a task now
 *   POST /_sim/jobs/{id}/lag            {millis} or {seconds}  incremental delay it reports
 *   POST /_sim/precheck-outcome         {job_id?|name_pattern?, items: [{item, result, failed_reason?}] | null, once?}
 *   POST /_sim/connection-outcome       {job_id?|name_pattern?, end_point_type?, error_code | null, error_msg?, once?}
 *   POST /_sim/create-outcome           {name_pattern?, error_code | null, error_msg?, once?}   → CREATE_FAILED
 *   POST /_sim/release-outcome          {job_id?|name_pattern?, error_code | null, ...}        → RELEASE_RESOURCE_FAILED
 *   POST /_sim/failure-plan             {job_id?|name_pattern?, phase: start|full|incremental, error_code | null, after_ms?, once?}
 *   GET|PUT /_sim/delays                simulated step durations (ms)
 *   POST /_sim/reset                    clear outcomes, faults and counters
 */
export interface AdminOptions {
  runtime: JobRuntime;
  faults: FaultInjector;
  stats: RequestStats;
  simulated?: SimulatedExecutor | undefined;
  /** When set, every admin call needs `X-Admin-Token: <token>`. */
  token?: string | undefined;
}

type Json = Record<string, unknown>;

export function createAdminHandler(options: AdminOptions) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<boolean> => {
    if (options.token !== undefined && req.headers['x-admin-token'] !== options.token) {
      sendJson(res, 401, { error: 'admin token required (X-Admin-Token)' });
      return true;
    }
    const parsed = body === '' ? { ok: true as const, value: {} } : parseJson(body);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
      sendJson(res, 400, { error: 'body must be a JSON object' });
      return true;
    }
    try {
      const result = await dispatch(options, req.method ?? 'GET', path, parsed.value as Json);
      if (result === undefined) return false;
      sendJson(res, result.status, result.body);
    } catch (error) {
      sendJson(res, 400, { error: (error as Error).message });
    }
    return true;
  };
}

async function dispatch(options: AdminOptions, method: string, path: string, body: Json): Promise<{ status: number; body: unknown } | undefined> {
  const ok = (value: unknown) => ({ status: 200, body: value });
  const sim = options.simulated;
  if (path === '/_sim/stats' && method === 'GET') return ok(options.stats.snapshot());
  if (path === '/_sim/stats/reset' && method === 'POST') return ok(options.stats.reset());
  if (path === '/_sim/faults') {
    if (method === 'GET') return ok(options.faults.current);
    if (method === 'PUT' || method === 'POST') return ok(options.faults.update(faultSettings(body)));
    if (method === 'DELETE') return ok(options.faults.reset());
  }
  if (path === '/_sim/reset' && method === 'POST') {
    sim?.controls.reset();
    options.faults.reset();
    options.stats.reset();
    return ok({ reset: true });
  }
  const jobPath = /^\/_sim\/jobs\/([^/]+)(\/fail|\/lag)?$/.exec(path);
  if (jobPath) {
    const jobId = decodeURIComponent(jobPath[1]!);
    if (!jobPath[2] && method === 'GET') {
      const job = options.runtime.get(jobId);
      return job ? ok(adminJobView(job)) : { status: 404, body: { error: `no task ${jobId}` } };
    }
    if (!sim || method !== 'POST') return undefined;
    if (jobPath[2] === '/fail') {
      const status = body.status;
      if (status !== undefined && !isJobStatus(status)) throw new Error(`status ${String(status)} is not a DRS task status`);
      const outcome = await sim.controls.failJob(jobId, {
        errorCode: stringOr(body.error_code, 'DRS.M01501'),
        ...(typeof body.error_msg === 'string' ? { errorMsg: body.error_msg } : {}),
        ...(status !== undefined ? { status } : {}),
      });
      if (outcome === 'not-found') return { status: 404, body: { error: `no task ${jobId}` } };
      if (outcome === 'not-applicable') return { status: 409, body: { error: 'the task is not in a state that can fail' } };
      return ok({ job: adminJobView(options.runtime.get(jobId)!) });
    }
    const millis = typeof body.millis === 'number' ? body.millis : typeof body.seconds === 'number' ? body.seconds * 1000 : undefined;
    if (millis === undefined || millis < 0) throw new Error('give {millis} or {seconds} (>= 0)');
    return (await sim.controls.setLag(jobId, millis)) ? ok({ lag_millis: millis }) : { status: 404, body: { error: `no task ${jobId}` } };
  }
  if (!sim) return undefined;
  const match = matchOf(body);
  const once = body.once === true;
  switch (`${method} ${path}`) {
    case 'POST /_sim/precheck-outcome': {
      const items = body.items === null ? null : arrayOf(body.items, 'items');
      sim.controls.setPrecheckOutcome(match, items as never, once);
      return ok({ precheck_outcomes: sim.precheckOutcomes.list() });
    }
    case 'POST /_sim/connection-outcome':
      sim.controls.setConnectionOutcome(match, failureOf(body), once);
      return ok({ connection_outcomes: sim.connectionOutcomes.list() });
    case 'POST /_sim/create-outcome':
      sim.controls.setCreateOutcome(match, failureOf(body), once);
      return ok({ create_outcomes: sim.createOutcomes.list() });
    case 'POST /_sim/release-outcome':
      sim.controls.setReleaseOutcome(match, failureOf(body), once);
      return ok({ release_outcomes: sim.releaseOutcomes.list() });
    case 'POST /_sim/failure-plan': {
      const failure = failureOf(body);
      const phase = body.phase;
      if (failure && phase !== 'start' && phase !== 'full' && phase !== 'incremental') throw new Error('phase must be start, full or incremental');
      const plan = failure
        ? { ...failure, phase: phase as 'start' | 'full' | 'incremental', ...(typeof body.after_ms === 'number' ? { afterMs: body.after_ms } : {}) }
        : null;
      sim.controls.setFailurePlan(match, plan, once);
      return ok({ failure_plans: sim.failurePlans.list() });
    }
    case 'GET /_sim/delays':
      return ok(sim.delays);
    case 'PUT /_sim/delays':
    case 'POST /_sim/delays':
      return ok(sim.controls.setDelays(numbersOf(body, Object.keys(sim.delays))));
    default:
      return undefined;
  }
}

function adminJobView(job: NonNullable<ReturnType<JobRuntime['get']>>): Json {
  const { source, target, exec, ...rest } = job;
  return { ...rest, source: endpointView(source), target: endpointView(target), exec };
}

function matchOf(body: Json): { jobId?: string; namePattern?: string; endpointType?: 'so' | 'ta' } {
  const match: { jobId?: string; namePattern?: string; endpointType?: 'so' | 'ta' } = {};
  if (typeof body.job_id === 'string') match.jobId = body.job_id;
  if (typeof body.name_pattern === 'string') match.namePattern = body.name_pattern;
  if (body.end_point_type === 'so' || body.end_point_type === 'ta') match.endpointType = body.end_point_type;
  return match;
}

function failureOf(body: Json): { errorCode: string; errorMsg?: string } | null {
  if (body.error_code === null) return null;
  if (typeof body.error_code !== 'string') throw new Error('give error_code (a DRS code such as DRS.KE002), or null to clear');
  return { errorCode: body.error_code, ...(typeof body.error_msg === 'string' ? { errorMsg: body.error_msg } : {}) };
}

function faultSettings(body: Json): Partial<FaultSettings> {
  const settings: Partial<FaultSettings> = {};
  const numeric = ['errorRate', 'errorStatus', 'latencyMs', 'busyRate', 'busyCallRate', 'tooManyRequestsRate', 'rateLimitPerSecond', 'dropResponseRate'] as const;
  for (const key of numeric) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0) throw new Error(`${key} must be a non-negative number`);
    settings[key] = value;
  }
  if (body.endpoints === null) settings.endpoints = undefined;
  else if (body.endpoints !== undefined) settings.endpoints = arrayOf(body.endpoints, 'endpoints').map(String);
  return settings;
}

function numbersOf(body: Json, known: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!known.includes(key)) throw new Error(`unknown delay ${key}; known: ${known.join(', ')}`);
    if (typeof value !== 'number' || value < 0) throw new Error(`${key} must be a non-negative number of milliseconds`);
    out[key] = value;
  }
  return out;
}

function arrayOf(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${name} must be an array`);
  return value;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
