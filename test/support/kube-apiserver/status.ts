// Kubernetes `Status` error objects, built the way k8s.io/apimachinery/pkg/api/errors
// builds them, so clients (client-node, kubectl) see the exact bodies a real
// kube-apiserver sends. Key order follows the Go struct field order.
import { aggregateMessage, errorBody, type FieldError } from './field-errors.ts';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** A group + resource pair, e.g. `{group: 'test.example.io', resource: 'widgets'}`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A group + kind pair, e.g. `{group: 'test.example.io', kind: 'Widget'}`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** An error that is answered with a Status body and its HTTP code. */
export class ApiError extends Error {
  readonly status: Status;
  readonly headers: Record<string, string>;

  constructor(status: Status, headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
    this.headers = headers;
  }

  get code(): number {
    return this.status.code ?? 500;
  }
}

/** `widgets.test.example.io` or `secrets` (schema.GroupResource.String()). */
export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/** `Widget.test.example.io` or `Secret` (schema.GroupKind.String()). */
export function qualifiedKind(gk: GroupKind): string {
  return gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) status.details = details;
  status.code = code;
  return status;
}

function details(name: string, group: string, kind: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  if (kind) d.kind = kind;
  return d;
}

export function notFound(gr: GroupResource, name: string): ApiError {
  return new ApiError(
    failure(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`, details(name, gr.group, gr.resource)),
  );
}

/** The 404 the server answers for paths no handler serves. */
export function resourceNotFound(): ApiError {
  return new ApiError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
}

export function alreadyExists(gr: GroupResource, name: string, beingDeleted = false): ApiError {
  const message = `${qualifiedResource(gr)} "${name}" already exists`;
  return new ApiError(
    failure(
      409,
      'AlreadyExists',
      beingDeleted ? `object is being deleted: ${message}` : message,
      details(name, gr.group, gr.resource),
    ),
  );
}

export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, cause: string): ApiError {
  return new ApiError(
    failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${cause}`,
      details(name, gr.group, gr.resource),
    ),
  );
}

export function invalid(gk: GroupKind, name: string, errors: readonly FieldError[]): ApiError {
  const causes = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const aggregate = aggregateMessage(errors);
  const message = aggregate
    ? `${qualifiedKind(gk)} "${name}" is invalid: ${aggregate}`
    : `${qualifiedKind(gk)} "${name}" is invalid`;
  const d = details(name, gk.group, gk.kind);
  d.causes = causes;
  return new ApiError(failure(422, 'Invalid', message, d));
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, 'BadRequest', message));
}

export function forbidden(gr: GroupResource, name: string, cause: string): ApiError {
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new ApiError(failure(403, 'Forbidden', `${subject} is forbidden: ${cause}`, details(name, gr.group, gr.resource)));
}

export function methodNotSupported(gr: GroupResource, action: string): ApiError {
  return new ApiError(
    failure(
      405,
      'MethodNotAllowed',
      `${action} is not supported on resources of kind "${qualifiedResource(gr)}"`,
      details('', gr.group, gr.resource),
    ),
  );
}

export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return new ApiError(failure(415, 'UnsupportedMediaType', message));
}

export function notAcceptable(accepted: readonly string[]): ApiError {
  return new ApiError(
    failure(406, 'NotAcceptable', `only the following media types are accepted: ${accepted.join(', ')}`),
  );
}

export function internalError(cause: string): ApiError {
  return new ApiError(
    failure(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] }),
  );
}

export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(failure(429, 'TooManyRequests', message, { retryAfterSeconds }), {
    'Retry-After': String(retryAfterSeconds),
  });
}

export function serviceUnavailable(message: string): ApiError {
  return new ApiError(failure(503, 'ServiceUnavailable', message));
}

export function resourceExpired(message: string): Status {
  return failure(410, 'Expired', message);
}

/**
 * errors.NewGenericServerResponse: the catch-all the server uses for a code
 * without a dedicated constructor (and for JSON-patch application errors).
 */
export function genericServerResponse(code: number, cause: string, gr?: GroupResource, name = ''): ApiError {
  const reasons: Record<number, [string, string]> = {
    400: ['BadRequest', 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', 'the server does not allow access to the requested resource'],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    406: ['NotAcceptable', 'the server was unable to respond with a content type that the client supports'],
    409: ['Conflict', 'the server reported a conflict'],
    410: ['Gone', 'the server has asked for the client to request a new copy'],
    413: ['RequestEntityTooLarge', 'the server has rejected the request because it is too large'],
    415: ['UnsupportedMediaType', 'the server was unable to respond with a content type that the client supports'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    500: ['InternalError', 'an error on the server has prevented the request from succeeding'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'],
  };
  const [reason, message] = reasons[code] ?? ['Unknown', `an error on the server ("${cause}") has prevented the request from succeeding`];
  const d = details(name, gr?.group ?? '', gr?.resource ?? '');
  if (cause) d.causes = [{ reason: 'UnexpectedServerResponse', message: cause }];
  return new ApiError(failure(code, reason, message, d));
}

export function successStatus(detailsOf?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (detailsOf) status.details = detailsOf;
  return status;
}

/** ErrorToAPIStatus for an error that is not a Status (reason Unknown), e.g. storage-layer errors. */
export function unknownError(code: number, message: string): ApiError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Unknown', code };
  return new ApiError(status);
}
