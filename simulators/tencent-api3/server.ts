import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tc3Signature, parseTc3Authorization } from '../../controller/src/providers/tencent/tc3-signer.ts';
import { systemClock, type Clock } from '../../engine/src/clock.ts';
import { FaultInjector } from '../../engine/src/faults.ts';
import { headersOf, parseJson, sendJson } from '../../engine/src/http-util.ts';
import { actionRateLimiter, type ActionLimits } from '../shared/action-rate-limit.ts';
import { faultSettingsEndpoint, isAdminPath, serveAdmin, type AdminEndpoint } from '../shared/admin.ts';
import { ApiRefusal } from '../shared/api-refusal.ts';
import { countOne, countsEndpoint } from '../shared/counters.ts';
import { createSimulatorServer, readBodyWithinLimit } from '../shared/http.ts';
import { injectedFault } from '../shared/injected-fault.ts';
import { listenOn, type EndpointSettings } from '../shared/listen.ts';
import { hostsSignedAs, sameSecret } from '../shared/signature-match.ts';
import type { RunningSimulator } from '../simulator.ts';

/**
 * A Tencent Cloud API 3.0 endpoint (JSON POST to /, TC3-HMAC-SHA256), as the Tencent API
 * gateway answers: every answer is HTTP 200 with `{"Response": {..., "RequestId"}}`, errors as
 * `Response.Error {Code, Message}`. In order, a call goes through: body read, header checks,
 * the version + action lookup (one endpoint may serve several API versions, as
 * dts.tencentcloudapi.com serves DTS 2018-03-30 and 2021-12-06), signature verification (SecretId,
 * ±5 min timestamp, service scope, HMAC recomputed from what arrived), the action's rate limit
 * (RequestLimitExceeded, 20/s per version + action by default), injected faults, then the
 * action handler. Paths under /_sim/ are the simulator's admin API (no auth).
 */
export class Api3Error extends ApiRefusal<string> {}

export type Api3Handler = (params: Record<string, unknown>, context: { region: string | undefined; requestId: string }) => unknown | Promise<unknown>;

/**
 * Admin endpoints of one simulator: path (without /_sim/) → handler returning the JSON answer. The
 * handler gets the JSON body when the URL names it, `{path, body}` for a URL below it (`path` is
 * the rest after its name and a slash).
 */
export type AdminHandler = (body: unknown, method: string) => unknown | Promise<unknown>;

/** What startApi3Server takes; a call beyond its action's limit is answered RequestLimitExceeded. */
export interface Api3ServerOptions extends ActionLimits, EndpointSettings {
  /** Signing service name the credential scope must carry ("dts"). */
  service: string;
  credentials: { secretId: string; secretKey: string };
  /** `${version}/${action}` → handler. */
  handlers: ReadonlyMap<string, Api3Handler>;
  admin?: ReadonlyMap<string, AdminHandler>;
}

export interface Api3Server extends RunningSimulator {
  /** Calls answered per action (errors included), for tests and benchmarks. */
  calls: Map<string, number>;
  faults: FaultInjector;
}

const MAX_SKEW_S = 300;

export async function startApi3Server(options: Api3ServerOptions): Promise<Api3Server> {
  const clock = options.clock ?? systemClock;
  const faults = new FaultInjector({ clock, ...(options.random ? { random: options.random } : {}) });
  const calls = new Map<string, number>();
  const withinLimit = actionRateLimiter(clock, options);

  const admin = new Map<string, AdminEndpoint>([
    ['faults', faultSettingsEndpoint(faults, ['POST'])],
    ['calls', countsEndpoint(calls)],
    ...[...(options.admin ?? [])].map(([name, handler]): [string, AdminEndpoint] => [name, asAdminEndpoint(handler)]),
  ]);

  const server = createSimulatorServer(handle, (res, error) => answer(res, randomUUID(), { Error: { Code: 'InternalError', Message: String(error) } }));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBodyWithinLimit(req);
    if (typeof body !== 'string') return answer(res, requestId, { Error: { Code: 'InvalidParameter', Message: body.message } });
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    if (isAdminPath(path)) return serveAdmin(res, admin, { pathname: path, method: req.method ?? 'GET', body });

    const headers = headersOf(req);
    const action = headers['x-tc-action'] ?? '';
    const fail = (code: string, message: string) => {
      countOne(calls, action || 'unknown');
      answer(res, requestId, { Error: { Code: code, Message: message } });
    };
    if (req.method !== 'POST' || path !== '/') return fail('UnsupportedProtocol', 'API 3.0 calls are POST / with a JSON body');
    if (!action) return fail('MissingParameter', 'The X-TC-Action header is missing');
    const version = headers['x-tc-version'] ?? '';
    const handler = options.handlers.get(`${version}/${action}`);
    if (!handler) {
      const refusal = unservedCall(options, version, action);
      return fail(refusal.code, refusal.message);
    }
    const authProblem = verifySignature(headers, body, options, clock);
    if (authProblem) return fail(authProblem.code, authProblem.message);
    if (!withinLimit(action, version)) return fail('RequestLimitExceeded', `Your requests for ${action} exceed the frequency limit`);

    const fault = await injectedFault(faults, action, !action.startsWith('Describe'));
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
    countOne(calls, action);
    if (faults.dropResponse(action)) {
      res.destroy();
      return;
    }
    answer(res, requestId, (result ?? {}) as object);
  }

  const listening = await listenOn(server, options.listen);
  return {
    url: listening.url,
    calls,
    faults,
    close: () => listening.close(),
  };
}

/** An API 3.0 simulator's admin handler served by the shared /_sim/ dispatch. */
function asAdminEndpoint(handler: AdminHandler): AdminEndpoint {
  return ({ method, body, path }) => handler(path === undefined ? body : { path, body }, method);
}

/**
 * Tencent's refusal of a call no handler serves. The gateway picks the API by X-TC-Version first:
 * a version the service does not have is NoSuchVersion, worded as the gateway words it. Within a
 * version it has, an action that exists only in another version is NoSuchVersion too, any other
 * unknown action InvalidAction.
 */
function unservedCall(options: Api3ServerOptions, version: string, action: string): { code: string; message: string } {
  const keys = [...options.handlers.keys()];
  if (!keys.some((k) => k.startsWith(`${version}/`))) {
    return { code: 'NoSuchVersion', message: `The specified api version=\`${version}\` does not exist in service=\`${options.service}\`.` };
  }
  if (keys.some((k) => k.endsWith(`/${action}`))) return { code: 'NoSuchVersion', message: `Action ${action} does not exist in version ${version}` };
  return { code: 'InvalidAction', message: `The action ${action} does not exist` };
}

function answer(res: ServerResponse, requestId: string, response: object): void {
  sendJson(res, 200, { Response: { ...response, RequestId: requestId } });
}

function verifySignature(headers: Record<string, string>, body: string, options: Api3ServerOptions, clock: Clock): { code: string; message: string } | undefined {
  const authorization = headers.authorization;
  if (!authorization) return { code: 'AuthFailure.SignatureFailure', message: 'The Authorization header is missing: sign the request with TC3-HMAC-SHA256' };
  const parsed = parseTc3Authorization(authorization);
  if (!parsed) return { code: 'AuthFailure.SignatureFailure', message: 'The Authorization header is malformed' };
  if (!sameSecret(parsed.secretId, options.credentials.secretId)) return { code: 'AuthFailure.SecretIdNotFound', message: 'The SecretId does not exist' };
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
  const matches = hostsSignedAs(headers.host ?? '').some((h) =>
    sameSecret(tc3Signature({ host: h, body, contentType: headers['content-type'] ?? '' }, options.credentials.secretKey, options.service, timestamp), parsed.signature),
  );
  if (!matches) return { code: 'AuthFailure.SignatureFailure', message: 'The signature does not match: check the SecretKey and what was signed' };
  return undefined;
}
