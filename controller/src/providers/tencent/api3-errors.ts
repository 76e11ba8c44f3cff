import type { ProviderErrorKind } from '../http/errors.ts';

/**
 * Tencent Cloud API 3.0 error codes (HTTP 200 with Response.Error) → the shared error kinds.
 * Prefix match: RequestLimitExceeded.UinLimitExceeded is throttling like RequestLimitExceeded.
 */
const RULES: [prefix: string, kind: ProviderErrorKind][] = [
  ['RequestLimitExceeded', 'throttled'],
  ['InternalError', 'unavailable'],
  ['ServiceUnavailable', 'unavailable'],
  ['ResourceUnavailable', 'unavailable'],
  ['AuthFailure', 'auth'],
  ['UnauthorizedOperation', 'auth'],
  ['ResourceNotFound', 'notFound'],
  ['FailedOperation.StatusInConflict', 'conflict'],
  ['OperationDenied', 'conflict'],
  ['ResourceInUse', 'busy'],
];

export function kindForTencentCode(code: string): ProviderErrorKind {
  for (const [prefix, kind] of RULES) if (code === prefix || code.startsWith(`${prefix}.`)) return kind;
  // InvalidParameter*, MissingParameter, UnknownParameter, LimitExceeded.*, FailedOperation.*:
  // the request itself is wrong (or not allowed); only a change to it helps.
  return 'invalid';
}
