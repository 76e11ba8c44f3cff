import type { IncomingMessage, ServerResponse } from 'node:http';
import { CH_ERROR_CODES } from '../../controller/src/providers/huawei-clickhouse/errors.ts';
import { authenticate } from '../../engine/src/auth.ts';
import { systemClock, type Clock } from '../../engine/src/clock.ts';
import { FaultInjector } from '../../engine/src/faults.ts';
import { headersOf, parseJson, sendJson } from '../../engine/src/http-util.ts';
import type { RunningSimulator, SimulatorOptions } from '../simulator.ts';
import { isAdminPath, serveAdmin } from '../shared/admin.ts';
import { countOne } from '../shared/counters.ts';
import { createSimulatorServer, readBodyWithinLimit } from '../shared/http.ts';
import { injectedFault } from '../shared/injected-fault.ts';
import { adminHandlers } from './admin.ts';
import { handle, type ApiOperation, type ApiState } from './api.ts';
import { SourceChecks } from './checks.ts';
import { IamTokens, type IamUser } from './iam.ts';
import { PACES, ReplicationStore } from './replications.ts';
import { SimError } from './sim-error.ts';
import { listenOn } from '../shared/listen.ts';

export interface ClickHouseSimulatorOptions extends SimulatorOptions {
  /** The IAM user whose password gets tokens at POST /v3/auth/tokens; without it only AK/SK works. */
  iam?: IamUser;
  random?: () => number;
}

export interface RunningClickHouseSimulator extends RunningSimulator {
  /** Calls answered per operation (errors included): create-replication, list-replications, ..., iam-token. */
  calls: Map<string, number>;
  /** Answers per HTTP status (API calls and IAM), for tests proving a fault was served. */
  statuses: Map<number, number>;
  faults: FaultInjector;
  replications: ReplicationStore;
  checks: SourceChecks;
  iam: IamTokens;
  state: ApiState;
}

const ROUTE = /^\/v3\/([^/]+)\/instances\/([^/]+)\/clickhouse\/replication(?:\/([^/]+))?\/?$/;
const IAM_PATH = /^\/v3\/auth\/tokens\/?$/;
const MUTATING: ReadonlySet<ApiOperation> = new Set(['create-replication', 'delete-replication']);

/**
 * The GaussDB(for MySQL) → ClickHouse replication API (create / list / delete / config /
 * database-check / table-check under /v3/{project_id}/instances/{instance_id}/clickhouse/replication),
 * with IAM's token endpoint at the same root so one URL serves as endpoint and iamEndpoint.
 * A call goes through: body read, route, authentication (X-Auth-Token issued here, or an AK/SK
 * signature recomputed from what arrived), injected faults (latency, 5xx, 429, busy), the
 * operation, and maybe a dropped response. Errors: HTTP 400/500 `{error_code, error_msg}`; the
 * gateway's 401/429 as APIGW.0301/APIGW.0308. /_sim/ is the admin API (no auth).
 */
export async function startClickHouseSimulator(options: ClickHouseSimulatorOptions): Promise<RunningClickHouseSimulator> {
  const clock: Clock = options.clock ?? systemClock;
  const faults = new FaultInjector({ clock, ...(options.random ? { random: options.random } : {}) });
  const calls = new Map<string, number>();
  const statuses = new Map<number, number>();
  const replications = new ReplicationStore({ clock, pace: PACES[options.pace ?? 'default'] });
  const checks = new SourceChecks();
  const iam = new IamTokens(options.iam, clock);
  const state: ApiState = { store: replications, checks, instances: undefined };
  const admin = adminHandlers({ faults, calls, state, iam });
  /** One answered call: counted per operation and per HTTP status. */
  const reply = (res: ServerResponse, operation: string, status: number, payload: unknown, headers: Record<string, string> = {}) => {
    countOne(calls, operation);
    countOne(statuses, status);
    sendJson(res, status, payload, headers);
  };

  const server = createSimulatorServer(
    serve,
    (res) => sendJson(res, 500, { error_code: CH_ERROR_CODES.internal, error_msg: 'Internal error.' }),
    (error) => options.log?.warn({ error: String(error) }, 'clickhouse simulator: request failed'),
  );

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBodyWithinLimit(req);
    if (typeof body !== 'string') return sendJson(res, 413, { error_code: CH_ERROR_CODES.invalidParameter, error_msg: body.message });
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    if (isAdminPath(url.pathname)) return serveAdmin(res, admin, { pathname: url.pathname, method, body });
    if (IAM_PATH.test(url.pathname) && method === 'POST') return serveIam(res, body);

    const match = ROUTE.exec(url.pathname);
    const operation = match ? operationOf(method, match[3]) : undefined;
    if (!match || !operation) {
      return sendJson(res, 404, { error_code: 'APIGW.0101', error_msg: 'The API does not exist or has not been published in the environment.' });
    }
    const projectId = decodeURIComponent(match[1]!);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => reply(res, operation, status, payload, headers);

    const headers = headersOf(req);
    const refusal = authRefusal(headers, method, req.url ?? '/', body, projectId);
    if (refusal) return answer(refusal.status, refusal.body);
    if (body !== '' && !/^application\/json\b/i.test(headers['content-type'] ?? '')) {
      return answer(400, { error_code: CH_ERROR_CODES.invalidParameter, error_msg: 'Content-Type must be application/json.' });
    }

    const fault = await injectedFault(faults, operation, MUTATING.has(operation));
    if (fault.kind === 'throttled') return answer(429, { error_code: CH_ERROR_CODES.gatewayThrottled, error_msg: 'The throttling threshold has been reached.' }, { 'Retry-After': '1' });
    if (fault.kind === 'error') return answer(fault.status, { error_code: CH_ERROR_CODES.internal, error_msg: 'Internal error (injected).' });
    if (fault.kind === 'busy-call') return answer(400, { error_code: CH_ERROR_CODES.replicationBusy, error_msg: 'The instance is busy with another task (injected). Try again later.' });

    const parsed = body === '' ? { ok: true as const, value: undefined } : parseJson(body);
    if (!parsed.ok) return answer(400, { error_code: CH_ERROR_CODES.invalidParameter, error_msg: 'The request body is not valid JSON.' });
    let result: unknown;
    try {
      result = handle(
        operation,
        {
          instanceId: decodeURIComponent(match[2]!),
          query: url.searchParams,
          body: parsed.value,
          ...(operation === 'delete-replication' ? { databaseName: decodeURIComponent(match[3]!) } : {}),
        },
        state,
      );
    } catch (error) {
      if (error instanceof SimError) return answer(error.status, error.body);
      throw error;
    }
    if (faults.dropResponse(operation)) {
      countOne(calls, operation);
      res.destroy();
      return;
    }
    answer(200, result);
  }

  /** X-Auth-Token from this IAM, or an AK/SK signature with the configured pair. */
  function authRefusal(headers: Record<string, string>, method: string, path: string, body: string, projectId: string): { status: number; body: unknown } | undefined {
    const token = headers['x-auth-token'];
    if (token !== undefined) {
      const why = iam.refusal(token, projectId);
      return why ? { status: 401, body: { error_code: CH_ERROR_CODES.gatewayAuth, error_msg: `Incorrect IAM authentication information: ${why}` } } : undefined;
    }
    const auth = authenticate({ method, url: `http://${headers.host ?? 'localhost'}${path}`, headers, body }, { accessKey: options.credentials.id, secretKey: options.credentials.key }, clock.now());
    if (!auth.ok) return { status: auth.status, body: auth.body };
    const headerProject = headers['x-project-id'];
    if (headerProject !== undefined && headerProject !== projectId) {
      return { status: 403, body: { error_code: 'APIGW.0302', error_msg: 'The IAM user is not authorized to access this project: X-Project-Id differs from the project in the path.' } };
    }
    return undefined;
  }

  function serveIam(res: ServerResponse, body: string): void {
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => reply(res, 'iam-token', status, payload, headers);
    const fault = faults.beforeCall('iam-token', false);
    if (fault.kind === 'error') return answer(fault.status, { error: { code: fault.status, title: 'Internal Server Error', message: 'Internal error (injected).' } });
    if (fault.kind === 'throttled') return answer(429, { error: { code: 429, title: 'Too Many Requests', message: 'Too many requests.' } }, { 'Retry-After': '1' });
    const parsed = body === '' ? { ok: true as const, value: undefined } : parseJson(body);
    const issued = iam.issue(parsed.ok ? parsed.value : undefined);
    answer(issued.status, issued.body, issued.headers);
  }

  const listening = await listenOn(server, options.listen);
  return {
    url: listening.url,
    calls,
    statuses,
    faults,
    replications,
    checks,
    iam,
    state,
    close: () => {
      replications.clear();
      return listening.close();
    },
  };
}

function operationOf(method: string, suffix: string | undefined): ApiOperation | undefined {
  if (suffix === undefined) return method === 'POST' ? 'create-replication' : method === 'GET' ? 'list-replications' : undefined;
  if (method === 'GET' && suffix === 'config') return 'show-replication-config';
  if (method === 'POST' && suffix === 'database-check') return 'check-database';
  if (method === 'POST' && suffix === 'table-check') return 'check-tables';
  if (method === 'DELETE') return 'delete-replication';
  return undefined;
}
