import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiContext } from './api/api-context.ts';
import { findRoute } from './api/routes.ts';
import { authenticate, type AuthSettings } from './auth.ts';
import type { Clock } from './clock.ts';
import { drsError } from './drs-errors.ts';
import type { FaultInjector } from './faults.ts';
import { BodyTooLarge, headersOf, parseJson, readBody, sendJson } from './http-util.ts';
import type { EngineLogger } from './logger.ts';
import type { RequestStats } from './stats.ts';

/**
 * The HTTP face of the engine: Huawei DRS v3 paths under /v3/{project_id}/jobs. A call goes
 * through, in order: body read, AK/SK (or token) authentication, content type, injected faults
 * (latency, throttling, 5xx, whole-call busy), JSON parsing and schema validation, the
 * operation itself, and maybe an injected lost response. Every DRS call is counted by
 * endpoint. Paths under /_sim/ go to the admin handler when one is mounted.
 */
export interface DrsServerOptions {
  api: ApiContext;
  auth: AuthSettings;
  faults: FaultInjector;
  stats: RequestStats;
  clock: Clock;
  log: EngineLogger;
  /** Serves /_sim/*; returns false for paths it does not know. */
  admin?: ((req: IncomingMessage, res: ServerResponse, path: string, body: string) => Promise<boolean>) | undefined;
}

const JOBS_PATH = /^\/v3\/([^/]+)\/jobs(\/[^/]+)?\/?$/;

export function createDrsServer(options: DrsServerOptions): Server {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      options.log.error({ err: error, method: req.method, url: req.url }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, drsError('DRS.M00004'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(options: DrsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomBytes(16).toString('hex');
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void =>
    sendJson(res, status, body, { 'X-Request-Id': requestId, ...headers });

  let body: string;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return reply(413, drsError('DRS.M00300', error.message));
    throw error;
  }
  const path = new URL(req.url ?? '/', 'http://engine').pathname;
  if (path.startsWith('/_sim/') && options.admin && (await options.admin(req, res, path, body))) return;

  const match = JOBS_PATH.exec(path);
  const found = match ? findRoute(req.method ?? 'GET', match[2] ?? '') : undefined;
  if (!match || !found || 'error' in found) {
    const status = found && 'error' in found && found.error === 'method' ? 405 : 404;
    options.stats.record('unknown', status, 0);
    return reply(status, {
      error_code: 'APIGW.0101',
      error_msg: status === 405 ? `Method ${req.method} is not allowed on ${path}` : 'The API does not exist or has not been published in the environment',
    });
  }
  const route = found.route;
  const projectId = decodeURIComponent(match[1]!);
  const finish = (status: number, responseBody: unknown, items: number, headers: Record<string, string> = {}): void => {
    options.stats.record(route.endpoint, status, items);
    reply(status, responseBody, headers);
  };

  const headers = headersOf(req);
  const auth = authenticate({ method: req.method ?? 'GET', url: `http://${headers.host ?? 'localhost'}${req.url ?? '/'}`, headers, body }, options.auth, options.clock.now());
  if (!auth.ok) return finish(auth.status, auth.body, 0);
  const headerProject = headers['x-project-id'];
  if (headerProject !== undefined && headerProject !== projectId) return finish(403, drsError('DRS.M00261'), 0);
  if (body !== '' && !/^application\/json\b/i.test(headers['content-type'] ?? '')) {
    return finish(415, drsError('DRS.M00300', 'Content-Type must be application/json'), 0);
  }

  const latency = options.faults.latencyFor(route.endpoint);
  if (latency > 0) await new Promise<void>((resolve) => options.clock.setTimeout(resolve, latency));
  const fault = options.faults.beforeCall(route.endpoint, route.mutating);
  if (fault.kind === 'throttled') {
    return finish(
      429,
      { error_code: 'APIGW.0308', error_msg: 'The throttling threshold has been reached: policy user over ratelimit' },
      0,
      { 'Retry-After': '1' },
    );
  }
  if (fault.kind === 'error') return finish(fault.status, drsError('DRS.M01501'), 0);
  if (fault.kind === 'busy-call') return finish(202, drsError('DRS.M01504'), 0);

  const parsed = body === '' ? { ok: false as const } : parseJson(body);
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return finish(400, drsError('DRS.M00300', 'the body must be a JSON object'), 0);
  }
  const answer = await route.handle(options.api, projectId, parsed.value);
  if (options.faults.dropResponse(route.endpoint)) {
    options.stats.record(route.endpoint, 0, answer.items);
    res.destroy();
    return;
  }
  finish(answer.status, answer.body, answer.items);
}
