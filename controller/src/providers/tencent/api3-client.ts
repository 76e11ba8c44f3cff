import type { Dispatcher } from 'undici';
import { sleepOn, systemClock, type Clock } from '../../clock.ts';
import { ProviderHttpError, kindForHttpStatus, shouldRepeatCall } from '../http/errors.ts';
import { JsonHttpClient, type OutgoingRequest } from '../http/http-client.ts';
import { outcomeForKind, outcomeForStatus, type OnRequest } from '../http/metrics.ts';
import { KeyedTokenBucket } from '../http/rate-limiter.ts';
import { withRetry } from '../http/retry.ts';
import { kindForTencentCode } from './api3-errors.ts';
import { tc3Headers, type Tc3Credentials } from './tc3-signer.ts';

export interface TencentApiClientOptions {
  /** Provider id for metrics and errors ("tencent-dts"). */
  provider: string;
  /** e.g. https://dts.tencentcloudapi.com */
  endpoint: string;
  /** Signing service name ("dts", "cdb"). */
  service: string;
  /** API version ("2021-12-06"). */
  version: string;
  region?: string;
  credentials: Tc3Credentials;
  /** Tencent limits each action separately: 20 requests/s by default. */
  actionRequestsPerSecond?: number;
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number };
  timeoutMs?: number;
  onRequest?: OnRequest;
  dispatcher?: Dispatcher;
  clock?: Clock;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * One Tencent Cloud API 3.0 service (JSON POST to /, TC3-HMAC-SHA256 signed). Errors arrive as
 * HTTP 200 with Response.Error and become ProviderHttpErrors of the shared kinds; throttling,
 * busy and unavailable answers are retried with jittered backoff. A non-idempotent call (Create*)
 * is never repeated when its outcome is unknown (timeout, connection lost after sending): the
 * caller looks the job up by name instead.
 */
export class TencentApiClient {
  readonly #o: TencentApiClientOptions;
  readonly #http: JsonHttpClient;
  readonly #limits: KeyedTokenBucket;
  readonly #clock: Clock;
  readonly #host: string;

  constructor(options: TencentApiClientOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#host = new URL(options.endpoint).host;
    this.#http = new JsonHttpClient({
      provider: options.provider,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      // Tencent answers errors as HTTP 200: the metric outcome comes from Response.Error.Code.
      outcomeOf: (response) => {
        const code = (response.json as { Response?: { Error?: { Code?: unknown } } } | undefined)?.Response?.Error?.Code;
        return typeof code === 'string' && code !== '' ? outcomeForKind(kindForTencentCode(code)) : outcomeForStatus(response.status);
      },
      clock: this.#clock,
    });
    const rps = options.actionRequestsPerSecond ?? 20;
    this.#limits = new KeyedTokenBucket({ ratePerSecond: rps, burst: rps, clock: this.#clock });
  }

  async call<T = Record<string, unknown>>(action: string, params: object, options: { idempotent?: boolean } = {}): Promise<T> {
    const idempotent = options.idempotent ?? !action.startsWith('Create');
    const retry = this.#o.retry ?? {};
    return withRetry(
      async () => {
        await this.#limits.acquire(action);
        return this.#once<T>(action, params);
      },
      {
        maxAttempts: retry.maxAttempts ?? 4,
        baseMs: retry.baseMs ?? 500,
        maxMs: retry.maxMs ?? 10_000,
        ...(this.#o.random ? { random: this.#o.random } : {}),
        sleep: this.#o.sleep ?? sleepOn(this.#clock),
        isRetryable: (error) => shouldRepeatCall(error, idempotent),
        retryAfterMs: (error) => (error instanceof ProviderHttpError ? error.retryAfterMs : undefined),
      },
    );
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  async #once<T>(action: string, params: object): Promise<T> {
    const response = await this.#http.send({
      operation: action,
      method: 'POST',
      url: this.#o.endpoint.endsWith('/') ? this.#o.endpoint : `${this.#o.endpoint}/`,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      json: params,
      sign: (req: OutgoingRequest) => {
        const headers = tc3Headers({
          req: { host: this.#host, body: req.body, contentType: req.headers['content-type'] ?? 'application/json; charset=utf-8' },
          credentials: this.#o.credentials,
          service: this.#o.service,
          action,
          version: this.#o.version,
          ...(this.#o.region ? { region: this.#o.region } : {}),
          timestamp: Math.floor(this.#clock.now() / 1000),
        });
        // The transport sets these itself.
        delete headers.Host;
        delete headers['Content-Type'];
        return headers;
      },
    });
    const body = response.json as { Response?: { Error?: { Code?: string; Message?: string } } & Record<string, unknown> } | undefined;
    if (response.status !== 200 || !body?.Response) {
      throw new ProviderHttpError({
        provider: this.#o.provider,
        operation: action,
        kind: response.status === 200 ? 'unavailable' : kindForHttpStatus(response.status),
        status: response.status,
        providerMessage: response.status === 200 ? 'the answer has no Response object' : `HTTP ${response.status}`,
      });
    }
    const error = body.Response.Error;
    if (error?.Code) {
      throw new ProviderHttpError({
        provider: this.#o.provider,
        operation: action,
        kind: kindForTencentCode(error.Code),
        status: 200,
        code: error.Code,
        providerMessage: error.Message ?? error.Code,
      });
    }
    return body.Response as T;
  }
}
