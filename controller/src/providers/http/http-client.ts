import { Agent, request, type Dispatcher } from 'undici';
import { systemClock, type Clock } from '../../clock.ts';
import { ProviderHttpError, type ProviderErrorKind } from './errors.ts';
import { outcomeForKind, outcomeForStatus, type OnRequest, type RequestOutcome } from './metrics.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** What a signer sees: exactly what goes on the wire (same shape as huawei/signer.ts SignableRequest). */
export interface OutgoingRequest {
  method: HttpMethod;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  /** Serialized body; '' when there is none. */
  body: string;
}

/** Returns the headers to add (authentication, signature, date). May be async (token fetch). */
export type RequestSigner = (req: OutgoingRequest) => Record<string, string> | Promise<Record<string, string>>;

export interface HttpRequest {
  /** Logical operation for metrics and error messages ("batch-status"); never an ID. */
  operation: string;
  method: HttpMethod;
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  /** Serialized as JSON (content-type application/json) before signing. Omit for no body. */
  json?: unknown;
  /** Overrides the client's signer for this request (e.g. an unauthenticated IAM token call: `null`). */
  sign?: RequestSigner | null;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

export interface JsonHttpClientOptions {
  /** Provider id for metrics and error messages. */
  provider: string;
  /** Deadline of one call: connect, headers and body each, and the call as a whole. Default 30 s. */
  timeoutMs?: number;
  /** Keep-alive connections per origin. Default 16. */
  connections?: number;
  /** How long an idle keep-alive connection is kept. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Use this dispatcher instead of a private Agent (it is then not closed by close()). */
  dispatcher?: Dispatcher;
  /** Adds authentication headers to every request (per-request `sign` overrides). */
  sign?: RequestSigner;
  onRequest?: OnRequest;
  /** Metric outcome of a response; providers that report busy/throttling in a body override it. */
  outcomeOf?: (response: HttpResponse) => RequestOutcome;
  /** Larger responses are refused (a runaway body must not exhaust memory). Default 32 MiB. */
  maxResponseBytes?: number;
  /** For the duration metric and deadlines. */
  clock?: Clock;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Codes of failures that happen before the request is written: repeating it cannot duplicate anything. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * JSON over HTTP for provider APIs: keep-alive connection pools per origin (undici Agent), a
 * deadline on every call, a signing hook that sees the exact bytes sent, and one metric per
 * call. Any HTTP status resolves (providers put meaning in error bodies); only transport
 * failures throw, as ProviderHttpError `timeout` or `unavailable` whose messages never contain
 * request bodies or headers.
 */
export class JsonHttpClient {
  readonly provider: string;
  readonly timeoutMs: number;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #sign: RequestSigner | undefined;
  readonly #onRequest: OnRequest | undefined;
  readonly #outcomeOf: (response: HttpResponse) => RequestOutcome;
  readonly #maxResponseBytes: number;
  readonly #clock: Clock;
  #closed = false;

  constructor(options: JsonHttpClientOptions) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new RangeError(`${options.provider} HTTP client: timeoutMs must be a positive number, got ${timeoutMs}`);
    }
    this.provider = options.provider;
    this.timeoutMs = timeoutMs;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Agent({
        connections: options.connections ?? 16,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        connect: { timeout: timeoutMs },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    this.#sign = options.sign;
    this.#onRequest = options.onRequest;
    this.#outcomeOf = options.outcomeOf ?? ((response) => outcomeForStatus(response.status));
    this.#maxResponseBytes = options.maxResponseBytes ?? 32 * 1024 * 1024;
    this.#clock = options.clock ?? systemClock;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const started = this.#clock.now();
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body = '';
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    }
    const outgoing: OutgoingRequest = { method: req.method, url: req.url, headers, body };
    const signer = req.sign === undefined ? this.#sign : (req.sign ?? undefined);

    if (signer) {
      try {
        Object.assign(headers, await signer({ ...outgoing, headers: { ...headers } }));
      } catch (error) {
        // Nothing was sent; the signer's own error (e.g. an IAM token failure) says what to fix.
        this.#record(req.operation, error instanceof ProviderHttpError ? outcomeForKind(error.kind) : 'error', started);
        throw error;
      }
    }

    let response: HttpResponse;
    try {
      response = await this.#dispatch(outgoing, req);
    } catch (error) {
      if (req.signal?.aborted) {
        // The caller gave up (shutdown, lost leadership): not a provider failure.
        this.#record(req.operation, 'error', started);
        throw req.signal.reason;
      }
      const failure = error instanceof ProviderHttpError ? error : this.#transportError(req.operation, error);
      this.#record(req.operation, outcomeForKind(failure.kind), started);
      throw failure;
    }
    this.#record(req.operation, this.#outcomeOf(response), started);
    return response;
  }

  /** Closes the private connection pools (an injected dispatcher is left to its owner). Idempotent. */
  async close(): Promise<void> {
    if (!this.#ownsDispatcher || this.#closed) return;
    this.#closed = true;
    await this.#dispatcher.close();
  }

  async #dispatch(outgoing: OutgoingRequest, req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const deadline = new AbortController();
    const timer = this.#clock.setTimeout(() => deadline.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    try {
      const res = await request(outgoing.url, {
        dispatcher: this.#dispatcher,
        method: outgoing.method,
        headers: outgoing.headers,
        body: outgoing.body === '' ? null : outgoing.body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await readLimited(res.body, this.#maxResponseBytes);
      return { status: res.statusCode, headers: flattenHeaders(res.headers), text, json: parseJson(text) };
    } catch (error) {
      if (deadline.signal.aborted && !req.signal?.aborted) throw deadline.signal.reason;
      throw error;
    } finally {
      this.#clock.clearTimeout(timer);
    }
  }

  #transportError(operation: string, error: unknown): ProviderHttpError {
    if (error instanceof DeadlineExceeded) {
      return new ProviderHttpError({
        provider: this.provider,
        operation,
        kind: 'timeout',
        detail: `no complete response within ${error.timeoutMs} ms`,
        outcomeUnknown: true,
      });
    }
    if (error instanceof ResponseTooLarge) {
      return new ProviderHttpError({ provider: this.provider, operation, kind: 'unavailable', detail: error.message, outcomeUnknown: true });
    }
    const code = errorCode(error);
    const kind: ProviderErrorKind = code !== undefined && TIMEOUT_CODES.has(code) ? 'timeout' : 'unavailable';
    return new ProviderHttpError({
      provider: this.provider,
      operation,
      kind,
      detail: code ?? 'network error',
      outcomeUnknown: code === undefined || !NOT_SENT_CODES.has(code),
      cause: error,
    });
  }

  #record(operation: string, outcome: RequestOutcome, started: number): void {
    if (!this.#onRequest) return;
    try {
      this.#onRequest({ provider: this.provider, operation, outcome, seconds: Math.max(0, this.#clock.now() - started) / 1000 });
    } catch {
      // A broken metrics hook must not turn a successful call into a failure.
    }
  }
}

class DeadlineExceeded extends Error {
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`deadline of ${timeoutMs} ms exceeded`);
    this.timeoutMs = timeoutMs;
  }
}

class ResponseTooLarge extends Error {}

async function readLimited(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, limit: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy?.();
      throw new ResponseTooLarge(`response larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function hasHeader(headers: Record<string, string>, lowerName: string): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === lowerName);
}

/** The first `code` along the cause chain (undici and Node put ECONNREFUSED & co. there). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
