import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { v2Signature, v2StringToSign, type V2SignatureMethod } from '../../controller/src/providers/tencent/v2-signer.ts';
import { systemClock } from '../../engine/src/clock.ts';
import { FaultInjector } from '../../engine/src/faults.ts';
import { headersOf, sendJson } from '../../engine/src/http-util.ts';
import { actionRateLimiter, type ActionLimits } from '../shared/action-rate-limit.ts';
import { faultSettingsEndpoint, isAdminPath, serveAdmin, type AdminEndpoint } from '../shared/admin.ts';
import { countOne, countsEndpoint } from '../shared/counters.ts';
import { createSimulatorServer, readBodyWithinLimit } from '../shared/http.ts';
import { injectedFault } from '../shared/injected-fault.ts';
import { listenOn, type EndpointSettings } from '../shared/listen.ts';
import { hostsSignedAs, sameSecret } from '../shared/signature-match.ts';
import type { RunningSimulator } from '../simulator.ts';
import { V2Error, cdbError } from './cdb-errors.ts';

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

/** What startV2Endpoint takes; a call beyond its action's limit is answered 4400. */
export interface V2EndpointOptions extends ActionLimits, EndpointSettings {
  credentials: { secretId: string; secretKey: string };
  /** Action → handler. */
  handlers: ReadonlyMap<string, V2Handler>;
  /** Admin endpoints under /_sim/ besides faults, calls and codes. */
  admin?: ReadonlyMap<string, AdminEndpoint>;
  /** Actions that change state: only they get injected "busy" answers. */
  isMutating: (action: string) => boolean;
  /** Answer to an injected busy fault. */
  busyError: () => V2Error;
}

export interface V2Endpoint extends RunningSimulator {
  /** Calls answered per action (errors included). */
  calls: Map<string, number>;
  /** Answers per code (0 = success), to see which failures clients met. */
  codes: Map<number, number>;
  faults: FaultInjector;
}

export const V2_PATH = '/v2/index.php';
const MAX_SKEW_S = 300;

export async function startV2Endpoint(options: V2EndpointOptions): Promise<V2Endpoint> {
  const clock = options.clock ?? systemClock;
  const faults = new FaultInjector({ clock, ...(options.random ? { random: options.random } : {}) });
  const calls = new Map<string, number>();
  const codes = new Map<number, number>();
  const withinLimit = actionRateLimiter(clock, options);
  /** `${SecretId}/${Nonce}/${Timestamp}` → when it expires from the replay window. */
  const nonces = new Map<string, number>();

  const replayed = (key: string): boolean => {
    const now = clock.now();
    if (nonces.size > 10_000) for (const [k, expires] of nonces) if (expires < now) nonces.delete(k);
    const expires = nonces.get(key);
    if (expires !== undefined && expires >= now) return true;
    nonces.set(key, now + 2 * MAX_SKEW_S * 1000);
    return false;
  };

  const admin = new Map<string, AdminEndpoint>([
    ['faults', faultSettingsEndpoint(faults)],
    ['calls', countsEndpoint(calls)],
    ['codes', countsEndpoint(codes)],
    ...(options.admin ?? []),
  ]);

  const server = createSimulatorServer(handle, (res, error) => answerError(res, new V2Error(9013, 'InternalError', `System internal error: ${String(error)}`)));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBodyWithinLimit(req);
    if (typeof body !== 'string') return answerError(res, cdbError(4000, body.message));
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (isAdminPath(url.pathname)) return serveAdmin(res, admin, { pathname: url.pathname, method: req.method ?? 'GET', body });
    if (url.pathname !== V2_PATH) return sendJson(res, 404, { error: `no such path ${url.pathname}: API v2 calls go to ${V2_PATH}` });
    const method = req.method === 'POST' ? 'POST' : req.method === 'GET' ? 'GET' : undefined;
    if (!method) return sendJson(res, 405, { error: 'API v2 calls are GET or form POST' });

    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (method === 'POST' && body !== '') for (const [k, v] of new URLSearchParams(body)) params[k] = v;

    const action = params.Action ?? '';
    const fail = (error: V2Error) => {
      countOne(calls, action || 'unknown');
      countOne(codes, error.code);
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

    const fault = await injectedFault(faults, action, options.isMutating(action));
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
    countOne(calls, action);
    countOne(codes, 0);
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
    if (!sameSecret(secretId, options.credentials.secretId)) return new V2Error(4100, 'AuthFailure', 'The SecretId does not exist');
    const timestamp = Number(timestampText);
    if (!timestampText || !Number.isInteger(timestamp)) return cdbError(4000, 'Timestamp must be a Unix time in seconds');
    if (!nonce || !/^\d+$/.test(nonce)) return cdbError(4000, 'Nonce must be a positive integer');
    if (Math.abs(clock.now() / 1000 - timestamp) > MAX_SKEW_S) return cdbError(4200, 'Timestamp is more than 5 minutes from the server time');
    const signatureMethod = (params.SignatureMethod ?? 'HmacSHA1') as V2SignatureMethod;
    if (signatureMethod !== 'HmacSHA1' && signatureMethod !== 'HmacSHA256') return cdbError(4000, 'SignatureMethod must be HmacSHA256 or HmacSHA1');
    const matches = hostsSignedAs(host).some((h) => sameSecret(v2Signature(options.credentials.secretKey, v2StringToSign(method, h, V2_PATH, params), signatureMethod), signature));
    if (!matches) return new V2Error(4100, 'AuthFailure', 'The signature does not match: check the SecretKey and what was signed');
    if (replayed(`${secretId}/${nonce}/${timestamp}`)) return cdbError(4500, 'this Nonce and Timestamp were used before');
    return undefined;
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
