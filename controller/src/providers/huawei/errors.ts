import { ProviderHttpError, type ProviderErrorKind } from '../http/errors.ts';
import type { HttpResponse } from '../http/http-client.ts';
import { outcomeForStatus, type RequestOutcome } from '../http/metrics.ts';
import { parseRetryAfter } from '../http/retry.ts';

/** Codes of Huawei Cloud's API gateway, the same in front of every service. */
export const API_GATEWAY_CODES = {
  /** 401: the token or AK/SK signature was refused. */
  auth: 'APIGW.0301',
  /** 429: throttled (the code is what is reliable, the status usually 429). */
  throttled: 'APIGW.0308',
} as const;

export interface HuaweiErrorBody {
  code?: string;
  message?: string;
}

/**
 * The code and message of a Huawei Cloud error body, `{error_code, error_msg}`. `messageKeys`
 * names where the message may stand, first found wins (DRS batch-status spells it error_message).
 */
export function readHuaweiErrorBody(json: unknown, messageKeys: readonly string[] = ['error_msg']): HuaweiErrorBody {
  if (typeof json !== 'object' || json === null) return {};
  const body = json as Record<string, unknown>;
  const out: HuaweiErrorBody = {};
  if (typeof body.error_code === 'string' && body.error_code !== '') out.code = body.error_code;
  const message = messageKeys.map((key) => body[key]).find((value) => value !== undefined && value !== null);
  if (typeof message === 'string' && message !== '') out.message = message;
  return out;
}

/** How one Huawei service reports failures: its error bodies and what its codes mean for a call. */
export interface HuaweiErrorDialect {
  /** Provider id in metrics and errors. */
  provider: string;
  readBody: (json: unknown) => HuaweiErrorBody;
  kindOf: (status: number, code: string | undefined) => ProviderErrorKind;
  /** The service's "busy, try again" code (counted as busy in metrics). */
  busyCode: string;
}

/**
 * A whole-call failure from an answer that was not a success: the service's code and message,
 * Retry-After, and — for a non-idempotent call answered 5xx — an unknown outcome (the service
 * may have acted before failing).
 */
export function huaweiResponseError(
  dialect: HuaweiErrorDialect,
  operation: string,
  response: HttpResponse,
  options: { nowMs: number; outcomeUnknown?: boolean },
): ProviderHttpError {
  const { code, message } = dialect.readBody(response.json);
  const init: ConstructorParameters<typeof ProviderHttpError>[0] = {
    provider: dialect.provider,
    operation,
    kind: dialect.kindOf(response.status, code),
    status: response.status,
  };
  if (code) init.code = code;
  if (message) init.providerMessage = message;
  else if (response.json === undefined && response.text.trim() !== '') init.detail = 'non-JSON error body';
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], options.nowMs);
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  if (options.outcomeUnknown && response.status >= 500) init.outcomeUnknown = true;
  return new ProviderHttpError(init);
}

/** A success status whose body is not what the API reference describes; `where` names the bad fields. */
export function unexpectedShapeError(provider: string, operation: string, response: HttpResponse, idempotent: boolean, where?: string): ProviderHttpError {
  return new ProviderHttpError({
    provider,
    operation,
    kind: 'unavailable',
    status: response.status,
    detail: `the response does not have the shape the API reference describes${where === undefined ? '' : ` (${where})`}`,
    outcomeUnknown: !idempotent,
  });
}

/**
 * Metric outcome of a response: Huawei services report gateway throttling and their own "busy"
 * code in bodies, whatever the status says.
 */
export function huaweiRequestOutcome(busyCode: string): (response: HttpResponse) => RequestOutcome {
  return (response) => {
    const code = readHuaweiErrorBody(response.json).code;
    if (code === busyCode) return 'busy';
    if (code === API_GATEWAY_CODES.throttled) return 'throttled';
    return outcomeForStatus(response.status);
  };
}
