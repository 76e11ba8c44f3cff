import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { v2Signature, v2StringToSign, type V2SignatureMethod } from '../../controller/src/providers/tencent/v2-signer.ts';
import { systemClock, type Clock } from '../../engine/src/clock.ts';
import { FaultInjector, type FaultSettings } from '../../engine/src/faults.ts';
import { BodyTooLarge, headersOf, parseJson, readBody, sendJson } from '../../engine/src/http-util.ts';
import { V2Error, cdbError } from './cdb-errors.ts';
import { listenOn } from '../shared/listen.ts';

/**
 * A Tencent Cloud API v2 endpoint (`/v2/index.php`, GET query or form POST), answering as the
 * v2 gateway does: HTTP 200 with `{code, message, codeDesc, data}`. A call goes through, in
 * order: parameter parsing, Action lookup, signature verification (SecretId known, Timestamp
 * within ±5 minutes, SignatureMethod HmacSHA256 or HmacSHA1 — HmacSHA1 when absent, as the real
 * API — and the HMAC recomputed from the parameters that arrived with the configured key), Nonce
 * replay protection, Region present, the action's rate limit (4400, 20/s by default), injected
 * faults, then the handler. Paths under /_sim/ are the simulator's admin API (no auth).
 */
export type V2Handler = (params: Record<string, string>, context: { region: string; requestId: string }) => V2Success | Promise<V2Success>;

export interface V2Success {
  data?: unknown;
  /** Answer `"code": "0"` (some actions do, per their documented examples) instead of 0. */
  codeAsString?: boolean;
}

/** Admin endpoint: its path (without /_sim/) → handler returning the JSON answer. `path` is the rest after the key. */
export type AdminHandler = (request: { method: string; body: unknown; path: string }) => unknown | Promise<unknown>;

export interface V2EndpointOptions {
  credentials: { secretId: string; secretKey: string };
  /** Action → handler. */
  handlers: ReadonlyMap<string, V2Handler>;
  admin?: ReadonlyMap<string, AdminHandler>;
  /** Requests per second per action before 4400 (Tencent's default 20). 0 = unlimited. */
  actionLimitPerSecond?: number;
  actionLimits?: Readonly<Record<string, number>>;
  /** Actions that change state: only they get injected "busy" answers. */
  isMutating: (action: string) => boolean;
  /** Answer to an injected busy fault. */
  busyError: () => V2Error;
  listen?: { host: string; port: number };
  clock?: Clock;
  random?: () => number;
}

export interface V2Endpoint {
  url: string;
  /** Calls answered per action (errors included). */
  calls: Map<string, number>;
  /** Answers per code (0 = success), to see which failures clients met. */
  codes: Map<number, number>;
  faults: FaultInjector;
  close(): Promise<void>;
}

export const V2_PATH = '/v2/index.php';
const MAX_SKEW_S = 300;

export async function startV2Endpoint(options: V2EndpointOptions): Promise<V2Endpoint> {
  const clock = options.clock ?? systemClock;
  const faults = new FaultInjector({ clock, ...(options.random ? { random: options.random } : {}) });
  const calls = new Map<string, number>();
  const codes = new Map<number, number>();
  const count = (code: number) => codes.set(code, (codes.get(code) ?? 0) + 1);
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** `${SecretId}/${Nonce}/${Timestamp}` → when it expires from the replay window. */
  const nonces = new Map<string, number>();

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

  const replayed = (key: string): boolean => {
    const now = clock.now();
    if (nonces.size > 10_000) for (const [k, expires] of nonces) if (expires < now) nonces.delete(k);
    const expires = nonces.get(key);
    if (expires !== undefined && expires >= now) return true;
    nonces.set(key, now + 2 * MAX_SKEW_S * 1000);
    return false;
  };

  const admin = new Map<string, AdminHandler>([
    ['faults', ({ method, body }) => (method === 'DELETE' ? faults.reset() : method === 'POST' || method === 'PUT' ? faults.update(body as Partial<FaultSettings>) : faults.current)],
    [
      'calls',
      ({ method }) => {
        const counts = Object.fromEntries(calls);
        if (method === 'DELETE') calls.clear();
        return counts;
      },
    ],
    [
      'codes',
      ({ method }) => {
        const counts = Object.fromEntries(codes);
        if (method === 'DELETE') codes.clear();
        return counts;
      },
    ],
    ...(options.admin ?? []),
  ]);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answerError(res, new V2Error(9013, 'InternalError', `System internal error: ${String(error)}`));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) return answerError(res, cdbError(4000, error.message));
      throw error;
    }
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/_sim/')) return serveAdmin(res, url.pathname.slice('/_sim/'.length), req.method ?? 'GET', body);
    if (url.pathname !== V2_PATH) return sendJson(res, 404, { error: `no such path ${url.pathname}: API v2 calls go to ${V2_PATH}` });
    const method = req.method === 'POST' ? 'POST' : req.method === 'GET' ? 'GET' : undefined;
    if (!method) return sendJson(res, 405, { error: 'API v2 calls are GET or form POST' });

    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (method === 'POST' && body !== '') for (const [k, v] of new URLSearchParams(body)) params[k] = v;

    const action = params.Action ?? '';
    const fail = (error: V2Error) => {
      calls.set(action || 'unknown', (calls.get(action || 'unknown') ?? 0) + 1);
      count(error.code);
      answerError(res, error);
    };
    if (!action) return fail(cdbError(4000, 'the Action parameter is missing'));
    const handler = options.handlers.get(action);
    if (!handler) return fail(new V2Error(4000, 'InvalidAction', `The action ${action} does not exist`));
    const authProblem = verify(method, headersOf(req).host ?? '', params);
    if (authProblem) return fail(authProblem);
    const region = params.Region ?? '';
    if (!region) return fail(cdbError(4000, 'the Region parameter is missing'));
    if (!withinLimit(action)) return fail(cdbError(4400, `requests for ${action} exceed the frequency limit`));

    const latency = faults.latencyFor(action);
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const fault = faults.beforeCall(action, options.isMutating(action));
    if (fault.kind === 'throttled') return fail(cdbError(4400, `requests for ${action} exceed the frequency limit (injected)`));
    if (fault.kind === 'error') return fail(cdbError(9013, 'injected'));
    if (fault.kind === 'busy-call') return fail(options.busyError());

    const requestId = randomUUID();
    let result: V2Success;
    try {
      result = await handler(params, { region, requestId });
    } catch (error) {
      if (error instanceof V2Error) return fail(error);
      throw error;
    }
    calls.set(action, (calls.get(action) ?? 0) + 1);
    count(0);
    if (faults.dropResponse(action)) {
      // The work is done; the client never learns it.
      res.destroy();
      return;
    }
    sendJson(res, 200, { code: result.codeAsString ? '0' : 0, message: '', codeDesc: 'Success', ...(result.data !== undefined ? { data: result.data } : {}) });
  }

  function verify(method: 'GET' | 'POST', host: string, params: Record<string, string>): V2Error | undefined {
    const { SecretId: secretId, Signature: signature, Timestamp: timestampText, Nonce: nonce } = params;
    if (!secretId || !signature) return new V2Error(4100, 'AuthFailure', 'SecretId and Signature are required: sign the request');
    if (!same(secretId, options.credentials.secretId)) return new V2Error(4100, 'AuthFailure', 'The SecretId does not exist');
    const timestamp = Number(timestampText);
    if (!timestampText || !Number.isInteger(timestamp)) return cdbError(4000, 'Timestamp must be a Unix time in seconds');
    if (!nonce || !/^\d+$/.test(nonce)) return cdbError(4000, 'Nonce must be a positive integer');
    if (Math.abs(clock.now() / 1000 - timestamp) > MAX_SKEW_S) return cdbError(4200, 'Timestamp is more than 5 minutes from the server time');
    const signatureMethod = (params.SignatureMethod ?? 'HmacSHA1') as V2SignatureMethod;
    if (signatureMethod !== 'HmacSHA1' && signatureMethod !== 'HmacSHA256') return cdbError(4000, 'SignatureMethod must be HmacSHA256 or HmacSHA1');
    // Real endpoints have no port; a client may sign the host with or without a test port.
    const candidates = [host, host.replace(/:\d+$/, '')];
    const matches = candidates.some((h) => same(v2Signature(options.credentials.secretKey, v2StringToSign(method, h, V2_PATH, params), signatureMethod), signature));
    if (!matches) return new V2Error(4100, 'AuthFailure', 'The signature does not match: check the SecretKey and what was signed');
    if (replayed(`${secretId}/${nonce}/${timestamp}`)) return cdbError(4500, 'this Nonce and Timestamp were used before');
    return undefined;
  }

  async function serveAdmin(res: ServerResponse, name: string, method: string, body: string): Promise<void> {
    const match = [...admin.keys()].sort((a, b) => b.length - a.length).find((k) => name === k || name.startsWith(`${k}/`));
    if (!match) return sendJson(res, 404, { error: `no admin endpoint /_sim/${name}` });
    const parsed = body ? parseJson(body) : { ok: true as const, value: undefined };
    if (!parsed.ok) return sendJson(res, 400, { error: 'body is not JSON' });
    try {
      const path = name === match ? '' : name.slice(match.length + 1);
      sendJson(res, 200, (await admin.get(match)!({ method, body: parsed.value, path })) ?? {});
    } catch (error) {
      sendJson(res, 400, { error: String(error instanceof Error ? error.message : error) });
    }
  }

  const listening = await listenOn(server, options.listen);
  return {
    url: listening.url,
    calls,
    codes,
    faults,
    close: () => listening.close(),
  };
}

function answerError(res: ServerResponse, error: V2Error): void {
  sendJson(res, 200, { code: error.code, message: error.message, codeDesc: error.codeDesc });
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
