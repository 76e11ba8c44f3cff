import { ProviderHttpError, kindForHttpStatus, type ProviderErrorKind } from '../http/errors.ts';
import type { HttpResponse } from '../http/http-client.ts';
import { parseRetryAfter } from '../http/retry.ts';

/** Provider id used in metrics and error messages. */
export const CLICKHOUSE_PROVIDER = 'huawei-clickhouse';

/**
 * Error codes of the replication API, answered as HTTP 400/500 `{error_code, error_msg}`. The
 * published reference lists the shape but not the codes of this API, so the service codes
 * below are this project's assumption (GaussDB(for MySQL) uses the DBS.* namespace); the
 * simulator answers with them, and the client also falls back on the HTTP status. The API
 * gateway codes (APIGW.*) are Huawei Cloud's documented ones.
 */
export const CH_ERROR_CODES = {
  /** 500: the service failed; retry. */
  internal: 'DBS.280000',
  /** 400: a parameter is missing or malformed. */
  invalidParameter: 'DBS.280001',
  /** 400: the ClickHouse instance does not exist in this project. */
  instanceNotFound: 'DBS.280104',
  /** 400: the source GaussDB(for MySQL) instance, node or database does not exist. */
  sourceNotFound: 'DBS.280105',
  /** 400: the database already has a synchronization task on this ClickHouse instance. */
  replicationExists: 'DBS.280201',
  /** 400: the database has no synchronization task on this ClickHouse instance. */
  replicationNotFound: 'DBS.280202',
  /** 400: the task is being created or removed; try again shortly. */
  replicationBusy: 'DBS.280203',
  /** 400: the source database did not pass the synchronization check. */
  checkFailed: 'DBS.280204',
  /** 401: the token or AK/SK signature was refused (API gateway). */
  gatewayAuth: 'APIGW.0301',
  /** 429: throttled (API gateway). */
  gatewayThrottled: 'APIGW.0308',
} as const;

/** What an error code means for a call; the HTTP status decides for codes not listed. */
export function kindForClickHouseError(status: number, code: string | undefined): ProviderErrorKind {
  switch (code) {
    case CH_ERROR_CODES.gatewayThrottled:
      return 'throttled';
    case CH_ERROR_CODES.internal:
      return 'unavailable';
    case CH_ERROR_CODES.replicationBusy:
      return 'busy';
    case CH_ERROR_CODES.replicationExists:
      return 'conflict';
    case CH_ERROR_CODES.replicationNotFound:
      return 'notFound';
    case CH_ERROR_CODES.gatewayAuth:
      return 'auth';
    default:
      return kindForHttpStatus(status);
  }
}

export function readErrorBody(json: unknown): { code?: string; message?: string } {
  if (typeof json !== 'object' || json === null) return {};
  const body = json as Record<string, unknown>;
  const out: { code?: string; message?: string } = {};
  if (typeof body.error_code === 'string' && body.error_code !== '') out.code = body.error_code;
  if (typeof body.error_msg === 'string' && body.error_msg !== '') out.message = body.error_msg;
  return out;
}

/** A failed call, from a response that was not 2xx. */
export function clickHouseResponseError(operation: string, response: HttpResponse, options: { nowMs: number; outcomeUnknown?: boolean }): ProviderHttpError {
  const { code, message } = readErrorBody(response.json);
  const init: ConstructorParameters<typeof ProviderHttpError>[0] = {
    provider: CLICKHOUSE_PROVIDER,
    operation,
    kind: kindForClickHouseError(response.status, code),
    status: response.status,
  };
  if (code) init.code = code;
  if (message) init.providerMessage = message;
  else if (response.json === undefined && response.text.trim() !== '') init.detail = 'non-JSON error body';
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], options.nowMs);
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  // A 5xx may come after the service acted: for a non-idempotent call the outcome is unknown.
  if (options.outcomeUnknown && response.status >= 500) init.outcomeUnknown = true;
  return new ProviderHttpError(init);
}

export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ProviderHttpError && error.code === code;
}
