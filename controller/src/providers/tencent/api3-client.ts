import { callSettings, providerHttpClient, retryCall, type CallSettings, type ProviderClientOptions } from '../http/client-options.ts';
import { ProviderHttpError, missingEnvelopeError, shouldRepeatCall } from '../http/errors.ts';
import type { JsonHttpClient, OutgoingRequest } from '../http/http-client.ts';
import { outcomeForKind, outcomeForStatus } from '../http/metrics.ts';
import { KeyedTokenBucket } from '../http/rate-limiter.ts';
import { kindForTencentCode } from './api3-errors.ts';
import { tc3Headers, type Tc3Credentials } from './tc3-signer.ts';

export interface TencentApiClientOptions extends ProviderClientOptions {
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
  readonly #settings: CallSettings;
  readonly #host: string;

  constructor(options: TencentApiClientOptions) {
    this.#o = options;
    this.#settings = callSettings(options);
    this.#host = new URL(options.endpoint).host;
    // Tencent answers errors as HTTP 200: the metric outcome comes from Response.Error.Code.
    this.#http = providerHttpClient(options.provider, options, this.#settings, (response) => {
      const code = (response.json as { Response?: { Error?: { Code?: unknown } } } | undefined)?.Response?.Error?.Code;
      return typeof code === 'string' && code !== '' ? outcomeForKind(kindForTencentCode(code)) : outcomeForStatus(response.status);
    });
    const rps = options.actionRequestsPerSecond ?? 20;
    this.#limits = new KeyedTokenBucket({ ratePerSecond: rps, burst: rps, clock: this.#settings.clock });
  }

  async call<T = Record<string, unknown>>(action: string, params: object, options: { idempotent?: boolean } = {}): Promise<T> {
    const idempotent = options.idempotent ?? !action.startsWith('Create');
    return retryCall(
      this.#settings,
      (error) => shouldRepeatCall(error, idempotent),
      async () => {
        await this.#limits.acquire(action);
        return this.#once<T>(action, params);
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
          timestamp: Math.floor(this.#settings.clock.now() / 1000),
        });
        // The transport sets these itself.
        delete headers.Host;
        delete headers['Content-Type'];
        return headers;
      },
    });
    const body = response.json as { Response?: { Error?: { Code?: string; Message?: string } } & Record<string, unknown> } | undefined;
    if (response.status !== 200 || !body?.Response) throw missingEnvelopeError(this.#o.provider, action, response.status, 'the answer has no Response object');
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
