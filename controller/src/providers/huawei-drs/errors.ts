import { ProviderHttpError, kindForHttpStatus, type ProviderErrorKind } from '../http/errors.ts';
import type { HttpResponse } from '../http/http-client.ts';
import { parseRetryAfter } from '../http/retry.ts';
import { AUTH_ERROR_CODES, CONNECTION_ERROR_PREFIX, DRS_ERROR_CODES, GONE_ERROR_CODES, SERVICE_ERROR_CODES } from './enums.ts';

/** Provider id used in metrics and error messages. */
export const DRS_PROVIDER = 'huawei-drs';

/** API gateway code for "request throttled" (HTTP 429 usually, but the code is what is reliable). */
const GATEWAY_THROTTLED = 'APIGW.0308';

/**
 * What a DRS error code means for a whole call. Codes come first (DRS returns busy as HTTP 202,
 * "no such job" as 400); the HTTP status decides for codes the table does not list.
 */
export function kindForDrsError(status: number, code: string | undefined): ProviderErrorKind {
  if (code) {
    if (code === DRS_ERROR_CODES.busy) return 'busy';
    if (code === GATEWAY_THROTTLED) return 'throttled';
    if (GONE_ERROR_CODES.has(code)) return 'notFound';
    if (AUTH_ERROR_CODES.has(code)) return 'auth';
    if (SERVICE_ERROR_CODES.has(code)) return 'unavailable';
    if (code === DRS_ERROR_CODES.wrongState || code === DRS_ERROR_CODES.nameExists) return 'conflict';
  }
  return kindForHttpStatus(status);
}

/** The error code and message of a DRS error body (error_msg, or error_message as batch-status spells it). */
export function readErrorBody(json: unknown): { code?: string; message?: string } {
  if (typeof json !== 'object' || json === null) return {};
  const body = json as Record<string, unknown>;
  const out: { code?: string; message?: string } = {};
  if (typeof body.error_code === 'string' && body.error_code !== '') out.code = body.error_code;
  const message = body.error_msg ?? body.error_message;
  if (typeof message === 'string' && message !== '') out.message = message;
  return out;
}

/** A whole-call failure from a DRS response that was not a success. */
export function drsResponseError(
  operation: string,
  response: HttpResponse,
  options: { nowMs: number; outcomeUnknown?: boolean },
): ProviderHttpError {
  const { code, message } = readErrorBody(response.json);
  const kind = kindForDrsError(response.status, code);
  const init: ConstructorParameters<typeof ProviderHttpError>[0] = { provider: DRS_PROVIDER, operation, kind, status: response.status };
  if (code) init.code = code;
  if (message) init.providerMessage = message;
  else if (response.json === undefined && response.text.trim() !== '') init.detail = 'non-JSON error body';
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], options.nowMs);
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  // A 5xx may come after the service acted; for a non-idempotent call that is an unknown outcome.
  if (options.outcomeUnknown && response.status >= 500) init.outcomeUnknown = true;
  return new ProviderHttpError(init);
}

/** A 2xx body that says the whole call was refused because the job is busy (202 + DRS.M01504). */
export function isWholeCallBusy(response: HttpResponse): boolean {
  return readErrorBody(response.json).code === DRS_ERROR_CODES.busy && !hasResults(response.json);
}

/** The ID list of a query held a job that no longer exists: batch-detail answers 400 with results[0].error_code. */
export function isGoneQueryResponse(response: HttpResponse): boolean {
  if (response.status < 400 || response.status >= 500) return false;
  const top = readErrorBody(response.json).code;
  if (top && GONE_ERROR_CODES.has(top)) return true;
  const results = resultsOf(response.json);
  const first = results?.[0];
  const code = readErrorBody(first).code;
  return code !== undefined && GONE_ERROR_CODES.has(code);
}

export function isGoneCode(code: string | undefined): boolean {
  return code !== undefined && GONE_ERROR_CODES.has(code);
}

/**
 * Whether a per-item failure code is worth retrying later without any change: busy, service
 * errors, wrong-state (the job is moving; re-read and retry) and connection-test failures (a
 * firewall, whitelist or database outside the cluster may be fixed at any time).
 */
export function isRetryableItemCode(code: string): boolean {
  return (
    code === DRS_ERROR_CODES.busy ||
    SERVICE_ERROR_CODES.has(code) ||
    code === DRS_ERROR_CODES.wrongState ||
    code.startsWith(CONNECTION_ERROR_PREFIX)
  );
}

export function resultsOf(json: unknown): unknown[] | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const results = (json as Record<string, unknown>).results;
  return Array.isArray(results) ? results : undefined;
}

function hasResults(json: unknown): boolean {
  return (resultsOf(json)?.length ?? 0) > 0;
}
