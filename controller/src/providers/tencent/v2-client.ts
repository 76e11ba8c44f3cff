import { randomInt } from 'node:crypto';
import { callSettings, providerHttpClient, retryCall, type CallSettings, type ProviderClientOptions } from '../http/client-options.ts';
import { ProviderHttpError, missingEnvelopeError, shouldRepeatCall, type ProviderErrorKind } from '../http/errors.ts';
import type { HttpResponse, JsonHttpClient } from '../http/http-client.ts';
import { outcomeForKind, type RequestOutcome } from '../http/metrics.ts';
import { KeyedTokenBucket, TokenBucket } from '../http/rate-limiter.ts';
import { v2Signature, v2StringToSign, type V2SignatureMethod } from './v2-signer.ts';

/**
 * Tencent Cloud API v2 (the legacy `https://<service>.api.qcloud.com/v2/index.php?Action=...`
 * interface the CDB data-sync task API still lives on), on the shared HTTP layer.
 *
 * A call is a GET whose query carries the common parameters (Action, Region, Timestamp, Nonce,
 * SecretId, SignatureMethod, Token for temporary credentials) and Signature: base64 HMAC over
 * METHOD + host + path + "?" + every other parameter sorted by name (v2-signer.ts). GET because
 * the shared JsonHttpClient sends JSON bodies only; Tencent accepts GET requests up to 32 KB,
 * which callers keep to (the CDB provider checks a job's request size in validate()).
 *
 * The answer is `{code, message, codeDesc, data}`; `code` is 0 (or the string "0") on success.
 * A failure carries either a common error code (4000 invalid parameter, 4100 authentication
 * failed, 4200 request expired, 4300 access denied, 4400 request quota exceeded, 4500 replay
 * detected, 4600 protocol not supported, 5000 resource not found, 5100 operation failed, 6000
 * internal error, 6200 temporarily unavailable ...; public "Common Error Codes" table) or the
 * service's own code (CDB: 9003, 9013, 30016 ...), which some services put in the message as
 * "(30016) ..." under a common code: both are read. Service codes are mapped by the caller's
 * `kindForCode`.
 */
export interface V2Credentials {
  secretId: string;
  secretKey: string;
  /** Temporary credentials: sent as the Token common parameter (and signed with the rest). */
  token?: string;
}

export interface TencentV2ClientOptions extends ProviderClientOptions {
  /** Provider id for metrics and errors ("tencent-cdb"). */
  provider: string;
  /** Service origin (https://cdb.api.qcloud.com); a URL with a path uses that path instead of /v2/index.php. */
  endpoint: string;
  /** The Region common parameter. */
  region?: string;
  credentials: V2Credentials;
  /** Default HmacSHA256. */
  signatureMethod?: V2SignatureMethod;
  /** The service's own error codes → kinds; undefined falls back to the common table. */
  kindForCode?: (code: number) => ProviderErrorKind | undefined;
  /** Tencent limits each action separately: 20 requests/s by default. */
  actionRequestsPerSecond?: number;
  /** Account-wide client-side limit (ProviderConfig requestsPerSecond), on top of the per-action one. */
  requestsPerSecond?: number;
  /** Nonce source (tests). Default: a random positive integer per request. */
  nonce?: () => number;
}

export type V2Params = Readonly<Record<string, string | number>>;

/** The `{code, message, codeDesc, data}` envelope of every v2 answer. */
export interface V2Envelope {
  code?: number | string;
  message?: string;
  codeDesc?: string;
  data?: unknown;
}

export const V2_DEFAULT_PATH = '/v2/index.php';

/** The common error codes shared by every v2 service. */
const COMMON_KINDS: ReadonlyMap<number, ProviderErrorKind> = new Map([
  [4000, 'invalid'],
  [4100, 'auth'],
  // The signature's Timestamp is too far from the server's clock: fix the operator's clock.
  [4200, 'auth'],
  [4300, 'auth'],
  [4400, 'throttled'],
  // Replay protection (a Nonce seen before): every attempt carries a new Nonce and Timestamp.
  [4500, 'unavailable'],
  [4600, 'invalid'],
  [5000, 'notFound'],
  [5100, 'unavailable'],
  [5200, 'invalid'],
  [5300, 'invalid'],
  [5400, 'unavailable'],
  [5500, 'auth'],
  [6000, 'unavailable'],
  [6100, 'invalid'],
  [6200, 'unavailable'],
]);

/** Everything one signed v2 GET needs. Pure: the same inputs give the same URL. */
export function buildV2Request(options: {
  endpoint: string;
  action: string;
  region?: string;
  params: V2Params;
  credentials: V2Credentials;
  signatureMethod?: V2SignatureMethod;
  timestamp: number;
  nonce: number;
}): { url: string; params: Record<string, string>; stringToSign: string } {
  const base = new URL(options.endpoint);
  const path = base.pathname === '' || base.pathname === '/' ? V2_DEFAULT_PATH : base.pathname;
  const signatureMethod = options.signatureMethod ?? 'HmacSHA256';
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.params)) params[key] = String(value);
  Object.assign(params, {
    Action: options.action,
    ...(options.region ? { Region: options.region } : {}),
    Timestamp: String(options.timestamp),
    Nonce: String(options.nonce),
    SecretId: options.credentials.secretId,
    SignatureMethod: signatureMethod,
    ...(options.credentials.token ? { Token: options.credentials.token } : {}),
  });
  const stringToSign = v2StringToSign('GET', base.host, path, params);
  params.Signature = v2Signature(options.credentials.secretKey, stringToSign, signatureMethod);
  const query = Object.keys(params)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!)}`)
    .join('&');
  return { url: `${base.protocol}//${base.host}${path}?${query}`, params, stringToSign };
}

/** The error code of a v2 answer: the service code inside "(30016) ..." wins over a common code. */
export function v2ErrorCode(envelope: V2Envelope): number | undefined {
  const code = Number(envelope.code);
  if (!Number.isFinite(code)) return undefined;
  const inner = /^\s*\((\d+)\)/.exec(envelope.message ?? '');
  return inner && COMMON_KINDS.has(code) ? Number(inner[1]) : code;
}

export function kindForV2Code(code: number, serviceKind?: (code: number) => ProviderErrorKind | undefined): ProviderErrorKind {
  return serviceKind?.(code) ?? COMMON_KINDS.get(code) ?? 'invalid';
}

export class TencentV2Client {
  readonly #o: TencentV2ClientOptions;
  readonly #http: JsonHttpClient;
  readonly #actionLimits: KeyedTokenBucket;
  readonly #accountLimit: TokenBucket | undefined;
  readonly #settings: CallSettings;

  constructor(options: TencentV2ClientOptions) {
    this.#o = options;
    this.#settings = callSettings(options);
    const { clock } = this.#settings;
    this.#http = providerHttpClient(options.provider, options, this.#settings, (response) => this.#outcomeOf(response));
    const rps = options.actionRequestsPerSecond ?? 20;
    this.#actionLimits = new KeyedTokenBucket({ ratePerSecond: rps, burst: Math.max(1, Math.ceil(rps)), clock });
    this.#accountLimit = options.requestsPerSecond !== undefined ? new TokenBucket({ ratePerSecond: options.requestsPerSecond, clock }) : undefined;
  }

  /**
   * Calls one action and returns its `data`. Idempotent calls (reads, and state changes whose
   * repetition the API refuses harmlessly) are repeated on throttling, busy, 5xx and timeouts. A
   * non-idempotent call (Create*) is repeated only after a throttling answer, which proves that
   * nothing was done; any other failure goes back to the caller, who looks the result up (by
   * name) before sending it again.
   */
  async call<T = unknown>(action: string, params: V2Params = {}, options: { idempotent?: boolean } = {}): Promise<T> {
    const idempotent = options.idempotent ?? !/^(Create|Add)/.test(action);
    return retryCall(
      this.#settings,
      (error) => (idempotent ? shouldRepeatCall(error, true) : error instanceof ProviderHttpError && error.kind === 'throttled' && !error.outcomeUnknown),
      async () => {
        await this.#accountLimit?.acquire();
        await this.#actionLimits.acquire(action);
        return this.#once<T>(action, params);
      },
    );
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  async #once<T>(action: string, params: V2Params): Promise<T> {
    const { url } = buildV2Request({
      endpoint: this.#o.endpoint,
      action,
      ...(this.#o.region ? { region: this.#o.region } : {}),
      params,
      credentials: this.#o.credentials,
      ...(this.#o.signatureMethod ? { signatureMethod: this.#o.signatureMethod } : {}),
      timestamp: Math.floor(this.#settings.clock.now() / 1000),
      nonce: this.#o.nonce?.() ?? randomInt(1, 2 ** 31 - 1),
    });
    // Signed in the URL already: no header signer.
    const response = await this.#http.send({ operation: action, method: 'GET', url, sign: null });
    const envelope = envelopeOf(response);
    if (response.status !== 200 || !envelope) throw missingEnvelopeError(this.#o.provider, action, response.status, 'the answer is not a {code, message, data} object');
    const code = v2ErrorCode(envelope);
    if (code === undefined) {
      throw new ProviderHttpError({ provider: this.#o.provider, operation: action, kind: 'unavailable', status: 200, providerMessage: 'the answer has no numeric code' });
    }
    if (code !== 0) {
      const text = [envelope.codeDesc, envelope.message].filter((s) => s !== undefined && s !== '').join(': ');
      throw new ProviderHttpError({
        provider: this.#o.provider,
        operation: action,
        kind: kindForV2Code(code, this.#o.kindForCode),
        status: 200,
        code: String(code),
        providerMessage: text || `error code ${code}`,
      });
    }
    return envelope.data as T;
  }

  #outcomeOf(response: HttpResponse): RequestOutcome {
    const envelope = envelopeOf(response);
    if (response.status !== 200 || !envelope) return response.status === 429 ? 'throttled' : 'error';
    const code = v2ErrorCode(envelope);
    if (code === 0) return 'success';
    return code === undefined ? 'error' : outcomeForKind(kindForV2Code(code, this.#o.kindForCode));
  }
}

function envelopeOf(response: HttpResponse): V2Envelope | undefined {
  const body = response.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('code' in body)) return undefined;
  return body as V2Envelope;
}
