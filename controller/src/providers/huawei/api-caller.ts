import { callSettings, providerHttpClient, retryCall, type CallSettings, type ProviderClientOptions } from '../http/client-options.ts';
import { shouldRepeatCall } from '../http/errors.ts';
import type { HttpResponse, JsonHttpClient } from '../http/http-client.ts';
import { TokenBucket } from '../http/rate-limiter.ts';
import { createHuaweiAuth, type HuaweiAuth, type HuaweiAuthConfig } from './auth.ts';
import { huaweiApiUrl, type HuaweiRoute } from './endpoints.ts';
import { huaweiRequestOutcome, huaweiResponseError, type HuaweiErrorDialect } from './errors.ts';

/** What a client of one Huawei Cloud service (DRS, GaussDB(for MySQL) ClickHouse replication) is built from. */
export interface HuaweiClientOptions extends ProviderClientOptions {
  /** Regional endpoint of the service, e.g. https://drs.ap-southeast-1.myhuaweicloud.com */
  endpoint: string;
  projectId: string;
  auth: HuaweiAuthConfig;
  /** Client-side limit for this account. Default 20 (the usual per-account quota). */
  requestsPerSecond?: number;
  /** Default: requestsPerSecond rounded up. */
  burst?: number;
  /** Response language of provider messages. Default en-us. */
  language?: 'en-us' | 'zh-cn';
}

export interface HuaweiCall {
  /** Logical operation, for metrics and errors. */
  operation: string;
  route: HuaweiRoute;
  /** Values of the path's placeholders other than {project_id} (the caller's project). */
  pathValues?: Readonly<Record<string, string | undefined>>;
  query?: Readonly<Record<string, string>>;
  json?: unknown;
  /** False for creations: never repeated when the first attempt may have been processed. */
  idempotent: boolean;
  /** Whether an answer is the call's result; any other becomes an error. Default: a 2xx. */
  accept?: (response: HttpResponse) => boolean;
}

/** A 2xx answer: what a call accepts unless told otherwise. */
export function isSuccess(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/**
 * One account's calls to one Huawei Cloud service (endpoint + project + credentials): the part
 * the DRS and ClickHouse clients share. Every call is rate-limited, authenticated (a 401 to an
 * IAM token fetches a fresh token and sends again, once), and retried with full-jitter backoff
 * and Retry-After when it was throttled, busy, 5xx or timed out — except a non-idempotent call
 * whose outcome is unknown. Failures are ProviderHttpErrors read in the service's dialect.
 */
export class HuaweiApiCaller {
  readonly endpoint: string;
  readonly projectId: string;
  /** Clock, random source, sleep and retry budget (the DRS client reuses them for items answered busy). */
  readonly settings: CallSettings;
  readonly #dialect: HuaweiErrorDialect;
  readonly #http: JsonHttpClient;
  readonly #auth: HuaweiAuth;
  readonly #limiter: TokenBucket;
  readonly #headers: Record<string, string>;

  constructor(options: HuaweiClientOptions, dialect: HuaweiErrorDialect) {
    if (!/^https?:\/\/[^\s/]+/.test(options.endpoint)) {
      throw new Error(`${dialect.provider} client: endpoint must be an http(s) URL such as https://<service>.<region>.myhuaweicloud.com, got ${JSON.stringify(options.endpoint)}`);
    }
    if (!options.projectId) throw new Error(`${dialect.provider} client: projectId is required; set spec.projectId on the ProviderConfig`);
    this.endpoint = options.endpoint;
    this.projectId = options.projectId;
    this.settings = callSettings(options);
    this.#dialect = dialect;
    this.#limiter = new TokenBucket({
      ratePerSecond: options.requestsPerSecond ?? 20,
      clock: this.settings.clock,
      ...(options.burst === undefined ? {} : { burst: options.burst }),
    });
    this.#http = providerHttpClient(dialect.provider, options, this.settings, huaweiRequestOutcome(dialect.busyCode));
    this.#auth = createHuaweiAuth(options.auth, { projectId: options.projectId, iamHttp: this.#http, clock: this.settings.clock, provider: dialect.provider });
    this.#headers = { 'X-Project-Id': options.projectId, 'X-Language': options.language ?? 'en-us' };
  }

  /** One logical call. Resolves with the accepted answer; throws ProviderHttpError otherwise. */
  async call(request: HuaweiCall): Promise<HttpResponse> {
    const accept = request.accept ?? isSuccess;
    const url = huaweiApiUrl(this.endpoint, request.route.path, { project_id: this.projectId, ...request.pathValues }, request.query);
    return retryCall(
      this.settings,
      (error) => shouldRepeatCall(error, request.idempotent),
      async () => {
        for (let refreshed = false; ; refreshed = true) {
          await this.#limiter.acquire();
          let sent: Record<string, string> = {};
          const response = await this.#http.send({
            operation: request.operation,
            method: request.route.method,
            url,
            headers: this.#headers,
            ...(request.json !== undefined ? { json: request.json } : {}),
            sign: async (req) => {
              sent = await this.#auth.sign(req);
              return sent;
            },
          });
          // An expired or revoked token: fetch a new one and send again, once.
          if (response.status === 401 && !refreshed && this.#auth.unauthorized(sent)) continue;
          if (accept(response)) return response;
          throw huaweiResponseError(this.#dialect, request.operation, response, { nowMs: this.settings.clock.now(), outcomeUnknown: !request.idempotent });
        }
      },
    );
  }

  /** Closes the keep-alive connections. */
  async close(): Promise<void> {
    await this.#http.close();
  }
}
