import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tc3Signature, parseTc3Authorization } from '../../controller/src/providers/tencent/tc3-signer.ts';
import { systemClock, type Clock } from '../../engine/src/clock.ts';
import { FaultInjector, type FaultSettings } from '../../engine/src/faults.ts';
import { BodyTooLarge, headersOf, parseJson, readBody, sendJson } from '../../engine/src/http-util.ts';
import { listenOn } from '../shared/listen.ts';

/**
 * A Tencent Cloud API 3.0 endpoint (JSON POST to /, TC3-HMAC-SHA256), as the Tencent API
 * gateway answers: every answer is HTTP 200 with `{"Response": {..., "RequestId"}}`, errors as
 * `Response.Error {Code, Message}`. In order, a call goes through: body read, header checks,
 * signature verification (SecretId, ±5 min timestamp, service scope, HMAC recomputed from what
 * arrived), the action's rate limit (RequestLimitExceeded, 20/s per action by default), injected
 * faults, then the action handler. Paths under /_sim/ are the simulator's admin API (no auth).
 */
export class Api3Error extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export type Api3Handler = (params: Record<string, unknown>, context: { region: string | undefined; requestId: string }) => unknown | Promise<unknown>;

/** Admin endpoints of one simulator: path (without /_sim/) → handler returning the JSON answer. */
export type AdminHandler = (body: unknown, method: string) => unknown | Promise<unknown>;

export interface Api3ServerOptions {
  /** Signing service name the credential scope must carry ("dts"). */
  service: string;
  credentials: { secretId: string; secretKey: string };
  /** `${version}/${action}` → handler. */
  handlers: ReadonlyMap<string, Api3Handler>;
  admin?: ReadonlyMap<string, AdminHandler>;
  /** Requests per second per action before RequestLimitExceeded (Tencent's default 20). 0 = unlimited. */
  actionLimitPerSecond?: number;
  /** Per-action overrides (DescribeSyncJobs allows 100/s). */
  actionLimits?: Readonly<Record<string, number>>;
  listen?: { host: string; port: number };
  clock?: Clock;
  random?: () => number;
}

export interface Api3Server {
  url: string;
  /** Calls answered per action (errors included), for tests and benchmarks. */
  calls: Map<string, number>;
  faults: FaultInjector;
  close(): Promise<void>;
}

const MAX_SKEW_S = 300;

export async function startApi3Server(options: Api3ServerOptions): Promise<Api3Server> {
  const clock = options.clock ?? systemClock;
  const faults = new FaultInjector({ clock, ...(options.random ? { random: options.random } : {}) });
  const calls = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  const withinLimit = (action: string): boolean => {
    const limit = options.actionLimits?.[action] ?? options.actionLimitPerSecond ?? 20;
    if (limit <= 0) return true;
    const now = clock.now();
    const bucket = buckets.get(action) ?? { tokens: limit, at: now };
    bucket.tokens = Math.min(limit, bucket.tokens + ((now - bucket.at) / 1000) * limit);
    bucket.at = now;
    buckets.set(action, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };

  const admin = new Map<string, AdminHandler>([
    ['faults', (body, method) => (method === 'DELETE' ? faults.reset() : method === 'POST' ? faults.update(body as Partial<FaultSettings>) : faults.current)],
    ['calls', (_body, method) => {
      const counts = Object.fromEntries(calls);
      if (method === 'DELETE') calls.clear();
      return counts;
    }],
    ...(options.admin ?? []),
  ]);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, randomUUID(), { Error: { Code: 'InternalError', Message: String(error) } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) return answer(res, requestId, { Error: { Code: 'InvalidParameter', Message: error.message } });
      throw error;
    }
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (path.startsWith('/_sim/')) return serveAdmin(res, path.slice('/_sim/'.length), req.method ?? 'GET', body);

    const headers = headersOf(req);
    const action = headers['x-tc-action'] ?? '';
    const fail = (code: string, message: string) => {
      calls.set(action || 'unknown', (calls.get(action || 'unknown') ?? 0) + 1);
      answer(res, requestId, { Error: { Code: code, Message: message } });
    };
    if (req.method !== 'POST' || path !== '/') return fail('UnsupportedProtocol', 'API 3.0 calls are POST / with a JSON body');
    if (!action) return fail('MissingParameter', 'The X-TC-Action header is missing');
    const version = headers['x-tc-version'] ?? '';
    const handler = options.handlers.get(`${version}/${action}`);
    if (!handler) {
      const known = [...options.handlers.keys()].some((k) => k.endsWith(`/${action}`));
      return fail(known ? 'NoSuchVersion' : 'InvalidAction', known ? `Action ${action} does not exist in version ${version}` : `The action ${action} does not exist`);
    }
    const authProblem = verifySignature(headers, body, options, clock);
    if (authProblem) return fail(authProblem.code, authProblem.message);
    if (!withinLimit(action)) return fail('RequestLimitExceeded', `Your requests for ${action} exceed the frequency limit`);

    const latency = faults.latencyFor(action);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault = faults.beforeCall(action, !action.startsWith('Describe'));
    if (fault.kind === 'throttled') return fail('RequestLimitExceeded', `Your requests for ${action} exceed the frequency limit`);
    if (fault.kind === 'error') return fail('InternalError', 'An internal error occurred (injected)');
    if (fault.kind === 'busy-call') return fail('FailedOperation.StatusInConflict', 'The task is busy with another operation (injected)');

    const parsed = body === '' ? { ok: true as const, value: {} } : parseJson(body);
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      return fail('InvalidParameter', 'The request body is not a JSON object');
    }
    let result: unknown;
    try {
      result = await handler(parsed.value as Record<string, unknown>, { region: headers['x-tc-region'], requestId });
    } catch (error) {
      if (error instanceof Api3Error) return fail(error.code, error.message);
      throw error;
    }
    calls.set(action, (calls.get(action) ?? 0) + 1);
    if (faults.dropResponse(action)) {
      res.destroy();
      return;
    }
    answer(res, requestId, (result ?? {}) as object);
  }

  async function serveAdmin(res: ServerResponse, name: string, method: string, body: string): Promise<void> {
    const match = [...admin.keys()].sort((a, b) => b.length - a.length).find((k) => name === k || name.startsWith(`${k}/`));
    if (!match) return sendJson(res, 404, { error: `no admin endpoint /_sim/${name}` });
    const parsed = body ? parseJson(body) : { ok: true as const, value: undefined };
    if (!parsed.ok) return sendJson(res, 400, { error: 'body is not JSON' });
    try {
      const arg = name === match ? parsed.value : { path: name.slice(match.length + 1), body: parsed.value };
      sendJson(res, 200, (await admin.get(match)!(arg, method)) ?? {});
    } catch (error) {
      sendJson(res, 400, { error: String(error instanceof Error ? error.message : error) });
    }
  }

  const listening = await listenOn(server, options.listen);
  return {
    url: listening.url,
    calls,
    faults,
    close: () => listening.close(),
  };
}

function answer(res: ServerResponse, requestId: string, response: object): void {
  sendJson(res, 200, { Response: { ...response, RequestId: requestId } });
}

function verifySignature(headers: Record<string, string>, body: string, options: Api3ServerOptions, clock: Clock): { code: string; message: string } | undefined {
  const authorization = headers.authorization;
  if (!authorization) return { code: 'AuthFailure.SignatureFailure', message: 'The Authorization header is missing: sign the request with TC3-HMAC-SHA256' };
  const parsed = parseTc3Authorization(authorization);
  if (!parsed) return { code: 'AuthFailure.SignatureFailure', message: 'The Authorization header is malformed' };
  if (!same(parsed.secretId, options.credentials.secretId)) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId does not exist' };
  const timestamp = Number(headers['x-tc-timestamp']);
  if (!Number.isInteger(timestamp)) return { code: 'AuthFailure.SignatureFailure', message: 'X-TC-Timestamp is missing or not an integer' };
  if (Math.abs(clock.now() / 1000 - timestamp) > MAX_SKEW_S) {
    return { code: 'AuthFailure.SignatureExpire', message: 'The signature expired: X-TC-Timestamp is more than 5 minutes from the server time' };
  }
  if (parsed.service !== options.service) return { code: 'AuthFailure.SignatureFailure', message: `The credential scope names service ${parsed.service}, expected ${options.service}` };
  if (parsed.signedHeaders !== 'content-type;host') return { code: 'AuthFailure.SignatureFailure', message: 'SignedHeaders must be content-type;host' };
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== parsed.date) {
    return { code: 'AuthFailure.SignatureFailure', message: 'The credential date does not match X-TC-Timestamp' };
  }
  // Real endpoints have no port, so clients differ on a test endpoint's: the Host header as sent
  // (this project's client) or the name alone (tencentcloud-sdk-nodejs-common). Both are accepted.
  const host = headers.host ?? '';
  const candidates = [host, host.replace(/:\d+$/, '')];
  const matches = candidates.some((h) =>
    same(tc3Signature({ host: h, body, contentType: headers['content-type'] ?? '' }, options.credentials.secretKey, options.service, timestamp), parsed.signature),
  );
  if (!matches) return { code: 'AuthFailure.SignatureFailure', message: 'The signature does not match: check the SecretKey and what was signed' };
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
