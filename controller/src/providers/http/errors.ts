import { ReconcileError, asReconcileError } from '../../reconcile/errors.ts';

/**
 * What went wrong with a call to a provider, in the terms the reconciler cares about: can
 * retrying help, and how soon?
 *
 * - throttled:   429 or a provider throttling code. Retryable, honours Retry-After.
 * - busy:        the provider is doing something else with the resource (DRS.M01504). Retryable.
 * - unavailable: 5xx, connection refused/reset, unparseable response. Retryable.
 * - timeout:     no complete answer in time. Retryable, but the request may have been processed.
 * - conflict:    the resource is not in a state that allows the operation (409, wrong state).
 *                Retryable after re-observing.
 * - notFound:    the resource is gone (404 or a provider "no such job" code).
 * - auth:        401/403 or a provider credential/permission code. Terminal until the
 *                credentials or permissions change.
 * - invalid:     the provider rejected the request (400-class validation). Terminal: only a
 *                spec change helps.
 */
export const PROVIDER_ERROR_KINDS = ['throttled', 'busy', 'unavailable', 'timeout', 'conflict', 'notFound', 'auth', 'invalid'] as const;
export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['throttled', 'busy', 'unavailable', 'timeout', 'conflict', 'notFound']);

/** Provider messages are echoed to users; cap them so a huge HTML error page does not land in a condition. */
const MAX_PROVIDER_MESSAGE_CHARS = 500;

export interface ProviderHttpErrorInit {
  /** Provider id, e.g. "huawei-drs". */
  provider: string;
  /** Logical operation, e.g. "batch-status". */
  operation: string;
  kind: ProviderErrorKind;
  /** HTTP status, when a response arrived. */
  status?: number;
  /** The provider's error code (DRS.M00202, RequestLimitExceeded, ...). */
  code?: string;
  /** The provider's own message. Never the request body or headers. */
  providerMessage?: string;
  /** Transport-level detail when no response arrived (ECONNREFUSED, headers timeout, ...). */
  detail?: string;
  retryAfterMs?: number;
  /**
   * The request may have reached the provider and been processed (timeout or connection loss
   * after sending). Repeating a non-idempotent call (create) could then duplicate its effect.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/**
 * A failed provider call. The message is built only from the fields above, so it carries no
 * secrets: request bodies and authentication headers never reach it.
 */
export class ProviderHttpError extends Error {
  readonly provider: string;
  readonly operation: string;
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly providerMessage: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly outcomeUnknown: boolean;

  constructor(init: ProviderHttpErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProviderHttpError';
    this.provider = init.provider;
    this.operation = init.operation;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.providerMessage = init.providerMessage === undefined ? undefined : truncate(init.providerMessage);
    this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  /** Whether waiting and trying again can succeed without any change to specs or credentials. */
  get retryable(): boolean {
    return isRetryableKind(this.kind);
  }
}

/**
 * Kinds worth repeating the same call for inside one client call (with backoff). A conflict or
 * not-found is retryable too, but only after re-observing: the reconciler does that.
 */
const TRANSIENT_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['throttled', 'busy', 'unavailable', 'timeout']);

/** Repeat the call? Never for a non-idempotent call whose outcome is unknown (it may have happened). */
export function shouldRepeatCall(error: unknown, idempotent: boolean): boolean {
  return error instanceof ProviderHttpError && TRANSIENT_KINDS.has(error.kind) && (idempotent || !error.outcomeUnknown);
}

export function isRetryableKind(kind: ProviderErrorKind): boolean {
  return RETRYABLE_KINDS.has(kind);
}

/** The generic meaning of an HTTP error status; providers refine it with their error codes. */
export function kindForHttpStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'notFound';
  if (status === 409) return 'conflict';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/**
 * A failure of an API that reports its own errors inside HTTP 200 answers (Tencent Cloud): a
 * non-200 status came from a gateway or proxy (its kind by status); a 200 without the API's
 * envelope is unreadable (unavailable: retried). `expected` says what the 200 lacked.
 */
export function missingEnvelopeError(provider: string, operation: string, status: number, expected: string): ProviderHttpError {
  return new ProviderHttpError({
    provider,
    operation,
    kind: status === 200 ? 'unavailable' : kindForHttpStatus(status),
    status,
    providerMessage: status === 200 ? expected : `HTTP ${status}`,
  });
}

/** Reasons written to conditions and events. */
export const PROVIDER_ERROR_REASONS: Readonly<Record<ProviderErrorKind, string>> = {
  throttled: 'ProviderThrottled',
  busy: 'ProviderBusy',
  unavailable: 'ProviderUnavailable',
  timeout: 'ProviderUnavailable',
  conflict: 'ProviderConflict',
  notFound: 'ProviderNotFound',
  auth: 'ProviderAuthFailed',
  invalid: 'ProviderRejected',
};

/**
 * Translates any failure of a provider call into the reconcile layer's error: terminal for
 * `invalid` (fix the spec) and `auth` (fix the credentials or permissions), retryable otherwise
 * (carrying the provider's Retry-After).
 */
export function toReconcileError(error: unknown): ReconcileError {
  if (error instanceof ReconcileError) return error;
  if (!(error instanceof ProviderHttpError)) return asReconcileError(error);
  const reason = PROVIDER_ERROR_REASONS[error.kind];
  const options: { terminal: boolean; retryAfterMs?: number; cause: unknown } = { terminal: !error.retryable, cause: error };
  if (error.retryAfterMs !== undefined) options.retryAfterMs = error.retryAfterMs;
  return new ReconcileError(reason, error.message, options);
}

/** Run a provider call: its ProviderHttpErrors become ReconcileErrors, anything else passes through. */
export async function callProvider<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw error instanceof ProviderHttpError ? toReconcileError(error) : error;
  }
}

const NEXT_STEP: Readonly<Record<ProviderErrorKind, string>> = {
  throttled: 'the provider is rate-limiting this account; retrying with backoff (lower requestsPerSecond on the ProviderConfig if this persists)',
  busy: 'the provider is busy with another operation on this resource; retrying with backoff',
  unavailable: 'the provider is unreachable or failing; retrying with backoff',
  timeout: 'no answer in time; retrying with backoff',
  conflict: 'the resource is not in a state that allows this operation; will re-read its state and retry',
  notFound: 'the resource does not exist at the provider; check the endpoint and project of the ProviderConfig',
  auth: 'check the credentials Secret and the account permissions named by the ProviderConfig',
  invalid: 'the provider rejected the request; correct the ReplicationJob spec',
};

function describe(init: ProviderHttpErrorInit): string {
  const parts: string[] = [];
  if (init.status !== undefined) parts.push(`HTTP ${init.status}`);
  if (init.code) parts.push(init.code);
  let what = parts.join(' ');
  if (init.providerMessage) what += `${what ? ': ' : ''}${truncate(init.providerMessage)}`;
  if (init.detail) what += `${what ? ' ' : ''}(${init.detail})`;
  if (!what) what = init.kind;
  let next = NEXT_STEP[init.kind];
  if (init.outcomeUnknown) next += '; the request may have been processed, so look the result up before repeating it';
  return `${init.provider} ${init.operation} failed: ${what} — ${next}`;
}

function truncate(text: string): string {
  return text.length <= MAX_PROVIDER_MESSAGE_CHARS ? text : `${text.slice(0, MAX_PROVIDER_MESSAGE_CHARS)}…`;
}
