import { ProviderHttpError, kindForHttpStatus, type ProviderErrorKind } from '../http/errors.ts';
import { API_GATEWAY_CODES, readHuaweiErrorBody, type HuaweiErrorDialect } from '../huawei/errors.ts';

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
  gatewayAuth: API_GATEWAY_CODES.auth,
  /** 429: throttled (API gateway). */
  gatewayThrottled: API_GATEWAY_CODES.throttled,
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

/** How failed calls become ProviderHttpErrors: `{error_code, error_msg}` bodies, the codes above. */
export const CLICKHOUSE_ERROR_DIALECT: HuaweiErrorDialect = {
  provider: CLICKHOUSE_PROVIDER,
  readBody: readHuaweiErrorBody,
  kindOf: kindForClickHouseError,
  busyCode: CH_ERROR_CODES.replicationBusy,
};

export function hasCode(error: unknown, code: string): boolean {
  return error instanceof ProviderHttpError && error.code === code;
}
