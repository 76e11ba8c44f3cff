import { kindForHttpStatus, type ProviderErrorKind } from '../http/errors.ts';
import type { HttpResponse } from '../http/http-client.ts';
import { API_GATEWAY_CODES, readHuaweiErrorBody, type HuaweiErrorBody, type HuaweiErrorDialect } from '../huawei/errors.ts';
import { AUTH_ERROR_CODES, CONNECTION_ERROR_PREFIX, DRS_ERROR_CODES, GONE_ERROR_CODES, SERVICE_ERROR_CODES } from './enums.ts';

/** Provider id used in metrics and error messages. */
export const DRS_PROVIDER = 'huawei-drs';

/**
 * What a DRS error code means for a whole call. Codes come first (DRS returns busy as HTTP 202,
 * "no such job" as 400); the HTTP status decides for codes the table does not list.
 */
export function kindForDrsError(status: number, code: string | undefined): ProviderErrorKind {
  if (code) {
    if (code === DRS_ERROR_CODES.busy) return 'busy';
    if (code === API_GATEWAY_CODES.throttled) return 'throttled';
    if (GONE_ERROR_CODES.has(code)) return 'notFound';
    if (AUTH_ERROR_CODES.has(code)) return 'auth';
    if (SERVICE_ERROR_CODES.has(code)) return 'unavailable';
    if (code === DRS_ERROR_CODES.wrongState || code === DRS_ERROR_CODES.nameExists) return 'conflict';
  }
  return kindForHttpStatus(status);
}

/** The error code and message of a DRS error body (error_msg, or error_message as batch-status spells it). */
export function readErrorBody(json: unknown): HuaweiErrorBody {
  return readHuaweiErrorBody(json, ['error_msg', 'error_message']);
}

/** How DRS whole-call failures become ProviderHttpErrors. */
export const DRS_ERROR_DIALECT: HuaweiErrorDialect = {
  provider: DRS_PROVIDER,
  readBody: readErrorBody,
  kindOf: kindForDrsError,
  busyCode: DRS_ERROR_CODES.busy,
};

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
